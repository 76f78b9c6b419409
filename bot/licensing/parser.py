"""Find license claims (Request ID, claimed status, claimed date) in pasted text.

Rules, where the design left a choice:
- A claim is a full 8-4-4-4-12 UUID after a label: "Request ID" in any case, spacing or
  joining (RequestID, request_id, Request-Id, Request\\nID), or "ID запроса" /
  "идентификатор запроса". Up to 40 separator characters (spaces, newlines, ``:=-``,
  quotes, brackets, markdown, arrows) may stand between label and UUID, and the word
  "is"/"это"; any other word may not.
  A label inside a URL or header (``?request_id=``, ``X-Request-ID:``) counts too.
- Before matching, text is cleaned: HTML tags and entities, NFKC, invisible and bidi
  characters, Unicode spaces and dashes, MarkdownV2 escapes, "> " quote prefixes.
  Cyrillic/Greek look-alike letters count as Latin in labels and in the UUID itself.
  Single spaces around a hyphen, or a line break at one, are tolerated inside the UUID.
- A UUID with a hex digit (or "-" and a hex digit) glued on is not a claim.
- A block's status text is the nearest run of status sentences before its label, or
  after its UUID when the text is laid out that way. One layout is chosen per text: the
  one giving more blocks a status, then more a date; ties go to the widget's own order
  (status first). A block whose side is empty may use the other, if no neighbour has it.
- Status: expired beats demo beats active; else unknown. A demo remark in the sentence
  next to an active one, on the same line, makes the claim demo. The date is the first one
  after «до»/«по»/"until" in that text, else a date in a sentence with a status word or
  «срок» (not one followed by a clock time: that is a message timestamp). Day comes
  first; two-digit years mean 20yy; an impossible date gives no date.
- The same Request ID twice is one claim at its first place, taking status and date from
  the first occurrence that has either.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from bot.licensing.ids import canonical_request_id
from bot.licensing.models import Claim, ClaimedStatus

# --- normalisation -------------------------------------------------------------------

_SURROGATES = re.compile("[\ud800-\udfff]")
_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb"
    "\U0001d173-\U0001d17a\U000e0000-\U000e007f\U000e0100-\U000e01ef]"
)
_DASHES = re.compile(
    "[\u02d7\u058a\u2010-\u2015\u2043\u2212\u2796\u2e17\u2e3a\u2e3b\ufe58\ufe63\uff0d]"
)
_SPACES = re.compile(r"[^\S\n]+")
_MD_ESCAPE = re.compile(r"\\(?=[-_*\[\]()~`>#+=|{}.!])")
_QUOTE_PREFIX = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.M)
_TAG = re.compile(r"<\s*/?\s*([a-z][a-z0-9-]{0,11})(?=[\s/>])[^<>]{0,300}>", re.I)
# fmt: off
_BLOCK_TAGS = frozenset({
    "br", "p", "div", "li", "ul", "ol", "tr", "table", "tbody", "thead", "blockquote",
    "pre", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header",
    "footer",
})
_INLINE_TAGS = frozenset({
    "a", "b", "i", "u", "s", "em", "strong", "code", "span", "font", "del", "ins",
    "strike", "sub", "sup", "small", "mark", "q", "cite", "kbd", "samp", "var", "abbr",
    "td", "th", "nobr", "wbr", "img", "label", "html", "body", "head", "meta",
    "tg-spoiler", "tg-emoji",
})
# fmt: on


def _strip_tag(match: re.Match[str]) -> str:
    name = match.group(1).lower()
    if name in _BLOCK_TAGS:
        return "\n"
    return "" if name in _INLINE_TAGS else match.group(0)


def _normalize(text: str) -> str:
    """Clean a pasted text so that what looks alike reads alike."""
    text = _SURROGATES.sub("\ufffd", text)
    text = _CONTROLS.sub(" ", _LINE_BREAKS.sub("\n", text))
    if "<" in text or "&" in text:
        text = html.unescape(_TAG.sub(_strip_tag, text))
    # NFKC would turn № into "No", which is a word and would break "Request ID № ...".
    text = _INVISIBLE.sub("", text.replace("\u2116", "#"))
    text = unicodedata.normalize("NFKC", text)
    text = _SPACES.sub(" ", _DASHES.sub("-", text))
    return _QUOTE_PREFIX.sub("", _MD_ESCAPE.sub("", text))


# One-to-one, so the skeleton keeps the positions of the normalised text.
_SKELETON = str.maketrans(
    "аеорсухкіјѕԛԁԝһгтАВЕКМНОРСТХУІӀЈЅԚԀΑΒΕΖΗΙΚΜΝΟΡΤΥΧοιυν",
    "aeopcyxkijsqdwhrtABEKMHOPCTXYIIJSQDABEZHIKMNOPTYXoiuv",
)

# --- Request ID blocks ---------------------------------------------------------------

_RUSSIAN_LABEL = "(?:id|ид)[ _-]{0,3}запроса|идентификатор {1,3}запроса".translate(_SKELETON)
_LABEL = f"(?:request[\\s_.-]{{0,3}}id|{_RUSSIAN_LABEL})"
_SEPARATOR = "[\\s:=*_`'\"«»“”„‘’‹›<>\\[\\](){}|#~.,;/\\\\\u2190-\u21ff\u27a1\U0001f449-]{0,40}"
_HYPHEN = " ?\n? ?- ?\n? ?"
_UUID = f"[0-9a-f]{{8}}(?:{_HYPHEN}[0-9a-f]{{4}}){{3}}{_HYPHEN}[0-9a-f]{{12}}"
_FILLER = f"(?:(?:is|{'это'.translate(_SKELETON)}){_SEPARATOR})?"  # "Request ID is ..."
_BLOCK = re.compile(f"{_LABEL}{_SEPARATOR}{_FILLER}(?P<uuid>{_UUID})", re.I)
_HEX = frozenset("0123456789abcdefABCDEF")
_BLANKS = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class _Block:
    request_id: str
    start: int  # where the label starts
    end: int  # where the UUID ends


def _glued(norm: str, end: int) -> bool:
    """True when more hex (or "-hex") follows the UUID: it is longer than a UUID."""
    follower = norm[end : end + 2]
    return follower[:1] in _HEX or (follower[:1] == "-" and follower[1:] in _HEX)


def _find_blocks(norm: str) -> list[_Block]:
    blocks = []
    for match in _BLOCK.finditer(norm.translate(_SKELETON)):
        if _glued(norm, match.end()):
            continue
        # The match may break a line or put a space at a hyphen; the one normaliser does not.
        request_id = canonical_request_id(_BLANKS.sub("", match.group("uuid")))
        if request_id is not None:  # always, for what _UUID matched
            blocks.append(_Block(request_id, match.start(), match.end()))
    return blocks


# --- status words and dates ----------------------------------------------------------

_EXPIRED = re.compile(
    r"\bистек(?:ла|ло|ли)?\b|\bзакончил(?:ась|ся|ось|ись)|\bкончил(?:ась|ся|ось)"
    r"|\bне ?актив|\bне ?действ|\bпросроч|\bдеактив|\bзавершил(?:ась|ся)"
    r"|\bexpired\b|\binactive\b|\binvalid\b|\bnot (?:active|valid)\b|\bno longer\b"
)
_DEMO = re.compile(r"\bдемо|\bdemo|\btrial\b|\bпробн|\bтриал")
_ACTIVE = re.compile(
    r"\bактивн(?:а|ен|ая|ый|о)\b|\bактивирован|\bдейств(?:ует|ующ|ительн|ителен)"
    r"|\bактуальн|\bactive\b|\bvalid\b"
)
_TERM = re.compile(r"\bсрок|\bexpir|\bterm\b")
_LICENSE = re.compile(r"\bлиценз|\blicen[cs]e")
_UNTIL = re.compile(
    r"(?<![a-zа-я])(?:до|по|until|till|through|thru|to|expires?(?: on)?|истекает)[\s:*_`'\"«»(]*$"
)
_CLOCK = re.compile(r"[\s,]*(?:г\.?|года)?[\s,]*\d{1,2}:\d{2}")
# fmt: off
_MONTHS = (
    "янв", "фев", "мар", "апр", "ма", "июн", "июл", "авг", "сен", "окт", "ноя", "дек",
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
)
# fmt: on
_MONTH_WORD = r"(?:янв|фев|мар|апр|ма[йя]|июн|июл|авг|сен|окт|ноя|дек)[а-я]*\.?"
_EN_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE = re.compile(
    r"(?<![\d.])(?:"
    r"(?P<d>\d{1,2})(?P<s>[./-]) ?(?P<m>\d{1,2})(?P=s) ?(?P<y>\d{4}|\d{2})"
    r"|(?P<iy>\d{4})(?P<iss>[./-])(?P<im>\d{1,2})(?P=iss)(?P<id>\d{1,2})"
    rf"|(?P<wd>\d{{1,2}}) ?(?:-?го )?(?P<wm>{_MONTH_WORD}|{_EN_MONTH}),? (?P<wy>\d{{4}})"
    rf"|(?P<em>{_EN_MONTH}) (?P<ed>\d{{1,2}})(?:st|nd|rd|th)?,? (?P<ey>\d{{4}})"
    r")(?!\d|\.\d)"
)
_SENTENCES = re.compile(r"(?<=[!?;])\s+|(?<=\.)\s+(?=[^\d\s])|(?<=:)\s+(?=[A-ZА-ЯЁ])")
_WORDY = re.compile(r"\w")
_UNIT_CAP = 400  # a status sentence is short; a longer "sentence" is read near the label


def _to_date(match: re.Match[str]) -> date | None:
    """The calendar date a match names, or None when no such day exists."""
    groups = match.groupdict()
    if groups["y"]:
        day, month, year = groups["d"], groups["m"], groups["y"]
    elif groups["iy"]:
        day, month, year = groups["id"], groups["im"], groups["iy"]
    else:
        word = groups["wm"] or groups["em"]
        day, year = groups["wd"] or groups["ed"], groups["wy"] or groups["ey"]
        key = word[:3] if word[:3] in _MONTHS else word[:2]  # «мая», «май» → "ма"
        month = str(_MONTHS.index(key) % 12 + 1)
    full_year = int(year) + 2000 if len(year) == 2 else int(year)
    try:
        return date(full_year, int(month), int(day))
    except ValueError:
        return None


def _status_of(low: str) -> ClaimedStatus:
    if _EXPIRED.search(low):
        return ClaimedStatus.EXPIRED
    if _DEMO.search(low):
        return ClaimedStatus.DEMO
    if _ACTIVE.search(low):
        return ClaimedStatus.ACTIVE
    return ClaimedStatus.UNKNOWN


_RANK = {
    ClaimedStatus.UNKNOWN: 0,
    ClaimedStatus.ACTIVE: 1,
    ClaimedStatus.DEMO: 2,
    ClaimedStatus.EXPIRED: 3,
}


@dataclass(frozen=True, slots=True)
class _Sentence:
    status: ClaimedStatus
    until: re.Match[str] | None  # first date after «до»/"until"
    dated: re.Match[str] | None  # first other date, if the sentence talks about the term
    hint: bool  # reads like a status line at all


def _read_sentence(text: str) -> _Sentence:
    low = text.lower().replace("ё", "е")
    status = _status_of(low)
    term = status is not ClaimedStatus.UNKNOWN or bool(_TERM.search(low))
    until = dated = None
    for match in _DATE.finditer(low):
        if until is None and _UNTIL.search(low[max(0, match.start() - 24) : match.start()]):
            until = match
        elif dated is None and term and not _CLOCK.match(low, match.end()):
            dated = match
    hint = term or until is not None or bool(_LICENSE.search(low))
    return _Sentence(status, until, dated, hint)


# --- pairing blocks with their status text -------------------------------------------


@dataclass(frozen=True, slots=True)
class _StatusRun:
    status: ClaimedStatus
    expires_on: date | None
    used: frozenset[int]  # indices of the gap's sentences it was read from


def _sentences(gap: str) -> list[tuple[int, str]]:
    """The gap's sentences, each with the number of the line it stands on."""
    return [
        (line_number, part.strip())
        for line_number, line in enumerate(gap.split("\n"))
        for part in _SENTENCES.split(line)
        if _WORDY.search(part)
    ]


