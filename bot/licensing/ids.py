"""The one Request ID normaliser: agents' arguments, pasted blocks and the backend client.

No pydantic, httpx or aiogram here: `python -m bot parse` imports this module.
"""

from __future__ import annotations

import re

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_IGNORED = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f`'\"<>«»"))
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")


def canonical_request_id(text: str) -> str | None:
    """The lower-case UUID if `text` is exactly one Request ID (quotes and stray marks allowed)."""
    cleaned = text.translate(_IGNORED).translate(_DASHES).strip().lower()
    return cleaned if _UUID.fullmatch(cleaned) else None
