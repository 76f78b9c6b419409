"""Commands for everyone: /start, /help and /license for this chat."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock
from bot.handlers.agents import lookup
from bot.handlers.filters import FromPerson
from bot.licensing.service import VerificationService
from bot.views.callbacks import CopyHowtoCallback
from bot.views.help import copy_howto_text, help_text
from bot.views.keyboards import help_keyboard, renewal_keyboard
from bot.views.notices import agents_only
from bot.views.status import status_text
from storage.repository import Repository


async def on_help(message: Message, is_agent: bool) -> None:
    """Receives /start or /help in any chat."""
    text = help_text(private=message.chat.type == "private", agent=is_agent)
    await message.answer(text, reply_markup=help_keyboard())


async def on_copy_howto(query: CallbackQuery) -> None:
    """Receives «How to copy the license information» pressed under /help."""
    await query.answer()  # first, so the button stops spinning
    if query.message is None:
        return  # under an inline-mode message: no chat to send the steps to
    if query.bot is None:
        raise RuntimeError("a callback query without its bot")
    await query.bot.send_message(query.message.chat.id, copy_howto_text())


async def on_license(
    message: Message,
    command: CommandObject,
    is_agent: bool,
    repo: Repository,
    service: VerificationService,
    clock: Clock,
) -> None:
    """Receives /license [request id]: this chat's status, or an agent's look-up."""
    if command.args:
        if not is_agent:
            await message.answer(agents_only())
            return
        await lookup(message, command.args, repo, service, clock)
        return
    licenses, waiting = await repo.licenses_and_waiting(message.chat.id)
    now = clock.now()
    markup = renewal_keyboard(
        (s.check for s in licenses),
        now.date(),
        recheck_chat_id=message.chat.id if is_agent and licenses else None,
    )
    text = status_text(licenses, now, agent=is_agent, waiting=waiting)
    await message.answer(text, reply_markup=markup)


def get_router() -> Router:
    router = Router(name="common")
    router.message.filter(FromPerson())
    router.message.register(on_help, CommandStart())
    router.message.register(on_help, Command("help", ignore_case=True))
    router.message.register(on_license, Command("license", ignore_case=True))
    router.callback_query.register(on_copy_howto, CopyHowtoCallback.filter())
    return router
