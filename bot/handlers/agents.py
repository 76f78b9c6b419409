"""Agents' commands: look-ups, /recheck, /forget, /expiring, /language, the re-check button."""

from __future__ import annotations

from datetime import timedelta

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock
from bot.handlers.filters import FromPerson, IsAgent
from bot.i18n import LANGUAGES, Translator
from bot.licensing.ids import canonical_request_id
from bot.licensing.schedule import ENDING_SOON_DAYS, RECENTLY_ENDED_DAYS
from bot.licensing.service import VerificationService
from bot.outbound.status_board import StatusBoard
from bot.transport.updates import chat_title
from bot.views import notices
from bot.views.callbacks import RecheckCallback
from bot.views.lookup import expiring_text, lookup_text
from bot.views.status import status_text
from storage.repository import Repository

AGENT_COMMANDS = ("recheck", "forget", "expiring", "language")


async def lookup(
    message: Message, arg: str, repo: Repository, service: VerificationService, clock: Clock
) -> None:
    """An agent's /license <request id>: the live verdict and every chat that holds it."""
    request_id = canonical_request_id(arg)
    if request_id is None:
        await message.answer(notices.bad_request_id())
        return
    result = await service.lookup(request_id)
    holdings = await repo.find_by_request_id(request_id)
    await message.answer(lookup_text(request_id, result, holdings, clock.today()))


async def recheck_chat(
    chat_id: int,
    repo: Repository,
    service: VerificationService,
    board: StatusBoard,
    clock: Clock,
) -> str:
    licenses = await repo.licenses_for_chat(chat_id)
    if not licenses:
        return notices.recheck_none()
    await service.recheck(chat_id, [s.check.request_id for s in licenses])
    await board.refresh(chat_id)
    fresh = await repo.licenses_for_chat(chat_id)
    return notices.rechecked(status_text(fresh, clock.now(), agent=True))


async def on_recheck(
    message: Message,
    repo: Repository,
    service: VerificationService,
    board: StatusBoard,
    clock: Clock,
) -> None:
    """Receives an agent's /recheck: asks the backend again about this chat's licenses."""
    await message.answer(await recheck_chat(message.chat.id, repo, service, board, clock))


async def on_recheck_button(
    query: CallbackQuery,
    callback_data: RecheckCallback,
    repo: Repository,
    service: VerificationService,
    board: StatusBoard,
    clock: Clock,
) -> None:
    """Receives «Check again» pressed by an agent under /license."""
    if query.message is None or query.message.chat.id != callback_data.chat_id:
        await query.answer(notices.button_foreign(), show_alert=True)
        return
    await query.answer(notices.recheck_started())
    text = await recheck_chat(callback_data.chat_id, repo, service, board, clock)
    await query.message.answer(text)


async def on_forget(
    message: Message, command: CommandObject, repo: Repository, board: StatusBoard
) -> None:
    """Receives an agent's /forget <request id>: removes that license from this chat."""
    request_id = canonical_request_id(command.args or "")
    if request_id is None:
        await message.answer(notices.bad_request_id() if command.args else notices.forget_usage())
        return
    removed = await repo.forget(message.chat.id, request_id)
    await message.answer(notices.forgotten(request_id, removed=bool(removed)))
    if removed:
        await board.refresh(message.chat.id)


async def on_expiring(
    message: Message, command: CommandObject, repo: Repository, clock: Clock
) -> None:
    """Receives an agent's /expiring [days]: licenses ending soon and recently ended."""
    arg = (command.args or str(ENDING_SOON_DAYS)).strip()
    # isdecimal, not isdigit: int() refuses digits such as «²» that isdigit accepts.
    if not arg.isdecimal() or not 1 <= int(arg) <= 365:
        await message.answer(notices.expiring_usage())
        return
    days = int(arg)
    today = clock.today()
    ending = await repo.expiring_between(today, today + timedelta(days=days))
    ended = await repo.expiring_between(
        today - timedelta(days=RECENTLY_ENDED_DAYS), today - timedelta(days=1)
    )
    await message.answer(expiring_text(days, ending, ended, today))


async def on_language(
    message: Message,
    command: CommandObject,
    repo: Repository,
    board: StatusBoard,
    i18n: Translator,
) -> None:
    """Receives an agent's /language ru|en: the language of everything said to this chat."""
    language = (command.args or "").strip().lower()
    if message.chat.type == "private":
        await message.answer(notices.language_private())
        return
    if language not in LANGUAGES:
        await message.answer(notices.language_usage())
        return
    chat = message.chat
    await repo.upsert_chat(chat.id, chat.type, chat_title(chat))
    await repo.set_chat_language(chat.id, language)
    with i18n.use_locale(language):
        await message.answer(notices.language_set())
    await board.refresh(chat.id)


async def on_not_agent(message: Message) -> None:
    """Receives an agent command from someone who is not an agent."""
    await message.answer(notices.agents_only())


async def on_not_agent_button(query: CallbackQuery) -> None:
    """Receives «Check again» pressed by someone who is not an agent."""
    await query.answer(notices.button_agents_only(), show_alert=True)


def get_router() -> Router:
    router = Router(name="agents")
    router.message.filter(IsAgent())
    router.callback_query.filter(IsAgent())
    router.message.register(on_recheck, Command("recheck", ignore_case=True))
    router.message.register(on_forget, Command("forget", ignore_case=True))
    router.message.register(on_expiring, Command("expiring", ignore_case=True))
    router.message.register(on_language, Command("language", ignore_case=True))
    router.callback_query.register(on_recheck_button, RecheckCallback.filter())
    return router


def get_refusal_router() -> Router:
    """For everyone else: agent commands get a short refusal that reveals nothing."""
    router = Router(name="agents-refusal")
    router.message.filter(FromPerson())
    router.message.register(on_not_agent, Command(*AGENT_COMMANDS, ignore_case=True))
    router.callback_query.register(on_not_agent_button, RecheckCallback.filter())
    return router
