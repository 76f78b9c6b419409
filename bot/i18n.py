"""Texts in Russian and English: aiogram's gettext I18n, fed straight from the .po catalogs.

The .po files in bot/locales are the single source of truth: they are compiled in memory
at start-up, so no .mo file is kept in the tree and a broken catalog stops the bot (and a
test) at once. Who is spoken to in which language is decided here too.
"""

from __future__ import annotations

import gettext
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from io import BytesIO
from pathlib import Path
from typing import Protocol

from aiogram.utils.i18n import I18n
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "messages"
RUSSIAN = "ru"
ENGLISH = "en"
LANGUAGES = (RUSSIAN, ENGLISH)
DEFAULT_LANGUAGE = RUSSIAN


class CatalogError(RuntimeError):
    """A catalog is missing or does not compile."""


def compile_catalog(po_path: Path) -> gettext.GNUTranslations:
    """Compile one .po file in memory, after Babel's checks; fuzzy entries are left out."""
    try:
        with po_path.open("rb") as source:
            catalog = read_po(
                source, locale=po_path.parent.parent.name, domain=DOMAIN, abort_invalid=True
            )
    except (OSError, ValueError, PoFileError) as exc:
        raise CatalogError(f"catalog {po_path} does not read: {exc}") from exc
    problems = [f"{m.id!r}: {e}" for m, errors in catalog.check() for e in errors]
    problems += [
        f"{m.id!r}: plural forms partly missing"
        for m in catalog
        if isinstance(m.string, tuple) and any(m.string) and not all(m.string)
    ]
    if problems:
        raise CatalogError(f"catalog {po_path} does not compile: {'; '.join(problems)}")
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    try:
        return gettext.GNUTranslations(buffer)
    except (OSError, ValueError) as exc:  # e.g. a Plural-Forms expression gettext rejects
        raise CatalogError(f"catalog {po_path} does not compile: {exc}") from exc


class Translator(I18n):
    """aiogram's I18n whose catalogs are the .po files, compiled when it is built."""

    def __init__(self, path: Path = LOCALES_DIR, default_locale: str = DEFAULT_LANGUAGE) -> None:
        super().__init__(path=path, default_locale=default_locale, domain=DOMAIN)
        missing = set(LANGUAGES) - set(self.locales)
        if missing:
            raise CatalogError(f"no catalog for {', '.join(sorted(missing))} in {path}")

    def find_locales(self) -> dict[str, gettext.GNUTranslations]:
        found: dict[str, gettext.GNUTranslations] = {}
        for folder in sorted(self.path.iterdir()):
            po_path = folder / "LC_MESSAGES" / f"{self.domain}.po"
            if folder.is_dir() and po_path.exists():
                found[folder.name] = compile_catalog(po_path)
        return found

    @contextmanager
    def context(self) -> Iterator[I18n]:
        """Install this catalog where aiogram's `gettext` looks for it.

        aiogram keeps one context variable per class, and `gettext` reads I18n's: the
        inherited `context()` would set Translator's, which nothing reads.
        """
        token = I18n.set_current(self)
        try:
            yield self
        finally:
            I18n.reset_current(token)

    @contextmanager
    def speaking(self, locale: str) -> Iterator[None]:
        """Texts rendered inside come out in `locale` (for code outside any update)."""
        with self.context(), self.use_locale(locale):
            yield


def person_language(language_code: str | None) -> str:
    """A person's language from Telegram's `language_code`: en… is English, all else Russian."""
    if language_code and language_code.strip().lower().startswith(ENGLISH):
        return ENGLISH
    return RUSSIAN


class LanguageStore(Protocol):
    async def chat_language(self, chat_id: int) -> str | None: ...


class ChatLanguages:
    """The language a whole chat is spoken to in: the pin, reminders, later answers, alerts."""

    def __init__(self, translator: Translator, store: LanguageStore) -> None:
        self.translator = translator
        self.store = store

    async def of(self, chat_id: int) -> str:
        language = await self.store.chat_language(chat_id)
        return language if language in LANGUAGES else self.translator.default_locale

    @asynccontextmanager
    async def speaking_to(self, chat_id: int) -> AsyncIterator[str]:
        """Render texts for this chat inside the block; yields the language chosen."""
        language = await self.of(chat_id)
        with self.translator.speaking(language):
            yield language
