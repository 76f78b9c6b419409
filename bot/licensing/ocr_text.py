"""Request IDs in text recognised from a picture: the rules, free of any image library.

A Request ID is taken when a «Request ID» label (read however badly) speaks for it: the
first UUID after the label on its line, else the only one on the next line. Several labels
give several IDs; a label with two different UUIDs of equal claim gives none. With no label
read at all, a UUID alone on its line is taken and marked as not labelled. How a UUID run is
read is in ocr_runs, how boxes become lines in ocr_lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.licensing.ocr_lines import Line, TextBox, adjacent, group_lines, label_end
from bot.licensing.ocr_runs import Candidate, boxes_holding, candidates

__all__ = [
    "OcrReading",
    "ReadId",
    "TextBox",
    "boxes_holding",
    "confirmed",
    "label_end",
    "read_request_ids",
    "uuids_in",
]


@dataclass(frozen=True)
class ReadId:
    """A Request ID read from a picture, and whether it stood on or next to its label."""

    request_id: str
    near_label: bool


@dataclass(frozen=True)
class OcrReading:
    """Every Request ID the rules accept in one picture (empty: none, or no clear winner)."""

    ids: tuple[ReadId, ...] = ()

    @property
    def request_ids(self) -> list[str]:
        return [read.request_id for read in self.ids]


def _claimed(lines: list[Line], found: list[Candidate], index: int, end: int) -> str | None:
    """The one candidate a label on line `index` speaks for: after it, else on the next line."""
    after = sorted((c for c in found if c.line == index and c.start >= end), key=lambda c: c.start)
    if after:
        return after[0].request_id
    if index + 1 < len(lines) and adjacent(lines[index], lines[index + 1]):
        below = {c.request_id for c in found if c.line == index + 1}
        if len(below) == 1:
            return below.pop()
    return None


def read_request_ids(boxes: Iterable[TextBox], min_confidence: float = 0.5) -> OcrReading:
    """Every Request ID its label speaks for; with no label read, a lone UUID on its own line.

    A UUID that has other words on its line («ID сессии: …», «Order …») is someone else's.
    """
    lines = group_lines(boxes)
    found = [c for c in candidates(lines) if c.confidence >= min_confidence]
    labels = [
        (i, end) for i, line in enumerate(lines) if (end := label_end(line.text)) is not None
    ]
    if labels:
        claimed = (_claimed(lines, found, index, end) for index, end in labels)
        ids = dict.fromkeys(request_id for request_id in claimed if request_id)
        return OcrReading(tuple(ReadId(request_id, near_label=True) for request_id in ids))
    distinct = {c.request_id for c in found}
    if len(distinct) == 1 and all(c.alone for c in found):
        return OcrReading((ReadId(distinct.pop(), near_label=False),))
    return OcrReading()


def uuids_in(boxes: Iterable[TextBox], min_confidence: float = 0.5) -> set[str]:
    """Every UUID the rules can read in the boxes, labelled or not (for a second opinion)."""
    return {c.request_id for c in candidates(group_lines(boxes)) if c.confidence >= min_confidence}


def confirmed(reading: OcrReading, second_opinion: set[str]) -> OcrReading:
    """Only the IDs a second, independent reading found too: a disagreement means none."""
    return OcrReading(tuple(read for read in reading.ids if read.request_id in second_opinion))
