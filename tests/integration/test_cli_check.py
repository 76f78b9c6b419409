"""`python -m bot check`: claims from stdin verified against the reference backend."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path

from tests.support.clocks import DEFAULT_DAY, DEFAULT_START
from tests.support.processes import START_TIMEOUT, process_env, spawn_bot
from tests.support.widget import widget_text

RID_OK = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
RID_OLD = "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"
RID_NONE = "0f1e2d3c-4b5a-4978-8a9b-0c1d2e3f4a5b"


async def run_check(stdin: str, env: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    proc = await spawn_bot(env, cwd, "check", stdin=True)
    out, err = await asyncio.wait_for(proc.communicate(stdin.encode()), timeout=START_TIMEOUT)
    return proc.returncode or 0, out.decode(), err.decode()


async def test_check_prints_verdicts_as_json(backend, tmp_path):
    today = DEFAULT_DAY  # the launcher starts the command's clock at DEFAULT_START
    backend.add(RID_OK, expires_on=today + timedelta(days=30), license_id="L-1")
    backend.add(
        RID_OLD,
        status="expired",
        expires_on=today - timedelta(days=2),
        renew_url="https://example.ru/renew/L-2",
    )
    env = process_env(
        start=DEFAULT_START, LICENSE_API_URL=backend.url, LICENSE_API_TOKEN="backend-secret-token"
    )
    text = "\n\n".join(
        [
            widget_text(RID_OK, today),
            widget_text(RID_OLD, today, "expired"),
            f"Request ID: {RID_NONE}",
        ]
    )
    code, out, err = await run_check(text, env, tmp_path)
    assert code == 0, err
    verdicts = {v["request_id"]: v for v in json.loads(out)}
    assert verdicts[RID_OK]["verdict"] == "supported"
    assert verdicts[RID_OK]["days_left"] == 30
    assert verdicts[RID_OK]["claim_matches"] is False  # the paste claimed today
    assert verdicts[RID_OLD]["verdict"] == "expired"
    assert verdicts[RID_OLD]["renew_url"] == "https://example.ru/renew/L-2"
    assert verdicts[RID_NONE]["verdict"] == "not_found"
    assert "backend-secret-token" not in out + err


async def test_check_without_claims_needs_no_settings(tmp_path):
    env = process_env()
    code, out, _err = await run_check("просто текст", env, tmp_path)
    assert (code, out) == (0, "[]\n")
    code, _out, err = await run_check(f"Request ID: {RID_OK}", env, tmp_path)
    assert code == 2
    assert err.strip() == "configuration error: LICENSE_API_URL is required"
