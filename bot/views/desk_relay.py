"""Short texts of the desk's relay: what could not be passed on, and edits that could not be."""

from __future__ import annotations

from html import escape

from aiogram.utils.i18n import gettext as _

from bot.views.format import MESSAGE_LIMIT


def _cut(text: str, room: int) -> str:
    return text if len(text) <= room else text[: room - 1] + "…"


def not_copied() -> str:
    """To the customer: Telegram refused to copy what they sent."""
    return _(
        "This message could not be passed on to the support team: Telegram does not allow "
        "copying it. Please send it another way — as text, a photo or a file."
    )


def customer_edited(text: str) -> str:
    """In the topic: the customer's edit, where the copy could not be edited."""
    head = _("✏️ The customer edited this message. Now it reads:")
    return head + "\n" + escape(_cut(text, MESSAGE_LIMIT - len(head) - 200))


def agent_edited(text: str) -> str:
    """To the customer: an agent's edit, where their copy could not be edited."""
    head = _("✏️ Correction to the message above:")
    return head + "\n" + escape(_cut(text, MESSAGE_LIMIT - len(head) - 200))


def not_delivered_blocked() -> str:
    """In the topic: the customer cannot be reached."""
    return _("⚠️ Not delivered: the customer has blocked the bot or deleted the chat.")


def not_delivered(reason: str) -> str:
    """In the topic: Telegram refused the delivery for another reason."""
    return _("⚠️ Not delivered: {reason}").format(reason=escape(reason[:300]))
