"""Texts of the desk's tools: answers to topic commands, /queue, closing and rating, and
the bot's own reply to a customer (working hours, the request for license info)."""

from __future__ import annotations

from datetime import datetime
from html import escape

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.views.format import fit, fmt_date
from storage.records import Conversation

STARS = "⭐"


def topic_only() -> str:
    return _("This command works in a customer's topic.")


def already_closed() -> str:
    return _("This conversation is already closed.")


def closed_in_topic() -> str:
    return _("✅ Conversation closed; the customer was told. Their next message reopens it.")


def closed_for_customer() -> str:
    return _(
        "The conversation with support is closed. If you have another question, just "
        "write here: that opens it again.\n\nHow would you rate the help you got?"
    )


def rating_thanks(score: int) -> str:
    return _("Thank you for your rating: {stars}").format(stars=STARS * score)


def rated_already() -> str:
    return _("You have already rated this conversation. Thank you!")


def rating_unknown() -> str:
    return _("This conversation can no longer be rated. Thank you!")


def banned(done: bool) -> str:
    if done:
        return _(
            "🚫 Banned: this customer's messages are no longer passed on, and they are "
            "not told. /unban undoes it."
        )
    return _("This customer is already banned.")


def unbanned(done: bool) -> str:
    if done:
        return _("✅ Unbanned: this customer's messages are passed on again.")
    return _("This customer is not banned.")


def wait_time(seconds: float) -> str:
    minutes = max(int(seconds // 60), 0)
    if minutes < 60:
        return ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes)
    hours = minutes // 60
    if hours < 48:
        return _("{hours} h {minutes} min").format(hours=hours, minutes=minutes % 60)
    return ngettext("{n} day", "{n} days", hours // 24).format(n=hours // 24)


def topic_link(forum_id: int, topic_id: int) -> str:
    raw = str(forum_id)
    internal = raw[4:] if raw.startswith("-100") else raw.lstrip("-")
    return f"https://t.me/c/{internal}/{topic_id}"


def queue_text(forum_id: int, waiting: list[Conversation], now: float) -> str:
    """/queue: conversations waiting for an answer, the longest wait first."""
    if not waiting:
        return _("Nobody is waiting for an answer.")
    lines = [
        ngettext(
            "⏳ <b>{count} conversation is waiting for an answer</b> (longest wait first):",
            "⏳ <b>{count} conversations are waiting for an answer</b> (longest wait first):",
            len(waiting),
        ).format(count=len(waiting))
    ]
    for conv in waiting:
        title = escape(conv.topic_title or "❔ " + conv.name)
        if conv.topic_id is not None:
            title = f'<a href="{topic_link(forum_id, conv.topic_id)}">{title}</a>'
        wait = wait_time(now - (conv.waiting_since or now))
        lines.append(_("• {title} — waiting {wait}").format(title=title, wait=wait))
    return fit(lines, sep="\n")


def opening_time(opening: datetime) -> str:
    """When agents start work next, in the reader's words, with the zone's UTC offset."""
    offset = opening.utcoffset()
    hours = int(offset.total_seconds() // 3600) if offset else 0
    minutes = int(offset.total_seconds() % 3600 // 60) if offset else 0
    zone = f"UTC{hours:+d}" + (f":{minutes:02d}" if minutes else "")
    return _("{date} at {time} ({zone})").format(
        date=fmt_date(opening.date()), time=opening.strftime("%H:%M"), zone=zone
    )


def customer_reply(opening: datetime | None, ask_license: bool) -> str:
    """The bot's own reply to a customer's message for the agents: when agents will answer
    (outside working hours) and/or a request for the license info."""
    parts = [_("Thank you, your message has been passed on to support.")]
    if opening is not None:
        parts.append(
            _("Our agents are not at work right now; they will answer from {when}.").format(
                when=opening_time(opening)
            )
        )
    if ask_license:
        parts.append(
            _(
                "To help you faster, please also send your module's license information:\n"
                "1. In 1C-Bitrix open: Control panel → Settings → Modules → [your module] → "
                "Settings.\n"
                "2. In the license block press «Скопировать информацию о лицензии» (Copy "
                "license information).\n"
                "3. Paste the copied text here."
            )
        )
    return "\n\n".join(parts)


class RateCallback(CallbackData, prefix="rate"):
    """A customer's score (1–5) for the conversation that the forum message `closing` ended."""

    closing: int
    score: int


def rating_keyboard(closing: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for score in range(1, 6):
        builder.button(
            text=f"{score} {STARS}", callback_data=RateCallback(closing=closing, score=score)
        )
    builder.adjust(5)
    return builder.as_markup()
