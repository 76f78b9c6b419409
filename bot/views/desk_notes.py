"""Texts the bot writes in the support forum by itself: notes in a customer's topic, the
rights it lacks, the Alerts topic's name, the forum's command menu, the digest's ratings."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.licensing.models import LicenseCheck
from bot.licensing.schedule import ENDED, LAST_DAY
from bot.views.format import fmt_date, module_title
from storage.desk_admin import RatingSummary


def alerts_topic_name() -> str:
    return _("Alerts")


def right_names() -> dict[str, str]:
    """The bot's admin rights the desk needs, as Telegram's admin settings name them."""
    return {
        "can_manage_topics": _("Manage topics"),
        "can_pin_messages": _("Pin messages"),
        "can_delete_messages": _("Delete messages"),
    }


def missing_rights_text(missing: list[str]) -> str:
    names = right_names()
    return _(
        "⚠️ The support desk needs more rights here. Make the bot an administrator with: "
        "{rights}. Without them it cannot open topics for customers, pin their cards or "
        "tidy up."
    ).format(rights=", ".join(f"«{names.get(r, r)}»" for r in missing))


def forum_command_menu() -> list[tuple[str, str]]:
    """The command menu in the support forum: the agents' commands and the desk's."""
    return [
        ("queue", _("Conversations waiting for an answer, longest first")),
        ("close", _("Close this customer's conversation (they may rate it)")),
        ("license", _("This customer's licenses, or find one by Request ID")),
        ("recheck", _("Check this customer's licenses again")),
        ("ban", _("Stop passing on this customer's messages")),
        ("unban", _("Pass on this customer's messages again")),
        ("expiring", _("Licenses that end soon")),
        ("language", _("The language of this chat: ru or en")),
    ]


def rating_note(score: int) -> str:
    return _("⭐ The customer rated the conversation: {score} of 5.").format(score=score)


def ratings_line(summary: RatingSummary) -> str:
    """The digest's line on the ratings given since the previous digest."""
    if not summary.count or summary.average is None:
        return _("⭐ No ratings since the previous digest.")
    return ngettext(
        "⭐ Ratings since the previous digest: {count}, average {average} of 5.",
        "⭐ Ratings since the previous digest: {count}, average {average} of 5.",
        summary.count,
    ).format(count=summary.count, average=f"{summary.average:.1f}")


def reminder_note(stage: str, check: LicenseCheck) -> str:
    """A reminder the customer got privately, as a note in their topic."""
    module = module_title(check)
    if stage == ENDED:
        return _("🔔 The customer was told that support for {module} has ended.").format(
            module=module
        )
    if stage == LAST_DAY or check.expires_on is None:
        return _(
            "🔔 The customer was told that today is the last day of support for {module}."
        ).format(module=module)
    return _("🔔 The customer was reminded that support for {module} ends on {date}.").format(
        module=module, date=fmt_date(check.expires_on)
    )


def renewed_note(check: LicenseCheck) -> str:
    if check.expires_on is None:
        return _("🎉 The customer was told that {module} is active again.").format(
            module=module_title(check)
        )
    return _("🎉 The customer was told that {module} is renewed until {date}.").format(
        module=module_title(check), date=fmt_date(check.expires_on)
    )


def delayed_answer_note(found: int, total: int) -> str:
    return _(
        "📨 The customer got the answer to a delayed license check ({found} of {total} found)."
    ).format(found=found, total=total)


def blocked_note(blocked: bool) -> str:
    if blocked:
        return _("🚫 The customer blocked the bot: answers cannot reach them.")
    return _("✅ The customer unblocked the bot: answers reach them again.")
