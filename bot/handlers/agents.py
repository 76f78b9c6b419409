"""Agents' commands: look-ups across chats, /recheck, /forget, /expiring, the re-check button."""

from __future__ import annotations

from datetime import timedelta

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock
from bot.handlers.filters import FromPerson, IsAgent
from bot.licensing.ids import canonical_request_id
from bot.licensing.schedule import ENDING_SOON_DAYS, RECENTLY_ENDED_DAYS
from bot.licensing.service import VerificationService
from bot.outbound.status_board import StatusBoard
from bot.views import texts
from bot.views.callbacks import RecheckCallback
from bot.views.render import expiring_text, lookup_text, status_text
from storage.repository import Repository

AGENT_COMMANDS = ("recheck", "forget", "expiring")


async def lookup(
    message: Message, arg: str, repo: Repository, service: VerificationService, clock: Clock
) -> None:
    """An agent's /license <request id>: the live verdict and every chat that holds it."""
    request_id = canonical_request_id(arg)
    if request_id is None:
        await message.answer(texts.BAD_REQUEST_ID)
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
        return texts.RECHECK_NONE
    await service.recheck(chat_id, [s.check.request_id for s in licenses])
    await board.refresh(chat_id)
    fresh = await repo.licenses_for_chat(chat_id)
    return texts.RECHECK_DONE + "\n\n" + status_text(fresh, clock.now(), agent=True)


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
    """Receives «Перепроверить» pressed by an agent under /license."""
    if query.message is None or query.message.chat.id != callback_data.chat_id:
        await query.answer(texts.CALLBACK_FOREIGN, show_alert=True)
        return
    await query.answer(texts.RECHECK_STARTED)
    text = await recheck_chat(callback_data.chat_id, repo, service, board, clock)
    await query.message.answer(text)


async def on_forget(
    message: Message, command: CommandObject, repo: Repository, board: StatusBoard
) -> None:
    """Receives an agent's /forget <request id>: removes that license from this chat."""
    request_id = canonical_request_id(command.args or "")
    if request_id is None:
        await message.answer(texts.FORGET_USAGE if not command.args else texts.BAD_REQUEST_ID)
        return
    removed = await repo.forget(message.chat.id, request_id)
    template = texts.FORGET_DONE if removed else texts.FORGET_NONE
    await message.answer(template.format(request_id=request_id))
    if removed:
        await board.refresh(message.chat.id)


async def on_expiring(
    message: Message, command: CommandObject, repo: Repository, clock: Clock
) -> None:
    """Receives an agent's /expiring [days]: licenses ending soon and recently ended."""
    arg = (command.args or str(ENDING_SOON_DAYS)).strip()
    # isdecimal, not isdigit: int() refuses digits such as «²» that isdigit accepts.
    if not arg.isdecimal() or not 1 <= int(arg) <= 365:
        await message.answer(texts.EXPIRING_USAGE)
        return
    days = int(arg)
    today = clock.today()
    ending = await repo.expiring_between(today, today + timedelta(days=days))
    ended = await repo.expiring_between(
        today - timedelta(days=RECENTLY_ENDED_DAYS), today - timedelta(days=1)
    )
    await message.answer(expiring_text(days, ending, ended, today))


async def on_not_agent(message: Message) -> None:
    """Receives an agent command from someone who is not an agent."""
    await message.answer(texts.AGENTS_ONLY)


async def on_not_agent_button(query: CallbackQuery) -> None:
    """Receives «Перепроверить» pressed by someone who is not an agent."""
    await query.answer(texts.CALLBACK_AGENTS_ONLY, show_alert=True)


def get_router() -> Router:
    router = Router(name="agents")
    router.message.filter(IsAgent())
    router.callback_query.filter(IsAgent())
    router.message.register(on_recheck, Command("recheck", ignore_case=True))
    router.message.register(on_forget, Command("forget", ignore_case=True))
    router.message.register(on_expiring, Command("expiring", ignore_case=True))
    router.callback_query.register(on_recheck_button, RecheckCallback.filter())
    return router


def get_refusal_router() -> Router:
    """For everyone else: agent commands get a short refusal that reveals nothing."""
    router = Router(name="agents-refusal")
    router.message.filter(FromPerson())
    router.message.register(on_not_agent, Command(*AGENT_COMMANDS, ignore_case=True))
    router.callback_query.register(on_not_agent_button, RecheckCallback.filter())
    return router
