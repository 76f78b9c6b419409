"""Fixtures for the integration tests: a real SQLite file behind the Repository."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.db import Database
from storage.repository import Repository


@pytest.fixture
async def repo(tmp_path: Path) -> AsyncIterator[Repository]:
    """A fresh database (in a folder that does not exist yet: the app creates it)."""
    db = Database(tmp_path / "nested" / "bot.sqlite3")
    await db.connect()
    yield Repository(db)
    await db.close()
