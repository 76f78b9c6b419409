"""Telegram's HTML parse mode, checked the way the Bot API checks it.

`parse_html` turns a `parse_mode="HTML"` text into the plain text a user sees plus its
entities (offsets in UTF-16 code units), or raises `HtmlParseError` whose message has the
wording the Bot API puts after "Bad Request: can't parse entities: ".

What Telegram rejects, this rejects: unknown tags (`<script>`, `<p>`, `<br>`), a bare `<`
(`a < b`, `x<3`), end tags that close nothing or the wrong tag, tags left open, malformed
attributes, `<span>` without class "tg-spoiler". Nesting rules (e.g. bold inside code) are
not errors: Telegram silently drops such entities, and so does not matter for a test.

One deliberate difference: real Telegram keeps a stray `&` (or an unknown entity like
`&nbsp;`) as literal text, but its docs say every `&` must be written `&amp;`. With
`strict_ampersand=True` (the default) a stray `&` is an error, so a bot that forgets to
escape user text fails here instead of showing garbled text in production.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "a": "text_link",
    "tg-emoji": "custom_emoji",
    "tg-time": "date_time",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_NUMERIC_ENTITY = re.compile(r"&#(?:x([0-9a-fA-F]+)|([0-9]+))(;?)")
_NAMED_ENTITY = re.compile(r"&([A-Za-z]*)(;?)")
_NAME_TOKEN = re.compile(r"[A-Za-z0-9.\-]*")


class HtmlParseError(ValueError):
    """The text is not valid Telegram HTML; str() is Telegram's description of why."""


@dataclass
class ParsedText:
    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Open:
    tag: str
    start: int  # UTF-16 offset in the output
    chars: int  # index in the output string, for <a> without href
    attrs: dict[str, str]


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _decode_entity(source: str, pos: int) -> tuple[str, int] | None:
    """Decode the character reference at source[pos] == '&'; None if it is not one."""
    numeric = _NUMERIC_ENTITY.match(source, pos)
    if numeric:
        digits = numeric.group(1) or numeric.group(2)
        value = int(digits, 16 if numeric.group(1) else 10)
        if len(digits) > 7 or value == 0 or value >= 0x10FFFF or 0xD800 <= value < 0xE000:
            return None
        return chr(value), numeric.end()
    named = _NAMED_ENTITY.match(source, pos)
    if named and named.group(1) in _NAMED_ENTITIES:
        return _NAMED_ENTITIES[named.group(1)], named.end()
    return None


