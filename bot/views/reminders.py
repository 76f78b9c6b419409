"""Reminders before and after the end of a term, and the news of a renewal."""

from __future__ import annotations

from datetime import date

from aiogram.utils.i18n import gettext as _

from bot.licensing.models import LicenseCheck
from bot.licensing.schedule import ENDED, LAST_DAY
from bot.views.format import days_left, demo_mark, fit, fmt_date, module_title
from bot.views.status import bitrix_inactive


def reminder_text(stage: str, check: LicenseCheck, today: date) -> str:
    """The reminder for a stage of a term: before the end, on the last day, after it."""
    values = {"module": module_title(check), "demo": demo_mark(check)}
    if stage == ENDED:
        if check.expires_on is None or check.expires_on >= today:  # ended early (revoked)
            head = _(
                "⛔️ <b>{module}</b>{demo}: the license is no longer active.\n"
                "Technical support and updates come with an active license."
            ).format(**values)
        else:
            head = _(
                "⛔️ <b>{module}</b>{demo}: support under the license ended on {date}.\n"
                "Technical support and updates come with an active license."
            ).format(**values, date=fmt_date(check.expires_on))
    elif stage == LAST_DAY or check.expires_on is None:
        head = _(
            "⏰ <b>{module}</b>{demo}: today, {date}, is the last day of support under the "
            "license.\nRenew the license to keep support and updates."
        ).format(**values, date=fmt_date(check.expires_on or today))
    else:
        head = _(
            "⏰ <b>{module}</b>{demo}: support under the license ends on {date} — {left}.\n"
            "Renew the license in advance to keep support and updates."
        ).format(
            **values,
            date=fmt_date(check.expires_on),
            left=days_left((check.expires_on - today).days),
        )
    rule = _(
        "The license can be renewed only while the site's 1C-Bitrix license is active; the "
        "new term appears here by itself within 30 minutes of activation."
    )
    parts = [head, rule]
    if check.bitrix_license_active is False:
        parts.append(bitrix_inactive(check))
    return fit(parts)


def renewed_text(check: LicenseCheck) -> str:
    """A license that ended (or was about to) is renewed: support is back."""
    module = module_title(check)
    if check.expires_on is None:
        return _("🎉 <b>{module}</b>: the license is active again. Support is back.").format(
            module=module
        )
    return _("🎉 <b>{module}</b>: the license is renewed until {date}. Support is back.").format(
        module=module, date=fmt_date(check.expires_on)
    )
