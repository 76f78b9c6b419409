"""Text boxes from an OCR engine put into lines, and the «Request ID» label found in a line."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

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


@dataclass
class Line:
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


def group_lines(boxes: Iterable[TextBox]) -> list[Line]:
    """Boxes whose middles lie within one another's height share a line, read left to right."""
    lines: list[Line] = []
    for box in sorted(boxes, key=lambda b: (b.top + b.bottom) / 2):
        middle = (box.top + box.bottom) / 2
        for line in lines:
            if line.top <= middle <= line.bottom and box.top <= (line.top + line.bottom) / 2:
                line.boxes.append(box)
                break
        else:
            lines.append(Line([box]))
    for line in lines:
        line.boxes.sort(key=lambda b: b.left)
    return sorted(lines, key=lambda line: line.top)


def adjacent(upper: Line, lower: Line) -> bool:
    return lower.top - upper.bottom < 1.5 * max(upper.height, lower.height)


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
