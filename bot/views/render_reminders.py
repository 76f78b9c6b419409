"""Texts of reminders, renewals and the agents' daily digest; outside values are escaped."""

from __future__ import annotations

from datetime import date
from html import escape

from bot.licensing.models import LicenseCheck
from bot.licensing.records import StoredLicense
from bot.licensing.schedule import ENDED, LAST_DAY
from bot.views import texts
from bot.views.render import chat_title, day_word, fit, fmt_date, module_title
from storage.records import ChatRecord


def reminder_text(stage: str, check: LicenseCheck, today: date) -> str:
    """The reminder for a stage of a term: before the end, on the last day, after it."""
    module = module_title(check)
    demo = texts.DEMO_MARK if check.demo else ""
    if stage == ENDED:
        if check.expires_on is None or check.expires_on >= today:  # ended early (revoked)
            head = texts.REMINDER_ENDED_NO_DATE.format(module=module, demo=demo)
        else:
            head = texts.REMINDER_ENDED.format(
                module=module, demo=demo, date=fmt_date(check.expires_on)
            )
    elif stage == LAST_DAY or check.expires_on is None:
        head = texts.REMINDER_LAST_DAY.format(
            module=module, demo=demo, date=fmt_date(check.expires_on or today)
        )
    else:
        days = (check.expires_on - today).days
        left = texts.LEFT_DAYS.format(days=days, word=day_word(days))
        head = texts.REMINDER_BEFORE.format(
            module=module, demo=demo, date=fmt_date(check.expires_on), left=left
        )
    parts = [head, texts.REMINDER_RULE]
    if check.bitrix_license_active is False:
        parts.append(texts.BITRIX_INACTIVE.format(site=escape(check.site or "")))
    return fit(parts)


def renewed_text(check: LicenseCheck) -> str:
    module = module_title(check)
    if check.expires_on is None:
        return texts.RENEWED_OPEN.format(module=module)
    return texts.RENEWED.format(module=module, date=fmt_date(check.expires_on))


def chat_link(chat: ChatRecord) -> str:
    """The chat's title, linked to its pinned status where Telegram allows a link."""
    title = chat_title(chat)
    raw = str(chat.chat_id)
    if chat.type == "supergroup" and raw.startswith("-100") and chat.status_message_id:
        url = f"https://t.me/c/{raw[4:]}/{chat.status_message_id}"
        return texts.CHAT_LINK.format(url=url, title=title)
    return f"{title} (<code>{chat.chat_id}</code>)"


def digest_text(
    today: date,
    ending: list[tuple[StoredLicense, ChatRecord]],
    ended: list[tuple[StoredLicense, ChatRecord]],
) -> str:
    """The agents' daily digest: what ends within 14 days and what ended in the last 7."""
    lines = [texts.DIGEST_TITLE.format(date=fmt_date(today))]
    for title, items in ((texts.DIGEST_ENDING, ending), (texts.DIGEST_ENDED, ended)):
        if items:
            lines.extend(["", title])
            lines.extend(
                texts.DIGEST_LINE.format(
                    module=module_title(s.check),
                    date=fmt_date(s.check.expires_on) if s.check.expires_on else texts.NO_DATE,
                    chat=chat_link(c),
                )
                for s, c in items
            )
    if not ending and not ended:
        lines.extend(["", texts.DIGEST_NONE])
    return fit(lines, sep="\n")
