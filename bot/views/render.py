"""Builds message texts from verdicts; every outside value is HTML-escaped here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from html import escape

from bot.licensing.models import CheckResult, Delayed, Found, LicenseCheck, NotFound
from bot.licensing.records import StoredLicense
from bot.views import texts
from storage.records import ChatRecord

MESSAGE_LIMIT = 4096
MORE_MARK = "\n…"


def fmt_date(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def fmt_time(value: datetime) -> str:
    return value.strftime("%d.%m.%Y %H:%M")


def day_word(n: int) -> str:
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return texts.DAY_WORDS[0]
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return texts.DAY_WORDS[1]
    return texts.DAY_WORDS[2]


def module_title(check: LicenseCheck) -> str:
    if check.module_name:
        return escape(check.module_name)
    return texts.UNNAMED_MODULE.format(tail=escape(check.request_id[-4:]))


def license_line(check: LicenseCheck, today: date) -> str:
    demo = texts.DEMO_MARK if check.demo else ""
    module = module_title(check)
    if check.is_supported(today):
        days = check.days_left(today)
        if days is None or check.expires_on is None:
            return texts.LINE_ACTIVE_OPEN.format(module=module, demo=demo)
        left = (
            texts.LEFT_TODAY
            if days == 0
            else texts.LEFT_DAYS.format(days=days, word=day_word(days))
        )
        return texts.LINE_ACTIVE.format(
            module=module, demo=demo, date=fmt_date(check.expires_on), left=left
        )
    if check.expires_on is None:
        return texts.LINE_EXPIRED_NO_DATE.format(module=module, demo=demo)
    return texts.LINE_EXPIRED.format(module=module, demo=demo, date=fmt_date(check.expires_on))


def agent_details(stored: StoredLicense, tz_now: datetime) -> str:
    check = stored.check
    return texts.AGENT_DETAILS.format(
        request_id=escape(check.request_id),
        license=texts.AGENT_LICENSE.format(license_id=escape(check.license_id))
        if check.license_id
        else "",
        site=texts.AGENT_SITE.format(site=escape(check.site)) if check.site else "",
        version=texts.AGENT_VERSION.format(version=escape(check.module_version))
        if check.module_version
        else "",
        checked=fmt_time(stored.verified_at.astimezone(tz_now.tzinfo)),
    )


def status_text(
    licenses: list[StoredLicense],
    now: datetime,
    *,
    agent: bool = False,
    waiting: list[str] | None = None,
) -> str:
    """The pinned status (and /license): every module licensed in the chat.

    `waiting`: Request IDs pasted here that the license server has not answered yet.
    """
    pending = [texts.STATUS_WAITING.format(request_id=escape(rid)) for rid in waiting or []]
    if not licenses:
        return fit([texts.STATUS_TITLE, *(pending or [texts.STATUS_EMPTY])])
    today = now.date()
    blocks = [*pending]
    for stored in licenses:
        line = license_line(stored.check, today)
        if agent:
            line += "\n" + agent_details(stored, now)
        blocks.append(line)
    footer = texts.STATUS_UPDATED.format(when=fmt_time(now))
    return fit([texts.STATUS_TITLE, *blocks], footer=footer)


def paste_answer(
    results: list[CheckResult], today: date, *, capped: tuple[int, int] | None = None
) -> str:
    """The reply to a paste: what the backend said about each claim."""
    parts: list[str] = []
    verified = [r for r in results if isinstance(r, Found)]
    if verified:
        parts.append(texts.ANSWER_VERIFIED_INTRO)
        for outcome in verified:
            parts.append(license_line(outcome.check, today))
            parts.extend(_differences(outcome, today))
            if not outcome.check.is_supported(today):
                parts.append(texts.RENEW_HINT)
            if outcome.check.bitrix_license_active is False:
                parts.append(texts.BITRIX_INACTIVE.format(site=escape(outcome.check.site or "")))
        parts.append(texts.ANSWER_PINNED)
    for result in results:
        if isinstance(result, NotFound):
            parts.append(texts.ANSWER_UNKNOWN.format(request_id=escape(result.request_id)))
        elif isinstance(result, Delayed):
            parts.append(texts.ANSWER_DELAYED.format(request_id=escape(result.request_id)))
    if capped is not None:
        parts.append(texts.ANSWER_CAPPED.format(total=capped[0], limit=capped[1]))
    return fit(parts)


def _differences(outcome: Found, today: date) -> Iterable[str]:
    claim, check = outcome.claim, outcome.check
    if claim is None:
        return
    if claim.expires_on is not None and claim.expires_on != check.expires_on:
        actual = fmt_date(check.expires_on) if check.expires_on else texts.NO_DATE
        actual = f"до {actual}" if check.expires_on else actual
        yield texts.ANSWER_DATE_DIFFERS.format(claimed=fmt_date(claim.expires_on), actual=actual)
    claimed_word = texts.CLAIMED_WORDS.get(claim.status.value)
    supported = check.is_supported(today)
    if claimed_word and claim.status.value in ("active", "demo") and not supported:
        yield texts.ANSWER_STATUS_DIFFERS.format(claimed=claimed_word, actual=texts.ACTUAL_EXPIRED)
    elif claim.status.value == "expired" and supported:
        yield texts.ANSWER_STATUS_DIFFERS.format(claimed=claimed_word, actual=texts.ACTUAL_ACTIVE)


def lookup_text(
    request_id: str,
    result: CheckResult,
    holdings: list[tuple[StoredLicense, ChatRecord]],
    today: date,
) -> str:
    """An agent's /license <request id>: the live verdict and which chats hold it."""
    lines = [texts.LOOKUP_TITLE.format(request_id=escape(request_id)), ""]
    if isinstance(result, Found):
        lines.append(texts.LOOKUP_BACKEND.format(verdict=license_line(result.check, today)))
    elif isinstance(result, NotFound):
        lines.append(texts.LOOKUP_BACKEND_NOT_FOUND)
    else:
        reason = getattr(result, "reason", None) or getattr(result, "detail", "")
        lines.append(texts.LOOKUP_BACKEND_DOWN.format(reason=escape(str(reason))))
    lines.append("")
    if not holdings:
        lines.append(texts.LOOKUP_NO_CHATS)
        return fit(lines, sep="\n")
    lines.append(texts.LOOKUP_CHATS)
    for _stored, chat in holdings:
        lines.append(
            texts.LOOKUP_CHAT_LINE.format(
                title=chat_title(chat),
                chat_id=chat.chat_id,
                inactive="" if chat.active else texts.LOOKUP_CHAT_INACTIVE,
            )
        )
    return fit(lines, sep="\n")


