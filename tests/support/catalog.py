"""The bot's texts as the catalogs render them, for tests that assert through them.

in_russian(notices.agents_only)          # «Эта команда доступна только …»
in_english(days_left, 2)                 # "2 days left"
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import ParamSpec

from bot.i18n import ENGLISH, RUSSIAN, Translator

P = ParamSpec("P")


@cache
def translator() -> Translator:
    """The real catalogs, compiled once per test process."""
    return Translator()


def in_language(language: str, render: Callable[P, str], *args: P.args, **kwargs: P.kwargs) -> str:
    with translator().speaking(language):
        return render(*args, **kwargs)


def in_russian(render: Callable[P, str], *args: P.args, **kwargs: P.kwargs) -> str:
    return in_language(RUSSIAN, render, *args, **kwargs)


def in_english(render: Callable[P, str], *args: P.args, **kwargs: P.kwargs) -> str:
    return in_language(ENGLISH, render, *args, **kwargs)
