"""`python -m bot export`: every chat with its licenses, read-only, as CSV or JSON."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any, TextIO

from bot.clock import Clock
from bot.config import SettingsError, StoreSettings, load_settings
from storage.rows import license_row

COLUMNS = (
    "chat_id",
    "chat_type",
    "chat_title",
    "chat_active",
    "module",
    "license_id",
    "request_id",
    "status",
    "demo",
    "expires_on",
    "days_left",
    "last_checked",
    "site",
)

_QUERY = """SELECT c.chat_id AS c_chat_id, c.type AS c_type, c.title AS c_title,
        c.active AS c_active, l.*
    FROM chats c LEFT JOIN licenses l ON l.chat_id = c.chat_id
    ORDER BY c.chat_id, l.module_name, l.license_key"""


def open_read_only(path: Path) -> sqlite3.Connection:
    """Open the SQLite file read-only (works next to a running bot); never creates it."""
    if not path.is_file():
        raise FileNotFoundError(f"no database at {path}")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout = 5000")
    return conn


def export_rows(conn: sqlite3.Connection, clock: Clock) -> list[dict[str, Any]]:
    """One row per license; a chat without licenses once, with empty license fields.

    Days left count from the clock's today; times are shown in the clock's zone.
    """
    today = clock.today()
    out: list[dict[str, Any]] = []
    for row in conn.execute(_QUERY):
        record: dict[str, Any] = dict.fromkeys(COLUMNS)
        record.update(
            chat_id=row["c_chat_id"],
            chat_type=row["c_type"],
            chat_title=row["c_title"],
            chat_active=bool(row["c_active"]),
        )
        if row["license_key"] is not None:
            stored = license_row(row)
            check = stored.check
            record.update(
                module=check.module_name or check.module_id,
                license_id=check.license_id,
                request_id=check.request_id,
                status=check.status,
                demo=check.demo,
                expires_on=check.expires_on.isoformat() if check.expires_on else None,
                days_left=check.days_left(today),
                last_checked=stored.verified_at.astimezone(clock.tz).isoformat(),
                site=check.site,
            )
        out.append(record)
    return out


def render_csv(rows: list[dict[str, Any]], *, bom: bool = False) -> str:
    """CSV with a header row; booleans as yes/no, missing values as empty cells."""
    buffer = io.StringIO()
    if bom:
        buffer.write("\ufeff")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else value


def render_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def export_command(
    fmt: str,
    output: str,
    stdout: TextIO,
    *,
    bom: bool = False,
    clock: Clock | None = None,
    **overrides: Any,
) -> int:
    """Write the export to `output` ("-": stdout); 2 on a settings error, 1 on a bad file."""
    try:
        settings = load_settings(StoreSettings, **overrides)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    clock = clock or Clock(settings.tz)
    try:
        with contextlib.closing(open_read_only(settings.database_path)) as conn:
            rows = export_rows(conn, clock)
    except (OSError, sqlite3.Error) as exc:
        print(f"export failed: {exc} (DATABASE_PATH={settings.database_path})", file=sys.stderr)
        return 1
    text = render_csv(rows, bom=bom) if fmt == "csv" else render_json(rows)
    if output == "-":
        buffer = getattr(stdout, "buffer", None)
        if buffer is not None:
            stdout.flush()
            buffer.write(text.encode("utf-8"))
            buffer.flush()
        else:
            stdout.write(text)
        return 0
    Path(output).write_text(text, encoding="utf-8", newline="")
    return 0
