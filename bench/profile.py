"""`python -m bench.profile [--pastes N] [--out FILE]`: where the bot's CPU goes under load.

Starts the real bot (`python -m bot`) on the bench's fake servers, attaches py-spy to it
(`pip install py-spy`; sampling, so the bot runs at nearly full speed), then sends a burst
of N pastes and a burst of N /license, like `python -m bench` (`--license-only`: the
pastes go first, unprofiled). Prints the functions with
the most samples: on-CPU time of their own ("self") and with what they call ("total"),
as shares of every sample. The collapsed stacks are kept in FILE for a flame graph.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import signal
import sys
import tempfile
from collections import Counter
from pathlib import Path

from bench.harness import BotProcess, Stage, customers
from bench.loads import license_burst, paste_burst

TOP = 25


def frame_name(frame: str) -> str:
    """`func (path/to/module.py:12)` → `func (module.py)`: lines merged, paths shortened."""
    name, _, where = frame.partition(" (")
    path = where.rsplit(":", 1)[0]
    parts = Path(path).parts
    short = "/".join(parts[-2:]) if parts else path
    return f"{name} ({short})"


def tally(collapsed: Path) -> tuple[Counter[str], Counter[str], int]:
    """Self and total samples per function from py-spy's raw (collapsed) output."""
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    samples = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [frame_name(f) for f in stack.split(";")[1:]]  # the first is the thread
        if not frames:
            continue
        samples += count
        own[frames[-1]] += count
        for name in set(frames):
            total[name] += count
    return own, total, samples


def report(collapsed: Path) -> str:
    own, total, samples = tally(collapsed)
    lines = [f"{samples} samples on CPU", "", "self %  function"]
    lines += [f"{100 * n / samples:6.1f}  {name}" for name, n in own.most_common(TOP)]
    lines += ["", "total %  function"]
    lines += [f"{100 * n / samples:7.1f}  {name}" for name, n in total.most_common(TOP)]
    return "\n".join(lines)


async def profile(pastes: int, out: Path, spy: str, only_license: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        async with Stage() as stage:
            bot = BotProcess(["-m", "bot"], stage.env(Path(folder) / "profile.sqlite3"))
            await bot.start(stage.telegram)
            assert bot.proc is not None
            people = customers(pastes, "profile")
            if only_license:  # licensed chats first, profiled only for /license
                await paste_burst(stage, bot, people)
            recorder = await asyncio.create_subprocess_exec(
                spy,
                *("record", "--pid", str(bot.proc.pid), "--format", "raw", "--rate", "250"),
                *("--output", str(out), "--nonblocking", "--threads"),
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
            )
            try:
                await asyncio.sleep(1.0)  # py-spy attaches
                if not only_license:
                    await paste_burst(stage, bot, people)
                await license_burst(stage, bot, people)
            finally:
                recorder.send_signal(signal.SIGINT)
                await recorder.wait()
                await bot.stop()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--pastes", type=int, default=300)
    parser.add_argument("--out", type=Path, default=Path("bench-profile.txt"))
    parser.add_argument("--license-only", action="store_true", help="profile /license alone")
    args = parser.parse_args()
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists():
        sys.exit("py-spy is not installed: pip install py-spy")
    asyncio.run(profile(args.pastes, args.out, spy, args.license_only))
    print(report(args.out))


if __name__ == "__main__":
    main()
