"""Unit tests render texts in Russian (the default language) unless a test says otherwise."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.i18n import RUSSIAN
from tests.support.catalog import translator


@pytest.fixture(autouse=True)
def speaking_russian() -> Iterator[None]:
    with translator().speaking(RUSSIAN):
        yield
