"""Commands for everyone: /start, /help and /license for this chat."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import Message

from bot.clock import Clock
from bot.config import Settings
from bot.handlers.agents import lookup
from bot.handlers.filters import FromPerson
from bot.licensing.service import VerificationService
from bot.views import texts
from bot.views.keyboards import renewal_keyboard
from bot.views.render import status_text
from storage.repository import Repository


def help_text(message: Message, settings: Settings) -> str:
    text = texts.HELP
    if message.chat.type != "private":
        text += texts.HELP_GROUP
    if settings.is_agent(message.from_user.id if message.from_user else None):
        text += texts.HELP_AGENT
    return text


async def on_help(message: Message, settings: Settings) -> None:
    """Receives /start or /help in any chat."""
    await message.answer(help_text(message, settings))


async def on_license(
    message: Message,
    command: CommandObject,
    settings: Settings,
    repo: Repository,
    service: VerificationService,
    clock: Clock,
) -> None:
    """Receives /license [request id]: this chat's status, or an agent's look-up."""
    agent = settings.is_agent(message.from_user.id if message.from_user else None)
    if command.args:
        if not agent:
            await message.answer(texts.AGENTS_ONLY)
            return
        await lookup(message, command.args, repo, service, clock)
        return
    licenses = await repo.licenses_for_chat(message.chat.id)
    now = clock.now()
    markup = renewal_keyboard(
        (s.check for s in licenses),
        now.date(),
        recheck_chat_id=message.chat.id if agent and licenses else None,
    )
    waiting = await repo.waiting_in_chat(message.chat.id)
    text = status_text(licenses, now, agent=agent, waiting=[p.request_id for p in waiting])
    await message.answer(text, reply_markup=markup)


def get_router() -> Router:
    router = Router(name="common")
    router.message.filter(FromPerson())
    router.message.register(on_help, CommandStart())
    router.message.register(on_help, Command("help", ignore_case=True))
    router.message.register(on_license, Command("license", ignore_case=True))
    return router