class _Parser:
    def __init__(self, source: str, strict_ampersand: bool) -> None:
        self.src = source
        self.strict = strict_ampersand
        self.pos = 0
        self.out: list[str] = []
        self.chars = 0  # length of the output so far
        self.offset = 0  # the same in UTF-16 code units
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []

    def byte_offset(self, pos: int) -> int:
        return len(self.src[:pos].encode("utf-8"))

    def emit(self, chunk: str) -> None:
        self.out.append(chunk)
        self.chars += len(chunk)
        self.offset += utf16_len(chunk)

    def at(self, pos: int) -> str:
        return self.src[pos] if pos < len(self.src) else ""

    def skip_spaces(self) -> None:
        while self.at(self.pos).isspace():
            self.pos += 1

    def run(self) -> ParsedText:
        src = self.src
        while self.pos < len(src):
            char = src[self.pos]
            if char == "&":
                self.ampersand()
            elif char == "<":
                if self.at(self.pos + 1) == "/":
                    self.end_tag()
                else:
                    self.start_tag()
            else:
                found = (src.find("&", self.pos), src.find("<", self.pos))
                nxt = min((i for i in found if i >= 0), default=len(src))
                self.emit(src[self.pos : nxt])
                self.pos = nxt
        if self.stack:
            raise HtmlParseError(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].tag}"'
            )
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return ParsedText("".join(self.out), self.entities)

    def ampersand(self) -> None:
        decoded = _decode_entity(self.src, self.pos)
        if decoded is not None:
            self.emit(decoded[0])
            self.pos = decoded[1]
            return
        if self.strict:
            named = _NAMED_ENTITY.match(self.src, self.pos)
            where = f"at byte offset {self.byte_offset(self.pos)}"
            if named and named.group(1) and named.group(2):
                raise HtmlParseError(f'Unsupported HTML entity "{named.group(0)}" {where}')
            raise HtmlParseError(f'Character "&" {where} must be escaped as "&amp;"')
        self.emit("&")
        self.pos += 1

    def read_name(self) -> str:
        start = self.pos
        while self.pos < len(self.src) and not self.src[self.pos].isspace():
            if self.src[self.pos] in "=>":
                break
            self.pos += 1
        return self.src[start : self.pos].lower()

    def start_tag(self) -> None:
        begin = self.pos
        where = f"at byte offset {self.byte_offset(begin)}"
        self.pos += 1
        tag_start = self.pos
        while self.pos < len(self.src) and not self.src[self.pos].isspace():
            if self.src[self.pos] == ">":
                break
            self.pos += 1
        if self.pos >= len(self.src):
            raise HtmlParseError(f"Unclosed start tag {where}")
        tag = self.src[tag_start : self.pos].lower()
        if tag not in _SIMPLE_TAGS:
            raise HtmlParseError(f'Unsupported start tag "{tag}" {where}')
        attrs: dict[str, str] = {}
        while True:
            self.skip_spaces()
            if self.pos >= len(self.src):
                raise HtmlParseError(f"Unclosed start tag {where}")
            if self.src[self.pos] == ">":
                self.pos += 1
                break
            name = self.read_name()
            if not name:
                raise HtmlParseError(f'Empty attribute name in the tag "{tag}" {where}')
            self.skip_spaces()
            if self.at(self.pos) != "=":
                if tag == "blockquote" and name == "expandable":
                    attrs[name] = ""
                    continue
                raise HtmlParseError(
                    "Expected equal sign in declaration of an attribute of the tag "
                    f'"{tag}" {where}'
                )
            self.pos += 1
            self.skip_spaces()
            attrs[name] = self.attribute_value(where)
        if tag == "span" and attrs.get("class") != "tg-spoiler":
            raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" {where}')
        if tag == "tg-time" and not attrs.get("unix", "").isdigit():
            raise HtmlParseError(f'Tag "tg-time" must have attribute "unix" {where}')
        self.stack.append(_Open(tag, self.offset, self.chars, attrs))

    def attribute_value(self, where: str) -> str:
        quote = self.at(self.pos)
        if quote not in ("'", '"'):
            token = _NAME_TOKEN.match(self.src, self.pos)
            assert token is not None
            self.pos = token.end()
            nxt = self.at(self.pos)
            if nxt and not nxt.isspace() and nxt != ">":
                raise HtmlParseError(
                    f"Unexpected end of name token at byte offset {self.byte_offset(self.pos)}"
                )
            if not nxt:
                raise HtmlParseError(f"Unclosed start tag {where}")
            return token.group(0).lower()
        self.pos += 1
        value: list[str] = []
        while self.pos < len(self.src) and self.src[self.pos] != quote:
            decoded = _decode_entity(self.src, self.pos) if self.src[self.pos] == "&" else None
            if decoded is not None:
                value.append(decoded[0])
                self.pos = decoded[1]
            else:
                value.append(self.src[self.pos])
                self.pos += 1
        if self.pos >= len(self.src):
            raise HtmlParseError(f"Unclosed start tag {where}")
        self.pos += 1
        return "".join(value)

    def end_tag(self) -> None:
        begin = self.pos
        where = f"at byte offset {self.byte_offset(begin)}"
        if not self.stack:
            raise HtmlParseError(f"Unexpected end tag {where}")
        self.pos += 2
        name_start = self.pos
        while self.pos < len(self.src) and not self.src[self.pos].isspace():
            if self.src[self.pos] == ">":
                break
            self.pos += 1
        name = self.src[name_start : self.pos].lower()
        self.skip_spaces()
        if self.at(self.pos) != ">":
            raise HtmlParseError(f"Unclosed end tag {where}")
        self.pos += 1
        top = self.stack[-1]
        if name and name != top.tag:
            raise HtmlParseError(
                f'Unmatched end tag {where}, expected "</{top.tag}>", found "</{name}>"'
            )
        self.stack.pop()
        self.close(top)

    def close(self, opened: _Open) -> None:
        length = self.offset - opened.start
        if opened.tag == "code" and self.stack and self.stack[-1].tag == "pre":
            language = opened.attrs.get("class", "")
            if language.startswith("language-"):
                self.stack[-1].attrs["language"] = language.removeprefix("language-")
                return
        if length <= 0:
            return
        entity: dict[str, Any] = {
            "type": _SIMPLE_TAGS[opened.tag],
            "offset": opened.start,
            "length": length,
        }
        if opened.tag == "a":
            entity["url"] = opened.attrs.get("href") or "".join(self.out)[opened.chars :]
        elif opened.tag == "pre" and opened.attrs.get("language"):
            entity["language"] = opened.attrs["language"]
        elif opened.tag == "blockquote" and "expandable" in opened.attrs:
            entity["type"] = "expandable_blockquote"
        elif opened.tag == "tg-emoji":
            entity["custom_emoji_id"] = opened.attrs.get("emoji-id", "")
        elif opened.tag == "tg-time":
            entity["unix_time"] = int(opened.attrs["unix"])
            if opened.attrs.get("format"):
                entity["date_time_format"] = opened.attrs["format"]
        self.entities.append(entity)


def parse_html(source: str, *, strict_ampersand: bool = True) -> ParsedText:
    """Parse Telegram HTML; raise HtmlParseError with Telegram's wording if it is invalid."""
    return _Parser(source, strict_ampersand).run()


def strip_text(parsed: ParsedText) -> ParsedText:
    """Trim leading/trailing whitespace like Telegram does, moving entities with the text."""
    text = parsed.text
    stripped = text.strip()
    if stripped == text:
        return parsed
    cut = utf16_len(text[: len(text) - len(text.lstrip())])
    end = utf16_len(stripped)
    entities = []
    for entity in parsed.entities:
        start = max(entity["offset"] - cut, 0)
        stop = min(entity["offset"] + entity["length"] - cut, end)
        if stop > start:
            entities.append({**entity, "offset": start, "length": stop - start})
    return ParsedText(stripped, entities)
