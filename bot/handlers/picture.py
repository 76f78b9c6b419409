"""Screenshots of the license widget: read the Request ID, then serve it like a paste."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from aiogram import Bot, Router
from aiogram.enums import ChatAction
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.filters import BaseFilter
from aiogram.types import Document, Message, PhotoSize

from bot.clock import Clock
from bot.config import Settings
from bot.handlers.filters import FromPerson
from bot.handlers.paste import ClaimContext, reply, serve_claims
from bot.handlers.quota import LookupQuota
from bot.licensing.models import Claim, ClaimedStatus
from bot.licensing.service import VerificationService
from bot.ocr.outcome import MAX_BYTES, OcrKind
from bot.ocr.reader import OcrReader
from bot.outbound.status_board import StatusBoard
from bot.views import pictures
from storage.repository import Repository

logger = logging.getLogger(__name__)

IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
ACTION_EVERY = 4.0  # Telegram shows a chat action for about 5 seconds

# What a customer is told when a picture yields no Request ID.
EXPLAINED: dict[OcrKind, Callable[[], str]] = {
    OcrKind.NO_ID: pictures.picture_no_id,
    OcrKind.TOO_LARGE: pictures.picture_too_large,
    OcrKind.NOT_IMAGE: pictures.picture_not_image,
    OcrKind.ANIMATED: pictures.picture_animated,
    OcrKind.FAILED: pictures.picture_failed,
}


class IsPicture(BaseFilter):
    """Passes a photo or a JPEG/PNG/WebP file while OCR is on; hands on the file as `picture`."""

    async def __call__(
        self, message: Message, ocr_reader: OcrReader | None = None
    ) -> bool | dict[str, Any]:
        if ocr_reader is None:
            return False
        if message.photo:
            return {"picture": message.photo[-1]}  # Telegram lists the sizes smallest first
        document = message.document
        if document is not None and document.mime_type in IMAGE_TYPES:
            return {"picture": document}
        return False


async def on_picture(
    message: Message,
    picture: PhotoSize | Document,
    bot: Bot,
    ocr_reader: OcrReader,
    settings: Settings,
    is_agent: bool,
    user_language: str,
    repo: Repository,
    service: VerificationService,
    board: StatusBoard,
    clock: Clock,
    quota: LookupQuota,
) -> None:
    """Receives a photo or an image file whose caption holds no Request ID."""
    chat_id = message.chat.id
    speak = message.chat.type == "private" or await _addresses_bot(message, bot)
    if picture.file_size is not None and picture.file_size > MAX_BYTES:
        kind = OcrKind.TOO_LARGE
    else:
        async with _showing_action(bot, chat_id):
            data = await _download(bot, picture.file_id)
            outcome = await ocr_reader.read(data) if data is not None else None
        kind = outcome.kind if outcome is not None else OcrKind.TOO_LARGE
        if outcome is not None and outcome.kind is OcrKind.IDS:
            logger.info("chat %s: read %s from a picture", chat_id, outcome.request_ids)
            claims = [Claim(rid, ClaimedStatus.UNKNOWN, None) for rid in outcome.request_ids]
            ctx = ClaimContext(
                settings, is_agent, user_language, repo, service, board, clock, quota
            )
            await serve_claims(message, claims, ctx, pictures.picture_answer)
            return
    logger.info("chat %s: no Request ID from a picture (%s)", chat_id, kind.value)
    if speak:
        await reply(message, EXPLAINED[kind]())


async def _download(bot: Bot, file_id: str) -> bytes | None:
    """The file's bytes; None when Telegram refuses it as too big. Other failures propagate."""
    try:
        file = await bot.get_file(file_id)
    except TelegramBadRequest as exc:
        if "too big" in exc.message.lower():
            return None
        raise
    if file.file_path is None:
        raise RuntimeError(f"Telegram gave no path for file {file_id}")
    stream = await bot.download_file(file.file_path)
    assert stream is not None  # no destination given: the bytes come back in memory
    data: bytes = stream.read()
    return data


async def _addresses_bot(message: Message, bot: Bot) -> bool:
    """Whether the caption mentions the bot or the picture replies to one of its messages."""
    me = await bot.me()
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == me.id:
        return True
    caption = (message.caption or "").lower()
    return bool(me.username) and f"@{me.username}".lower() in caption


@contextlib.asynccontextmanager
async def _showing_action(bot: Bot, chat_id: int) -> AsyncIterator[None]:
    """«typing» in the chat while the body runs, renewed before Telegram hides it."""

    async def keep_typing() -> None:
        while True:
            try:
                await bot.send_chat_action(chat_id, ChatAction.TYPING)
            except TelegramAPIError as exc:
                logger.warning("chat %s: could not show the chat action: %s", chat_id, exc)
                return
            await asyncio.sleep(ACTION_EVERY)

    task = asyncio.create_task(keep_typing(), name=f"typing-{chat_id}")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def get_router() -> Router:
    router = Router(name="picture")
    router.message.filter(FromPerson())
    router.message.register(on_picture, IsPicture())
    return router
