"""A chat's language on disk: kept across restarts, adopted once, moved with a migrated group."""

from __future__ import annotations

import sqlite3

from storage.db import Database
from storage.migrations import MIGRATIONS
from storage.repository import Repository


async def test_first_language_sticks_until_set_and_survives_a_restart(tmp_path):
    db = Database(tmp_path / "bot.sqlite3")
    await db.connect()
    repo = Repository(db)
    await repo.upsert_chat(-100, "supergroup", "Shop")
    assert await repo.chat_language(-100) is None
    await repo.adopt_chat_language(-100, "en")  # the first sharer
    await repo.adopt_chat_language(-100, "ru")  # a later one changes nothing
    assert await repo.chat_language(-100) == "en"
    await repo.upsert_chat(-100, "supergroup", "Shop, renamed")  # a later paste
    assert await repo.chat_language(-100) == "en"
    await repo.set_chat_language(-100, "ru")  # an agent's /language
    await db.close()

    again = Database(tmp_path / "bot.sqlite3")
    await again.connect()
    assert await Repository(again).chat_language(-100) == "ru"
    await again.close()


async def test_an_unknown_chat_has_no_language_and_gets_none(repo):
    await repo.set_chat_language(42, "en")
    await repo.adopt_chat_language(42, "en")
    assert await repo.chat_language(42) is None
    assert await repo.get_chat(42) is None


async def test_a_migrated_group_keeps_its_language(repo):
    await repo.upsert_chat(-5, "group", "Shop")
    await repo.set_chat_language(-5, "en")
    await repo.migrate_chat(-5, -1005)
    assert await repo.chat_language(-1005) == "en"

    # The supergroup was seen first (without a language): it takes the group's.
    await repo.upsert_chat(-6, "group", "Shop")
    await repo.set_chat_language(-6, "en")
    await repo.upsert_chat(-1006, "supergroup", "Shop")
    await repo.migrate_chat(-6, -1006)
    assert await repo.chat_language(-1006) == "en"

    # ... unless it has one of its own.
    await repo.upsert_chat(-7, "group", "Shop")
    await repo.set_chat_language(-7, "en")
    await repo.upsert_chat(-1007, "supergroup", "Shop")
    await repo.set_chat_language(-1007, "ru")
    await repo.migrate_chat(-7, -1007)
    assert await repo.chat_language(-1007) == "ru"


async def test_a_file_from_before_languages_is_migrated_with_chats_intact(tmp_path):
    path = tmp_path / "bot.sqlite3"
    raw = sqlite3.connect(path)
    for statements in MIGRATIONS[:2]:
        for statement in statements:
            raw.execute(statement)
    raw.execute(
        "INSERT INTO chats (chat_id, type, title, created_at, updated_at)"
        " VALUES (7, 'private', 'Alex', '', '')"
    )
    raw.execute("PRAGMA user_version = 2")
    raw.commit()
    raw.close()

    db = Database(path)
    await db.connect()
    repo = Repository(db)
    assert await db.schema_version() == len(MIGRATIONS)
    assert (await repo.get_chat(7)) is not None
    assert await repo.chat_language(7) is None  # Russian until the person writes again
    await db.close()
