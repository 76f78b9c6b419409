"""A transaction's statements collected first, then run in one hop to SQLite's thread.

aiosqlite runs every statement on its own thread: each `await conn.execute()` is a queue
put, a thread wake-up and a wake-up of the event loop. A paste's transaction is six to
eight statements; collected in a Batch, `Database.write_batch` runs them (BEGIN IMMEDIATE
… COMMIT) in a single call on that thread. The statement writers (write_chat,
write_verdict, …) take anything with `execute`/`executemany`: a live connection inside
`Database.transaction()`, or a Batch.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any, Protocol


class Writer(Protocol):
    """What the statement writers need: aiosqlite's Connection, or a Batch."""

    async def execute(self, sql: str, parameters: Iterable[Any], /) -> Any: ...

    async def executemany(self, sql: str, parameters: Iterable[Iterable[Any]], /) -> Any: ...


class Batch:
    """Statements of one transaction, recorded (nothing runs until `Database.write_batch`)."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, Any, bool]] = []

    async def execute(self, sql: str, parameters: Iterable[Any], /) -> None:
        self.statements.append((sql, tuple(parameters), False))

    async def executemany(self, sql: str, parameters: Iterable[Iterable[Any]], /) -> None:
        self.statements.append((sql, [tuple(p) for p in parameters], True))

    def __bool__(self) -> bool:
        return bool(self.statements)

    def run(self, conn: sqlite3.Connection) -> None:
        """On SQLite's thread: the statements as one transaction (rolled back on error)."""
        conn.execute("BEGIN IMMEDIATE")
        try:
            for sql, parameters, many in self.statements:
                if many:
                    conn.executemany(sql, parameters)
                else:
                    conn.execute(sql, parameters)
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
