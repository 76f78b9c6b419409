"""The pinned status (and /license): one line per licensed module, details for agents."""

from __future__ import annotations

from datetime import date, datetime
from html import escape

from aiogram.utils.i18n import gettext as _

from bot.licensing.models import LicenseCheck
from bot.licensing.records import StoredLicense
from bot.views.format import days_left, demo_mark, fit, fmt_date, fmt_time, module_title


def license_line(check: LicenseCheck, today: date) -> str:
    """A module and its term: supported until when and for how long, or that it ended."""
    values = {"module": module_title(check), "demo": demo_mark(check)}
    if check.is_supported(today):
        days = check.days_left(today)
        if days is None or check.expires_on is None:
            return _("✅ <b>{module}</b>{demo}\nlicense active").format(**values)
        return _("✅ <b>{module}</b>{demo}\nsupport until {date} — {left}").format(
            **values, date=fmt_date(check.expires_on), left=days_left(days)
        )
    if check.expires_on is None:
        return _("⛔️ <b>{module}</b>{demo}\nlicense not active, no support").format(**values)
    return _("⛔️ <b>{module}</b>{demo}\nlicense expired on {date}, no support").format(
        **values, date=fmt_date(check.expires_on)
    )


def renew_rule() -> str:
    return _(
        "To get support and updates, renew the license. It can be renewed only while the "
        "site's 1C-Bitrix license is active; the new term appears in the module and here "
        "within 30 minutes of activation."
    )


def bitrix_inactive(check: LicenseCheck) -> str:
    return _(
        "⚠️ The 1C-Bitrix license of the site {site} is not active: renew it first, then "
        "the module's license."
    ).format(site=escape(check.site or ""))


def _ends(check: LicenseCheck, today: date) -> date:
    if check.expires_on is not None:
        return check.expires_on
    return date.max if check.is_supported(today) else date.min


def verdict_line(checks: list[LicenseCheck], today: date) -> str:
    """The first line, what a phone's pinned bar shows: the term of the soonest-ending one."""
    check = min(checks, key=lambda c: _ends(c, today))
    if check.is_supported(today):
        if check.expires_on is None:
            return _("✅ License active")
        return _("✅ Support until {date}").format(date=fmt_date(check.expires_on))
    if check.expires_on is None:
        return _("⛔ License not active")
    return _("⛔ License expired on {date}").format(date=fmt_date(check.expires_on))


def agent_details(stored: StoredLicense, tz_now: datetime) -> str:
    """What only agents see under a line: Request ID, license, site, version, when checked."""
    check = stored.check
    text = f"<code>{escape(check.request_id)}</code>"
    if check.license_id:
        text += f" · {escape(check.license_id)}"
    if check.site:
        text += "\n" + _("site: {site}").format(site=escape(check.site))
    if check.module_version:
        text += ", " + _("version {version}").format(version=escape(check.module_version))
    checked = fmt_time(stored.verified_at.astimezone(tz_now.tzinfo))
    return text + "\n" + _("checked {when}").format(when=checked)


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
    title = _("📌 <b>Technical support in this chat</b>")
    pending = [
        _(
            "⏳ Request ID <code>{request_id}</code>: the check is delayed — the license "
            "server has not answered yet. The result will arrive here by itself."
        ).format(request_id=escape(rid))
        for rid in waiting or []
    ]
    if not licenses:
        empty = _(
            "No verified licenses in this chat yet. Send the text from the module's license "
            "block (/help shows where to find it)."
        )
        return fit([title, *(pending or [empty])])
    blocks = [*pending]
    for stored in licenses:
        line = license_line(stored.check, now.date())
        if agent:
            line += "\n" + agent_details(stored, now)
        blocks.append(line)
        if stored.check.bitrix_license_active is False:
            blocks.append(bitrix_inactive(stored.check))
    if any(not stored.check.is_supported(now.date()) for stored in licenses):
        blocks.append(renew_rule())  # the status may be the very answer to the paste
    footer = _("<i>Updated {when}</i>").format(when=fmt_time(now))
    verdict = verdict_line([stored.check for stored in licenses], now.date())
    return fit([f"{verdict}\n{title}", *blocks], footer=footer)
