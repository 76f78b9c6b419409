"""Short replies: refusals, usage hints, button answers, errors, the chat's language."""

from __future__ import annotations

from html import escape

from aiogram.utils.i18n import gettext as _

EXAMPLE_ID = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"


def agents_only() -> str:
    return _("This command is for support agents only.")


def bad_request_id() -> str:
    return _(
        "This does not look like a Request ID: a full UUID is needed, like {example}."
    ).format(example=EXAMPLE_ID)


def forget_usage() -> str:
    return _("Give the Request ID: /forget {example}").format(example=EXAMPLE_ID)


def forgotten(request_id: str, *, removed: bool) -> str:
    if removed:
        return _("License <code>{request_id}</code> is removed from this chat.").format(
            request_id=escape(request_id)
        )
    return _("This chat has no license with Request ID <code>{request_id}</code>.").format(
        request_id=escape(request_id)
    )


def expiring_usage() -> str:
    return _("Give a number of days from 1 to 365: /expiring 14")


def recheck_none() -> str:
    return _("This chat has no licenses to check again.")


def rechecked(status: str) -> str:
    return _("Checked again with the license server.") + "\n\n" + status


def recheck_started() -> str:
    return _("Checking again…")


def recheck_button() -> str:
    return _("🔄 Check again")


def renew_button(module: str) -> str:
    return _("Renew: {module}").format(module=module)


def button_foreign() -> str:
    return _("This button is not for this chat.")


def button_agents_only() -> str:
    return _("Checking again is for support agents only.")


def button_stale() -> str:
    return _("This button is out of date. Send /license again.")


def pin_no_rights() -> str:
    return _(
        "I cannot pin the status: make the bot an administrator with the right «Pin "
        "messages». The status is saved; /license shows it at any time."
    )


def error_generic() -> str:
    return _("Something went wrong. Please try again in a minute.")


def language_usage() -> str:
    return _("Choose the chat's language: /language ru or /language en")


def language_set() -> str:
    """Said in the language just chosen."""
    # TRANSLATORS: said in the language just chosen for the chat: name your own language.
    return _("This chat now gets its messages in English.")


def language_private() -> str:
    return _("In a private chat I write in the language of your Telegram app; change it there.")
