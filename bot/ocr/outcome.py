"""What reading one picture came to, as the bot's handlers will see it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.licensing.ocr_text import ReadId

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000


class OcrKind(StrEnum):
    IDS = "ids"
    NO_ID = "no_id"
    TOO_LARGE = "too_large"
    NOT_IMAGE = "not_image"
    ANIMATED = "animated"
    FAILED = "failed"


@dataclass(frozen=True)
class OcrOutcome:
    """The Request IDs read (kind IDS), or why there are none; `reason` explains a failure."""

    kind: OcrKind
    ids: tuple[ReadId, ...] = ()
    reason: str = ""

    @property
    def request_ids(self) -> list[str]:
        return [read.request_id for read in self.ids]

    def to_wire(self) -> dict[str, object]:
        ids = [{"id": read.request_id, "near_label": read.near_label} for read in self.ids]
        return {"kind": self.kind.value, "ids": ids, "reason": self.reason}

    @classmethod
    def from_wire(cls, data: dict[str, object]) -> OcrOutcome:
        raw_ids = data.get("ids")
        ids = tuple(
            ReadId(str(item["id"]), bool(item["near_label"]))
            for item in (raw_ids if isinstance(raw_ids, list) else [])
        )
        return cls(OcrKind(str(data["kind"])), ids, str(data.get("reason", "")))


def failed(reason: str) -> OcrOutcome:
    return OcrOutcome(OcrKind.FAILED, reason=reason)