def _demo_next_to(sentences: list[tuple[int, str]], index: int, backward: bool) -> bool:
    """A demo remark on the same line next to the status sentence ("Демо. Активна до ...")."""
    neighbour = index - 1 if backward else index + 1
    if not 0 <= neighbour < len(sentences) or sentences[neighbour][0] != sentences[index][0]:
        return False
    text = sentences[neighbour][1]
    piece = text[-_UNIT_CAP:] if backward else text[:_UNIT_CAP]
    return _read_sentence(piece).status is ClaimedStatus.DEMO


def _walk(sentences: list[tuple[int, str]], backward: bool) -> _StatusRun | None:
    """Read the status run nearest the label: backward before it, forward after the UUID."""
    order = range(len(sentences) - 1, -1, -1) if backward else range(len(sentences))
    used: list[int] = []
    status, until, dated, skipped = ClaimedStatus.UNKNOWN, None, None, 0
    for index in order:
        text = sentences[index][1]
        sentence = _read_sentence(text[-_UNIT_CAP:] if backward else text[:_UNIT_CAP])
        if not sentence.hint:
            # Before the run starts, a line like "вот:" may stand between; inside it, not.
            skipped += 1
            if used or skipped > 2:
                break
            continue
        used.append(index)
        if _RANK[sentence.status] > _RANK[status]:
            status = sentence.status
        until = until or sentence.until
        dated = dated or sentence.dated
        if status is not ClaimedStatus.UNKNOWN and (until or dated):
            if status is ClaimedStatus.ACTIVE and _demo_next_to(sentences, index, backward):
                status = ClaimedStatus.DEMO
            break
        if len(used) >= 3:
            break
    if not used:
        return None
    chosen = until or dated
    return _StatusRun(status, _to_date(chosen) if chosen else None, frozenset(used))


