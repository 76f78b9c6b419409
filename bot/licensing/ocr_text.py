"""Request IDs in text recognised from a picture: the rules, free of any image library.

Look-alikes become hex digits ONLY inside an exact 8-4-4-4-12 run; other words stay as read.
The table holds characters that are never hex digits themselves (Cyrillic ones included,
since a reader may return them):

    O o Q О о -> 0    I i l L | ! І і -> 1    Z z -> 2    З -> 3    S s -> 5
    G б -> 6          g q -> 9                а А -> a    е Е -> e  с С -> c

B and D are not mapped to 8 and 0: they are hex digits already (the canonical form is lower
case). A dash may be read as any dash-like mark (en dash, minus, full-width, CJK 一 or ー),
with a space either side. A 32-hex string without dashes (a checksum) never matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bot.licensing.ids import canonical_request_id

_LOOKALIKES = str.maketrans(
    {
        **dict.fromkeys("OoQОо", "0"),
        **dict.fromkeys("IilL|!Іі", "1"),
        **dict.fromkeys("Zz", "2"),
        "З": "3",
        **dict.fromkeys("Ss", "5"),
        **dict.fromkeys("Gб", "6"),
        **dict.fromkeys("gq", "9"),
        **dict.fromkeys("аА", "a"),
        **dict.fromkeys("еЕ", "e"),
        **dict.fromkeys("сС", "c"),
    }
)
_HEXLIKE = "0-9a-fA-FOoQОоIilL|!ІіZzЗSsGбgqаАеЕсС"
_DASH = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\u4e00\u30fc"
_H = f"[{_HEXLIKE}]"
_SEP = f" ?[{_DASH}] ?"
_RUN = re.compile(
    rf"(?<![{_HEXLIKE}{_DASH}])"
    rf"({_H}{{8}}){_SEP}({_H}{{4}}){_SEP}({_H}{{4}}){_SEP}({_H}{{4}}){_SEP}({_H}{{12}})"
    rf"(?![{_HEXLIKE}{_DASH}])"
)
# The run at the end of a line and at the start of the next one, for a wrapped UUID.
_TAIL = re.compile(rf"[{_HEXLIKE}{_DASH}][{_HEXLIKE}{_DASH} ]*$")
_HEAD = re.compile(rf"^[{_HEXLIKE}{_DASH}][{_HEXLIKE}{_DASH} ]*")
_LABEL_WORD = "requestid"
_LABEL_FOLD = str.maketrans({"1": "i", "l": "i", "|": "i", "!": "i"})


@dataclass(frozen=True)
class TextBox:
    """One piece of recognised text: its corner points (x, y) and the engine's confidence."""

    text: str
    box: Sequence[tuple[float, float]]
    confidence: float = 1.0

    @property
    def left(self) -> float:
        return min(x for x, _ in self.box)

    @property
    def right(self) -> float:
        return max(x for x, _ in self.box)

    @property
    def top(self) -> float:
        return min(y for _, y in self.box)

    @property
    def bottom(self) -> float:
        return max(y for _, y in self.box)


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


@dataclass
class _Line:
    boxes: list[TextBox] = field(default_factory=list)

    @property
    def top(self) -> float:
        return min(box.top for box in self.boxes)

    @property
    def bottom(self) -> float:
        return max(box.bottom for box in self.boxes)

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def text(self) -> str:
        return " ".join(box.text.strip() for box in self.boxes)

    def confidence(self, start: int, end: int) -> float:
        """The lowest confidence of the boxes that the characters start..end came from."""
        lowest, offset = 1.0, 0
        for box in self.boxes:
            size = len(box.text.strip())
            if offset < end and start < offset + size:
                lowest = min(lowest, box.confidence)
            offset += size + 1
        return lowest


@dataclass(frozen=True)
class _Candidate:
    request_id: str
    line: int
    start: int
    confidence: float
    alone: bool = False  # nothing else but punctuation on its line


def group_lines(boxes: Iterable[TextBox]) -> list[_Line]:
    """Boxes whose middles lie within one another's height share a line, read left to right."""
    lines: list[_Line] = []
    for box in sorted(boxes, key=lambda b: (b.top + b.bottom) / 2):
        middle = (box.top + box.bottom) / 2
        for line in lines:
            if line.top <= middle <= line.bottom and box.top <= (line.top + line.bottom) / 2:
                line.boxes.append(box)
                break
        else:
            lines.append(_Line([box]))
    for line in lines:
        line.boxes.sort(key=lambda b: b.left)
    return sorted(lines, key=lambda line: line.top)


