"""Replies to a picture: what was read from it, or why nothing could be."""

from __future__ import annotations

from datetime import date
from html import escape

from aiogram.utils.i18n import gettext as _

from bot.licensing.models import CheckResult, NotFound
from bot.views.answers import paste_answer
from bot.views.format import fit


def picture_answer(
    results: list[CheckResult], today: date, capped: tuple[int, int] | None, status_sent: bool
) -> str:
    """The reply to a picture: the IDs read, then what the backend said about each (beyond
    the status, when that was sent as the answer)."""
    parts = [
        _("📷 Read from the picture: Request ID <code>{request_id}</code>").format(
            request_id=escape(result.request_id)
        )
        for result in results
    ]
    checked: list[CheckResult] = [r for r in results if not isinstance(r, NotFound)]
    if checked or capped is not None:
        told = paste_answer(checked, today, capped=capped, status_sent=status_sent)
        parts.extend([told] if told else [])
    for result in results:
        if isinstance(result, NotFound):
            parts.append(picture_misread(result.request_id))
    return fit(parts)


def picture_misread(request_id: str) -> str:
    return _(
        "❓ The license server does not know <code>{request_id}</code>: the picture may have "
        "been misread. Please press «Скопировать информацию о лицензии» (Copy license "
        "information) in the module's settings and send the copied text."
    ).format(request_id=escape(request_id))


def picture_no_id() -> str:
    return _(
        "I could not read a Request ID in this picture. Crop it to the license block or "
        "take it closer — or better: in 1C-Bitrix open Settings → Modules → [your module] → "
        "Settings, press «Скопировать информацию о лицензии» (Copy license information) in "
        "the license block and paste the text here."
    )


def picture_too_large() -> str:
    return _(
        "This picture is too large for me (over 20 MB or 40 megapixels). Send a screenshot "
        "of the license block, or paste the copied license text."
    )


def picture_not_image() -> str:
    return _(
        "I cannot open this file as a picture. Send a JPEG, PNG or WebP screenshot of the "
        "license block, or paste the copied license text."
    )


def picture_animated() -> str:
    return _(
        "This is an animation; I read only still pictures. Send a screenshot of the license "
        "block, or paste the copied license text."
    )


def picture_failed() -> str:
    return _(
        "I could not read this picture right now. Send it again in a minute, or paste the "
        "copied license text."
    )
