"""The reply to a paste (now or, for a delayed check, later): what the server said."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from html import escape

from aiogram.utils.i18n import gettext as _

from bot.licensing.models import CheckResult, Delayed, Found, NotFound
from bot.views.format import fit, fmt_date
from bot.views.status import bitrix_inactive, license_line, renew_rule


def paste_answer(
    results: list[CheckResult],
    today: date,
    *,
    capped: tuple[int, int] | None = None,
    status_sent: bool = False,
) -> str:
    """The reply to a paste: what the backend said about each claim.

    `status_sent`: the status itself, sent and pinned, was the answer; only what it does
    not say is left (a claim that differs from the server, not found, delayed), or "".
    """
    parts: list[str] = []
    verified = [r for r in results if isinstance(r, Found)]
    if status_sent:
        for found in verified:
            differences = list(_differences(found, today))
            if differences:
                parts.append(license_line(found.check, today))
                parts.extend(differences)
    elif verified:
        parts.append(_("Checked with the license server:"))
        for found in verified:
            parts.append(license_line(found.check, today))
            parts.extend(_differences(found, today))
            if not found.check.is_supported(today):
                parts.append(renew_rule())
            if found.check.bitrix_license_active is False:
                parts.append(bitrix_inactive(found.check))
        parts.append(_("The status is pinned in this chat — no need to send the text again."))
    for outcome in results:
        if isinstance(outcome, NotFound):
            parts.append(
                _(
                    "❓ Request ID <code>{request_id}</code> was not found on the license "
                    "server. Copy the text with the «Скопировать информацию о лицензии» (Copy "
                    "license information) button once more and send all of it."
                ).format(request_id=escape(outcome.request_id))
            )
        elif isinstance(outcome, Delayed):
            parts.append(
                _(
                    "⏳ The check of license <code>{request_id}</code> is delayed: the license "
                    "server is not answering right now. The text is saved — I will answer "
                    "here as soon as it is checked, no need to send it again."
                ).format(request_id=escape(outcome.request_id))
            )
    if capped is not None:
        parts.append(
            _(
                "This message holds {total} Request IDs — I am checking the first {limit}. "
                "Send the rest in a separate message."
            ).format(total=capped[0], limit=capped[1])
        )
    return fit(parts) if parts else ""


def rate_limited() -> str:
    return _("Too many checks in a row. Wait a few minutes and send the text again.")


def _differences(outcome: Found, today: date) -> Iterable[str]:
    claim, check = outcome.claim, outcome.check
    if claim is None:
        return
    if claim.expires_on is not None and claim.expires_on != check.expires_on:
        claimed = fmt_date(claim.expires_on)
        if check.expires_on is None:
            yield _(
                "The text you sent says support lasts until {claimed}, but the license "
                "server shows no end date. The status shows the server's term."
            ).format(claimed=claimed)
        else:
            yield _(
                "The text you sent says support lasts until {claimed}, but the license "
                "server says until {actual}. The status shows the server's date."
            ).format(claimed=claimed, actual=fmt_date(check.expires_on))
    supported = check.is_supported(today)
    status = claim.status.value
    if status == "active" and not supported:
        yield _(
            "The text you sent says the license is active, but the license server says it is not."
        )
    elif status == "demo" and not supported:
        yield _(
            "The text you sent shows a demo license, but the license server says it is not active."
        )
    elif status == "expired" and supported:
        yield _(
            "The text you sent says the license has expired, but the license server says "
            "it is active."
        )
