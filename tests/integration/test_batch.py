"""A Batch is one transaction: all of its statements land, or none does."""

from __future__ import annotations

import sqlite3

import pytest

from storage.batch import Batch
from tests.support.disk import rows


async def test_a_batch_lands_whole(repo) -> None:
    batch = Batch()
    await batch.execute(
        "INSERT INTO chats (chat_id, type, created_at, updated_at) VALUES (?, 'private', '', '')",
        (1,),
    )
    await batch.executemany("UPDATE chats SET title = ? WHERE chat_id = ?", [("Ann", 1)])
    await repo.db.write_batch(batch)
    assert rows(repo.db.path, "SELECT chat_id, title FROM chats") == [(1, "Ann")]


async def test_a_failing_statement_rolls_the_whole_batch_back(repo) -> None:
    batch = Batch()
    await batch.execute(
        "INSERT INTO chats (chat_id, type, created_at, updated_at) VALUES (?, 'private', '', '')",
        (2,),
    )
    await batch.execute("INSERT INTO no_such_table VALUES (?)", (1,))
    with pytest.raises(sqlite3.OperationalError):
        await repo.db.write_batch(batch)
    assert rows(repo.db.path, "SELECT chat_id FROM chats") == []
    await repo.upsert_chat(3, "private", None)  # the connection is usable afterwards
    assert rows(repo.db.path, "SELECT chat_id FROM chats") == [(3,)]
