"""`python -m bot export`: chats and licenses from a real SQLite file, as CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.clock import Clock
from bot.export import COLUMNS, export_command
from bot.licensing.models import LicenseCheck
from storage.db import Database
from storage.repository import Repository
from tests.support.clocks import TZ

ROOT = Path(__file__).resolve().parents[2]
RID_A = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
RID_B = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
# A fixed «now», late in the evening in the vendor's zone (the machine's date never counts).
NOW = datetime(2030, 3, 10, 23, 30, tzinfo=TZ)
TODAY = NOW.date()


@pytest.fixture
async def db_file(tmp_path: Path) -> Path:
    path = tmp_path / "bot.sqlite3"
    db = Database(path)
    await db.connect()
    repo = Repository(db)
    checked = datetime.combine(TODAY, time(9), tzinfo=TZ)
    await repo.upsert_chat(-1001, "supergroup", "Магазин «Ромашка», ООО")
    await repo.record_found(
        -1001,
        LicenseCheck(
            request_id=RID_A,
            status="active",
            license_id="L-1",
            expires_on=TODAY + timedelta(days=30),
            module_name="МойСклад: Синхронизация",
            site="shop.example.ru",
        ),
        None,
        None,
        checked,
    )
    await repo.record_found(
        -1001,
        LicenseCheck(request_id=RID_B, status="expired", demo=True, expires_on=TODAY),
        None,
        None,
        checked,
    )
    await repo.upsert_chat(42, "private", "Alice")  # never shared a license
    await db.close()
    return path


def run_export(db_file: Path, fmt: str, **kwargs: Any) -> tuple[int, str]:
    out = io.StringIO()
    code = export_command(
        fmt,
        "-",
        out,
        clock=Clock(TZ, start=NOW),
        database_path=db_file,
        timezone="Europe/Moscow",
        _env_file=None,
        **kwargs,
    )
    return code, out.getvalue()


def test_json_lists_every_license_and_chats_without_one(db_file: Path) -> None:
    code, text = run_export(db_file, "json")
    assert code == 0
    rows = json.loads(text)
    assert [(r["chat_id"], r["request_id"]) for r in rows] == [
        (-1001, RID_B),  # no module name sorts first
        (-1001, RID_A),
        (42, None),
    ]
    expired, active, alice = rows
    assert active == {
        "chat_id": -1001,
        "chat_type": "supergroup",
        "chat_title": "Магазин «Ромашка», ООО",
        "chat_active": True,
        "module": "МойСклад: Синхронизация",
        "license_id": "L-1",
        "request_id": RID_A,
        "status": "active",
        "demo": False,
        "expires_on": (TODAY + timedelta(days=30)).isoformat(),
        "days_left": 30,
        "last_checked": datetime.combine(TODAY, time(9), tzinfo=TZ).isoformat(),
        "site": "shop.example.ru",
    }
    assert (expired["status"], expired["demo"], expired["days_left"]) == ("expired", True, 0)
    assert expired["license_id"] is None
    assert alice["chat_title"] == "Alice"
    assert all(alice[c] is None for c in COLUMNS[4:])


def test_csv_has_a_header_and_quotes_titles(db_file: Path) -> None:
    code, text = run_export(db_file, "csv")
    assert code == 0
    assert not text.startswith("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    rows = list(reader)
    assert [r["request_id"] for r in rows] == [RID_B, RID_A, ""]
    assert rows[1]["chat_title"] == "Магазин «Ромашка», ООО"  # the comma survives
    assert (rows[1]["demo"], rows[1]["days_left"]) == ("no", "30")
    assert (rows[0]["demo"], rows[0]["days_left"]) == ("yes", "0")
    assert rows[2]["module"] == rows[2]["days_left"] == ""


def test_csv_bom_for_excel(db_file: Path) -> None:
    code, text = run_export(db_file, "csv", bom=True)
    assert code == 0 and text.startswith("\ufeffchat_id,")


def test_days_left_follow_the_time_zone(db_file: Path) -> None:
    # 23:30 in Moscow on the 10th is 04:30 on the 11th in Vladivostok.
    out = io.StringIO()
    code = export_command(
        "json",
        "-",
        out,
        clock=Clock(ZoneInfo("Asia/Vladivostok"), start=NOW),
        database_path=db_file,
        _env_file=None,
    )
    assert code == 0
    assert [r["days_left"] for r in json.loads(out.getvalue())][:2] == [-1, 29]


def test_missing_database_is_one_line_and_not_created(tmp_path: Path, capsys) -> None:
    path = tmp_path / "nothing.sqlite3"
    code, text = run_export(path, "json")
    assert code == 1 and text == ""
    assert capsys.readouterr().err.strip().splitlines() == [
        f"export failed: no database at {path} (DATABASE_PATH={path})"
    ]
    assert not path.exists()


def test_command_line_writes_a_file_without_the_bot_token(db_file: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "LICENSE_API_URL")}
    env.update(PYTHONPATH=str(ROOT), DATABASE_PATH=str(db_file), TIMEZONE="Europe/Moscow")
    target = tmp_path / "out.json"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "export", "--format", "json", "--output", str(target)],
        capture_output=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == b""
    rows = json.loads(target.read_text(encoding="utf-8"))
    assert {r["chat_id"] for r in rows} == {-1001, 42}
    assert len(rows) == 3


def test_export_reads_while_the_database_is_open_for_writing(db_file: Path) -> None:
    writer = sqlite3.connect(db_file)
    writer.execute("BEGIN IMMEDIATE")  # as the running bot may hold the write lock
    try:
        code, text = run_export(db_file, "json")
    finally:
        writer.rollback()
        writer.close()
    assert code == 0 and len(json.loads(text)) == 3