def _canonical(match: re.Match[str]) -> str | None:
    groups = [group.translate(_LOOKALIKES) for group in match.groups()]
    return canonical_request_id("-".join(groups))


def _candidates(lines: list[_Line]) -> list[_Candidate]:
    found = []
    for index, line in enumerate(lines):
        text = line.text
        for match in _RUN.finditer(text):
            if request_id := _canonical(match):
                conf = line.confidence(match.start(), match.end())
                rest = text[: match.start()] + text[match.end() :]
                alone = not any(char.isalnum() for char in rest)
                found.append(_Candidate(request_id, index, match.start(), conf, alone))
        if index + 1 < len(lines) and _adjacent(line, lines[index + 1]):
            found.extend(_wrapped(index, line, lines[index + 1]))
    return found


def _adjacent(upper: _Line, lower: _Line) -> bool:
    return lower.top - upper.bottom < 1.5 * max(upper.height, lower.height)


def _wrapped(index: int, upper: _Line, lower: _Line) -> list[_Candidate]:
    """A UUID that runs off the end of one line and on at the start of the next."""
    tail, head = _TAIL.search(upper.text), _HEAD.match(lower.text)
    if not tail or not head:
        return []
    first, second = tail.group().rstrip(), head.group().rstrip()
    match = _RUN.search(first + second)
    if not match or not match.start() < len(first) < match.end():
        return []
    request_id = _canonical(match)
    if request_id is None:
        return []
    start = tail.start() + match.start()
    conf = min(
        upper.confidence(start, len(upper.text)),
        lower.confidence(0, match.end() - len(first)),
    )
    return [_Candidate(request_id, index, start, conf)]


def _edit_distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, char_b in enumerate(b, 1):
            previous, row[j] = (
                row[j],
                min(row[j] + 1, row[j - 1] + 1, previous + (char_a != char_b)),
            )
    return row[-1]


def label_end(text: str) -> int | None:
    """Where a «Request ID» label (also misread: «Request lD», «Reguest ID») ends in a line."""
    folded = text.lower().translate(_LABEL_FOLD)
    letters = [(i, char) for i, char in enumerate(folded) if char.isalpha()]
    word = "".join(char for _, char in letters)
    best: tuple[int, int] | None = None
    for size in (len(_LABEL_WORD) - 1, len(_LABEL_WORD), len(_LABEL_WORD) + 1):
        for start in range(len(word) - size + 1):
            distance = _edit_distance(word[start : start + size], _LABEL_WORD)
            if distance <= 2 and (best is None or distance < best[0]):
                best = (distance, letters[start + size - 1][0] + 1)
    return None if best is None else best[1]


def _claimed(lines: list[_Line], found: list[_Candidate], index: int, end: int) -> str | None:
    """The one candidate a label on line `index` speaks for: after it, else on the next line."""
    after = sorted((c for c in found if c.line == index and c.start >= end), key=lambda c: c.start)
    if after:
        return after[0].request_id
    if index + 1 < len(lines) and _adjacent(lines[index], lines[index + 1]):
        below = {c.request_id for c in found if c.line == index + 1}
        if len(below) == 1:
            return below.pop()
    return None


def read_request_ids(boxes: Iterable[TextBox], min_confidence: float = 0.5) -> OcrReading:
    """Every Request ID its label speaks for; with no label read, a lone UUID on its own line.

    A UUID that has other words on its line («ID сессии: …», «Order …») is someone else's.
    """
    lines = group_lines(boxes)
    found = [c for c in _candidates(lines) if c.confidence >= min_confidence]
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
    return {
        c.request_id for c in _candidates(group_lines(boxes)) if c.confidence >= min_confidence
    }


def confirmed(reading: OcrReading, second_opinion: set[str]) -> OcrReading:
    """Only the IDs a second, independent reading found too: a disagreement means none."""
    return OcrReading(tuple(read for read in reading.ids if read.request_id in second_opinion))


def boxes_holding(request_id: str, boxes: Iterable[TextBox]) -> list[TextBox]:
    """The boxes that hold 5 characters or more of the ID in a row (look-alikes mapped)."""
    digits = request_id.replace("-", "")
    pieces = {digits[start : start + 5] for start in range(len(digits) - 4)}
    found = []
    for box in boxes:
        text = re.sub(f"[{_DASH} ]", "", box.text.translate(_LOOKALIKES)).lower()
        if any(piece in text for piece in pieces):
            found.append(box)
    return found
