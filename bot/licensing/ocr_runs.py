"""UUID runs in recognised lines: look-alikes mapped inside a run only, wraps joined.

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
from collections.abc import Iterable
from dataclasses import dataclass

from bot.licensing.ids import canonical_request_id
from bot.licensing.ocr_lines import Line, TextBox, adjacent

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


@dataclass(frozen=True)
class Candidate:
    request_id: str
    line: int
    start: int
    confidence: float
    alone: bool = False  # nothing else but punctuation on its line


def _canonical(match: re.Match[str]) -> str | None:
    groups = [group.translate(_LOOKALIKES) for group in match.groups()]
    return canonical_request_id("-".join(groups))


def candidates(lines: list[Line]) -> list[Candidate]:
    found = []
    for index, line in enumerate(lines):
        text = line.text
        for match in _RUN.finditer(text):
            if request_id := _canonical(match):
                conf = line.confidence(match.start(), match.end())
                rest = text[: match.start()] + text[match.end() :]
                alone = not any(char.isalnum() for char in rest)
                found.append(Candidate(request_id, index, match.start(), conf, alone))
        if index + 1 < len(lines) and adjacent(line, lines[index + 1]):
            found.extend(_wrapped(index, line, lines[index + 1]))
    return found


def _wrapped(index: int, upper: Line, lower: Line) -> list[Candidate]:
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
    return [Candidate(request_id, index, start, conf)]


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
