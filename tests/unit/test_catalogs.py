"""The catalogs: both compile, hold every text the code asks for, and keep its placeholders.

The msgids the code uses are found the way `pybabel extract` finds them (Babel's extractor
over bot/), so a text added to the code and not to the catalogs fails here.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import LANGUAGES, LOCALES_DIR, CatalogError, Translator, compile_catalog
from tests.fakes.telegram_html import parse_html

BOT_DIR = Path(__file__).resolve().parents[2] / "bot"
PLURAL_FORMS = {"ru": 3, "en": 2}
PERCENT_FIELD = re.compile(r"%\((\w+)\)[sd]")

MsgId = str | tuple[str, str]


def load(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=locale)


def po_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / "messages.po"


def key(msgid: MsgId) -> str:
    return msgid[0] if isinstance(msgid, tuple) else msgid


def used_in_code() -> dict[str, MsgId]:
    found: dict[str, MsgId] = {}
    for _file, _line, msgid, _comments, _context in extract_from_dir(
        BOT_DIR, method_map=[("**.py", "python")]
    ):
        found[key(msgid)] = msgid
    return found


def entries(catalog: Catalog) -> list[Message]:
    return [message for message in catalog if message.id]


def fields(text: str) -> set[str]:
    names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    return names | set(PERCENT_FIELD.findall(text))


def forms(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def test_the_code_asks_for_texts():
    assert len(used_in_code()) > 50


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_compiles(language):
    translations = compile_catalog(po_path(language))
    assert translations.info()["language"] == language


def test_the_bot_starts_with_both_catalogs():
    assert set(Translator().available_locales) == set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_in_the_code_is_translated(language):
    catalog = load(po_path(language))
    problems = []
    for msgid_key, msgid in used_in_code().items():
        message = catalog.get(msgid_key)
        if message is None:
            problems.append(f"missing: {msgid_key!r}")
        elif isinstance(msgid, tuple) != message.pluralizable:
            problems.append(f"plural in one place only: {msgid_key!r}")
        elif not all(form.strip() for form in forms(message)):
            problems.append(f"empty: {msgid_key!r}")
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_holds_nothing_the_code_no_longer_uses(language):
    assert {key(m.id) for m in entries(load(po_path(language)))} == set(used_in_code())


def test_template_is_up_to_date():
    template = load(LOCALES_DIR / "messages.pot")
    assert {key(m.id) for m in entries(template)} == set(used_in_code())


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_are_the_same_in_every_form(language):
    problems = []
    for message in entries(load(po_path(language))):
        ids = list(message.id) if isinstance(message.id, tuple) else [message.id]
        expected = set().union(*(fields(text) for text in ids))
        for form in forms(message):
            if fields(form) != expected:
                problems.append((key(message.id), sorted(fields(form)), sorted(expected)))
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms(language):
    catalog = load(po_path(language), locale=language)
    assert catalog.num_plurals == PLURAL_FORMS[language]
    plurals = [m for m in entries(catalog) if m.pluralizable]
    assert plurals
    for message in plurals:
        assert len(forms(message)) == PLURAL_FORMS[language], message.id


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_fuzzy_entries(language):
    catalog = load(po_path(language))
    assert not catalog.fuzzy
    assert [key(m.id) for m in entries(catalog) if m.fuzzy] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_is_valid_telegram_html(language):
    for message in entries(load(po_path(language))):
        for form in forms(message):
            filled = form.format_map({name: "x" for name in fields(form)})
            parse_html(filled)  # raises on a tag a translation broke


RUSSIAN_HEADER = (
    'msgid ""\nmsgstr ""\n"Language: ru\\n"\n'
    '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && '
    '(n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n'
)


@pytest.mark.parametrize(
    "body",
    [
        'msgid "Hello"\nmsgstr "Привет"\nmsgsrt "typo"\n',  # not .po syntax
        'msgid "Hello"\n',  # no msgstr
        'msgid "{n} day"\nmsgid_plural "{n} days"\nmsgstr[0] "{n} день"\n',  # 1 form of 3
    ],
    ids=["syntax", "no-msgstr", "plural-forms"],
)
def test_a_broken_catalog_stops_the_start(tmp_path, body):
    for language in LANGUAGES:
        path = tmp_path / language / "LC_MESSAGES" / "messages.po"
        path.parent.mkdir(parents=True)
        path.write_text(RUSSIAN_HEADER + body, encoding="utf-8")
    with pytest.raises(CatalogError):
        compile_catalog(tmp_path / "ru" / "LC_MESSAGES" / "messages.po")
    with pytest.raises(CatalogError):
        Translator(tmp_path)


def test_a_missing_language_stops_the_start(tmp_path):
    only_russian = tmp_path / "ru" / "LC_MESSAGES" / "messages.po"
    only_russian.parent.mkdir(parents=True)
    only_russian.write_bytes(po_path("ru").read_bytes())
    with pytest.raises(CatalogError, match="en"):
        Translator(tmp_path)