def expiring_text(
    days: int,
    ending: list[tuple[StoredLicense, ChatRecord]],
    ended: list[tuple[StoredLicense, ChatRecord]],
    today: date,
) -> str:
    """Agents' list of licenses that end within `days` and those that ended last week."""
    lines = []
    if ending:
        lines.append(texts.EXPIRING_TITLE.format(days=days, word=day_word(days)))
        lines.extend(_expiring_line(s, c) for s, c in ending)
    else:
        lines.append(texts.EXPIRING_NONE.format(days=days, word=day_word(days)))
    if ended:
        lines.extend(["", texts.EXPIRING_ENDED_TITLE])
        lines.extend(_expiring_line(s, c) for s, c in ended)
    return fit(lines, sep="\n")


def _expiring_line(stored: StoredLicense, chat: ChatRecord) -> str:
    check = stored.check
    return texts.EXPIRING_LINE.format(
        module=module_title(check),
        date=fmt_date(check.expires_on) if check.expires_on else texts.NO_DATE,
        title=chat_title(chat),
        chat_id=chat.chat_id,
    )


def chat_title(chat: ChatRecord) -> str:
    return escape(chat.title) if chat.title else texts.UNTITLED_CHAT


def fit(parts: list[str], *, footer: str | None = None, sep: str = "\n\n") -> str:
    """Join blocks, dropping whole blocks (from the end) that would pass Telegram's limit."""
    budget = MESSAGE_LIMIT - len(MORE_MARK) - (len(footer) + len(sep) if footer else 0)
    kept: list[str] = []
    used = 0
    for part in parts:
        cost = len(part) + (len(sep) if kept else 0)
        if used + cost > budget:
            kept.append(MORE_MARK.strip())
            break
        kept.append(part)
        used += cost
    if footer:
        kept.append(footer)
    return sep.join(kept)
