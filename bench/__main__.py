"""`python -m bench [--quick]`: the bot against a bare aiogram bot on the same fake servers.

The real bot (the command `python -m bot`) and a bare aiogram bot making the same Bot API
calls (bench/bare_bot.py; once without limits, once held to the same flood limits) run as
subprocesses against the fake Bot API server and license backend in this process, so each
one's CPU time is its own. Ratios between them are the figures to quote: absolute times on
shared machines drift. The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.harness import BotProcess, Stage, customers
from bench.loads import Run, license_burst, paste_burst, steady
from bench.metrics import max_in_window, percentile, sustained_rate, violations, writes
from bench.prefill import prefill_chats
from bench.quick_figures import parse_figures, sweep_ms

CONFIGURED_PER_SECOND = 28.0  # bot.outbound.throttle: the project's global write limit


def progress(step: str) -> None:
    print(f"... {step}", file=sys.stderr, flush=True)


def write_figures(run: Run) -> dict[str, Any]:
    times = [c.at for c in writes(run.calls)]
    found = violations(run.calls)
    return {
        "write_rate": sustained_rate(times),
        "peak_writes_1s": max_in_window(times, 1.0),
        "violations": found,
        "writes_per_item": len(times) / run.count,
    }


async def project_runs(n: int, steady_seconds: int, tmp: Path) -> dict[str, Any]:
    async with Stage() as stage:
        bot = BotProcess(["-m", "bot"], stage.env(tmp / "project.sqlite3"))
        await bot.start(stage.telegram)
        try:
            people = customers(n, "paste")
            pastes = await paste_burst(stage, bot, people)
            licenses = await license_burst(stage, bot, people)
            same = "11111111-1111-4111-8111-111111111111"
            await paste_burst(stage, bot, customers(100, "same"), same_id=same)
            latencies = await steady(stage, customers(steady_seconds * 5, "steady"), 5.0)
            rss = bot.rss_mb()
        finally:
            await bot.stop()
        return {
            "pastes": pastes,
            "licenses": licenses,
            "latencies": latencies,
            "rss_mb": rss,
            "backend_calls_same": stage.backend.calls_for(same),
        }


async def rss_at(chats: int, n: int, tmp: Path) -> float:
    """RSS of the bot after a burst of `n` pastes, with `chats` licensed chats on disk."""
    path = tmp / f"rss{chats}.sqlite3"
    await prefill_chats(path, chats)
    async with Stage() as stage:
        bot = BotProcess(["-m", "bot"], stage.env(path))
        await bot.start(stage.telegram)
        try:
            await paste_burst(stage, bot, customers(n, f"rss{chats}-"))
            return bot.rss_mb()
        finally:
            await bot.stop()


async def bare_runs(n: int, calls: str, limited: bool) -> tuple[Run, Run]:
    async with Stage() as stage:
        args = ["-m", "bench.bare_bot", "--calls", calls, "--per-second", "28"]
        bot = BotProcess(args + (["--limited"] if limited else []), stage.env(Path("/dev/null")))
        await bot.start(stage.telegram)
        try:
            people = customers(n, "bare")
            return await paste_burst(stage, bot, people), await license_burst(stage, bot, people)
        finally:
            await bot.stop()


async def main(quick: bool) -> dict[str, Any]:
    n, steady_seconds = (100, 10) if quick else (300, 30)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        progress("the bot: pastes, /license, one ID in 100 chats, a steady stream")
        project = await project_runs(n, steady_seconds, tmp)
        pastes: Run = project["pastes"]
        licenses: Run = project["licenses"]
        figures = write_figures(pastes)
        calls = "status,pin" if round(figures["writes_per_item"]) <= 2 else "reply,status,pin"
        progress(f"the bare bot ({calls}), without limits and with them")
        bare_paste, _ = await bare_runs(n, calls, limited=False)
        lim_paste, lim_license = await bare_runs(n, calls, limited=True)
        progress("memory with 300 and with 30,000 licensed chats")
        rss_small = await rss_at(300, n, tmp)
        rss_large = await rss_at(30_000, n, tmp)
    progress("the due-reminder query and the parser")
    sweep = await sweep_ms(100_000)
    parse_cli_s, parse_per_s = parse_figures()
    found = figures["violations"]
    result = {
        "cores": os.cpu_count(),
        "quick": quick,
        "configured_per_s": CONFIGURED_PER_SECOND,
        "write_rate_ratio": round(figures["write_rate"] / CONFIGURED_PER_SECOND, 3),
        "peak_writes_1s": figures["peak_writes_1s"],
        "limit_violations": {
            "global": found.global_,
            "per_chat": found.per_chat,
            "per_group": found.per_group,
        },
        "calls_per_first_paste": round(figures["writes_per_item"], 2),
        "pastes_per_s": round(pastes.per_second, 2),
        "bare_pastes_per_s": round(bare_paste.per_second, 2),
        "limited_bare_pastes_per_s": round(lim_paste.per_second, 2),
        "pastes_vs_limited_bare": round(pastes.per_second / lim_paste.per_second, 3),
        "license_per_s": round(licenses.per_second, 2),
        "license_vs_limited_bare": round(licenses.per_second / lim_license.per_second, 3),
        "cpu_per_paste_vs_bare": round(pastes.cpu / max(lim_paste.cpu, 1e-9), 3),
        "cpu_per_license_vs_bare": round(licenses.cpu / max(lim_license.cpu, 1e-9), 3),
        "backend_calls_100_same_id": project["backend_calls_same"],
        "p99_ms_at_5_per_s": round(percentile(project["latencies"], 0.99), 1),
        "rss_mb_300": round(rss_small, 1),
        "rss_mb_30000": round(rss_large, 1),
        "sweep_ms_100k": round(sweep, 2),
        "parse_cli_s": round(parse_cli_s, 3),
        "parse_per_s": round(parse_per_s),
    }
    return result


def summary(r: dict[str, Any]) -> str:
    v = r["limit_violations"]
    lines = [
        f"bench on {r['cores']} cores{' (quick)' if r['quick'] else ''}",
        f"writes: {r['write_rate_ratio']:.2f} of the configured {r['configured_per_s']:g}/s"
        f" sustained, peak {r['peak_writes_1s']} in one second",
        f"limit violations: global {v['global']}, per chat {v['per_chat']},"
        f" per group {v['per_group']}",
        f"pastes: {r['pastes_per_s']}/s, {r['calls_per_first_paste']} calls each; bare bot"
        f" {r['bare_pastes_per_s']}/s, at the same limits {r['limited_bare_pastes_per_s']}/s"
        f" (x{r['pastes_vs_limited_bare']})",
        f"/license: {r['license_per_s']}/s (x{r['license_vs_limited_bare']} of the limited bare)",
        f"CPU vs the limited bare bot: x{r['cpu_per_paste_vs_bare']} per paste,"
        f" x{r['cpu_per_license_vs_bare']} per /license",
        f"backend calls for 100 chats pasting one ID: {r['backend_calls_100_same_id']}",
        f"p99 paste to pin at 5 pastes/s: {r['p99_ms_at_5_per_s']} ms",
        f"RSS: {r['rss_mb_300']} MB with 300 chats, {r['rss_mb_30000']} MB with 30,000",
        f"due-reminder page at 100,000 chats: {r['sweep_ms_100k']} ms",
        f"python -m bot parse: {r['parse_cli_s']} s; parser: {r['parse_per_s']}/s",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller loads, under two minutes")
    figures = asyncio.run(main(parser.parse_args().quick))
    print(summary(figures))
    print(json.dumps(figures))
