"""`python -m bot parse`: offline, JSON out, and free of the bot's heavy dependencies."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support.parser_corpus import ACTIVE, EXPIRED, U1, U2

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("aiogram", "httpx", "pydantic")


def _run(stdin: bytes, *python_args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, *python_args, "-m", "bot", "parse"],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_prints_claims_as_json() -> None:
    text = f"Добрый день!\n{ACTIVE}\nRequest ID: {U1}\n{EXPIRED}\nRequest ID: {U2.upper()}\n"
    result = _run(text.encode())
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(b"\n")
    assert json.loads(result.stdout) == [
        {"request_id": U1, "status": "active", "expires_on": "2026-08-07"},
        {"request_id": U2, "status": "expired", "expires_on": "2025-03-01"},
    ]


def test_prints_empty_list_without_claims() -> None:
    result = _run(f"Подскажите, где найти Request ID? {U1}".encode())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == b"[]"


def test_empty_stdin() -> None:
    result = _run(b"")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_invalid_utf8_does_not_stop_it() -> None:
    result = _run(b"\xff\xfe\xc3(" + f"{ACTIVE}\nRequest ID: {U1}".encode())
    assert result.returncode == 0, result.stderr
    assert [claim["request_id"] for claim in json.loads(result.stdout)] == [U1]


def test_imports_no_heavy_dependency() -> None:
    result = _run(f"{ACTIVE}\nRequest ID: {U1}".encode(), "-X", "importtime")
    assert result.returncode == 0, result.stderr
    imported = result.stderr.decode()
    assert "bot.licensing.parser" in imported  # the import log is really there
    for name in HEAVY:
        assert name not in imported


def test_modules_loaded_after_parse() -> None:
    code = (
        "import io, sys\n"
        "sys.stdin = io.TextIOWrapper(io.BytesIO(b'Request ID: " + U1 + "'))\n"
        "from bot.__main__ import main\n"
        "assert main(['parse']) == 0\n"
        "print(sorted({m.split('.')[0] for m in sys.modules}), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, cwd=ROOT, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    loaded = result.stderr.decode()
    for name in HEAVY:
        assert f"'{name}" not in loaded
    assert U1 in result.stdout.decode()
