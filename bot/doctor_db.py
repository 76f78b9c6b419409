"""The database check of `python -m bot doctor`: read-only, safe next to a running bot."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from bot.doctor_checks import FAIL, OK, WARN, Line
from bot.export import open_read_only
from storage.migrations import MIGRATIONS


def check_database(path: Path) -> Line:
    """Read-only: integrity, schema version against the code, and what is stored."""
    name = "database"
    if not path.is_file():
        return Line(WARN, name, f"no file at {path} yet", "the bot creates it on its first start")
    try:
        with contextlib.closing(open_read_only(path)) as conn:
            integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            counts = _counts(conn) if version else None
    except (OSError, sqlite3.Error) as exc:
        return Line(
            FAIL,
            name,
            f"{path} cannot be read: {exc}",
            "stop the bot, keep a copy of the file, and restore it from a backup",
        )
    if integrity != ["ok"]:
        return Line(
            FAIL,
            name,
            f"{path} failed the integrity check: {'; '.join(integrity[:3])}",
            "stop the bot, keep a copy of the file, and restore it from a backup",
        )
    latest = len(MIGRATIONS)
    seen = f"{path}: integrity ok, schema {version} of {latest}"
    if counts is not None:
        seen += "; " + counts
    if version > latest:
        return Line(FAIL, name, seen, "the file was written by a newer version of the bot")
    if version < latest:
        return Line(WARN, name, seen, "the bot migrates it on its next start")
    return Line(OK, name, seen)


def _counts(conn: sqlite3.Connection) -> str:
    def count(sql: str) -> int:
        return int(conn.execute(sql).fetchone()[0])

    chats = count("SELECT COUNT(*) FROM chats")
    active = count("SELECT COUNT(*) FROM chats WHERE active = 1")
    licenses = count("SELECT COUNT(*) FROM licenses")
    pending = count("SELECT COUNT(*) FROM pending_checks WHERE resolution IS NULL")
    queued = count("SELECT COUNT(*) FROM inbox")
    return (
        f"{chats} chats ({active} active), {licenses} licenses, {pending} pending checks, "
        f"{queued} queued updates"
    )