def _free(mine: _StatusRun | None, theirs: _StatusRun | None) -> bool:
    return mine is None or theirs is None or not mine.used & theirs.used


def _assign(
    before: list[_StatusRun | None], after: list[_StatusRun | None]
) -> list[_StatusRun | None]:
    """Pick, per block, the status text before or after it, one layout for the whole text."""
    last = len(before) - 1
    status_first = [
        mine or (after[i] if i == last or _free(after[i], before[i + 1]) else None)
        for i, mine in enumerate(before)
    ]
    status_after = [
        mine or (before[i] if i == 0 or _free(before[i], after[i - 1]) else None)
        for i, mine in enumerate(after)
    ]

    def score(found: list[_StatusRun | None]) -> tuple[int, int]:
        read = [item for item in found if item is not None]
        return len(read), sum(item.expires_on is not None for item in read)

    return status_after if score(status_after) > score(status_first) else status_first


def _dedupe(claims: list[Claim]) -> list[Claim]:
    """One claim per Request ID, at its first place, from its first informative occurrence."""
    kept: dict[str, Claim] = {}
    for claim in claims:
        previous = kept.get(claim.request_id)
        if previous is None or (
            previous.status is ClaimedStatus.UNKNOWN and previous.expires_on is None
        ):
            kept[claim.request_id] = claim
    return list(kept.values())


def parse_claims(text: str) -> list[Claim]:
    """Every license claim in a pasted text, in order of appearance; never raises on a str."""
    if not isinstance(text, str) or not text:
        return []
    norm = _normalize(text)
    blocks = _find_blocks(norm)
    if not blocks:
        return []
    starts = [0, *(block.end for block in blocks)]
    ends = [*(block.start for block in blocks), len(norm)]
    gaps = [_sentences(norm[start:end]) for start, end in zip(starts, ends, strict=True)]
    before = [_walk(gaps[i], backward=True) for i in range(len(blocks))]
    after = [_walk(gaps[i + 1], backward=False) for i in range(len(blocks))]
    claims = [
        Claim(
            block.request_id,
            found.status if found else ClaimedStatus.UNKNOWN,
            found.expires_on if found else None,
        )
        for block, found in zip(blocks, _assign(before, after), strict=True)
    ]
    return _dedupe(claims)
