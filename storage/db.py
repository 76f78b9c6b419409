"""The SQLite connection: WAL, foreign keys, migrations, and one writer at a time."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar, cast

import aiosqlite

from storage.batch import Batch
from storage.migrations import MIGRATIONS

logger = logging.getLogger(__name__)
T = TypeVar("T")

BUSY_RETRIES = 5


class Database:
    """One aiosqlite connection guarded by a lock so transactions never interleave."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()

    async def connect(self) -> None:
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves.
        self._conn = await aiosqlite.connect(self.path, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        await self._conn.execute("PRAGMA busy_timeout = 5000")
        await self._conn.execute("PRAGMA journal_mode = WAL")
        await self._conn.execute("PRAGMA synchronous = NORMAL")
        await self._conn.execute("PRAGMA foreign_keys = ON")
        await self.migrate()

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError("database is not connected")
        return self._conn

    async def schema_version(self) -> int:
        async with self.conn.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def ping(self) -> None:
        """A trivial read: raises if the database cannot answer (health checks)."""
        async with self.reading() as conn, conn.execute("SELECT 1") as cursor:
            await cursor.fetchone()

    async def migrate(self) -> None:
        """Apply every migration newer than PRAGMA user_version, each in its own transaction."""
        current = await self.schema_version()
        for version, statements in enumerate(MIGRATIONS, start=1):
            if version <= current:
                continue
            async with self.transaction() as conn:
                for statement in statements:
                    await conn.execute(statement)
                await conn.execute(f"PRAGMA user_version = {version}")
            logger.info("database migrated to version %s", version)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE … COMMIT under the lock; rolls back on any error."""
        async with self._lock:
            await self._retry_busy(lambda: self.conn.execute("BEGIN IMMEDIATE"))
            try:
                yield self.conn
            except BaseException:
                await self.conn.rollback()
                raise
            await self._retry_busy(self.conn.commit)

    async def write_one(self, sql: str, params: tuple[object, ...]) -> int:
        """One statement on its own: SQLite makes it a transaction by itself (one round trip
        to the database thread instead of BEGIN, the statement and COMMIT). Rows changed."""
        async with self._lock:
            cursor = await self._retry_busy(lambda: self.conn.execute(sql, params))
            return cursor.rowcount

    async def write_batch(self, batch: Batch) -> None:
        """The batch's statements as one transaction, in one call on SQLite's thread."""
        async with self._lock:
            conn = self.conn
            # aiosqlite's own dispatch (every execute goes through it), given the whole
            # transaction at once instead of one statement per hop.
            dispatch = cast(Callable[..., Awaitable[None]], conn._execute)
            await self._retry_busy(lambda: dispatch(batch.run, conn._conn))

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[aiosqlite.Connection]:
        """Reads share the lock so they never see another coroutine's open transaction."""
        async with self._lock:
            yield self.conn

    async def _retry_busy(self, op: Callable[[], Awaitable[T]]) -> T:
        for attempt in range(BUSY_RETRIES):
            try:
                return await op()
            except sqlite3.OperationalError as exc:
                message = str(exc).lower()
                if ("locked" not in message and "busy" not in message) or (
                    attempt == BUSY_RETRIES - 1
                ):
                    raise
                logger.warning("database busy, retrying (%s)", exc)
                await asyncio.sleep(0.1 * (attempt + 1))
        raise AssertionError("unreachable")
