"""An asyncio loop whose clock jumps ahead instead of waiting: timing code tested in no time.

`loop.time()` starts at 0 and moves by a microsecond per round of the loop; when every task
waits on a timer, it jumps to the earliest one. asyncio.sleep, wait_for and aiolimiter all
schedule through the loop's clock, so a test can check waits of seconds or minutes to the
millisecond, instantly. Real I/O still works (polled without blocking); these tests need none.

    def test_something() -> None:
        assert run_virtual(scenario()) == ...
"""

from __future__ import annotations

import asyncio
import selectors
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")
TICK = 1e-6  # what one round of the loop costs on the virtual clock


class _JumpingSelector(selectors.DefaultSelector):
    """Reports ready I/O at once; with none, moves the loop's clock by the timeout instead."""

    def __init__(self) -> None:
        super().__init__()
        self.loop: VirtualTimeLoop | None = None

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        if timeout is None:  # no timer at all: only I/O (a thread's wake-up) can come
            return super().select(None)
        ready = super().select(0)
        if self.loop is not None:
            # Every round of the loop takes a microsecond, as on a real clock: code that
            # re-checks «is it time yet» in a loop (float rounding) always gets there.
            self.loop.now += TICK if ready or timeout <= 0 else max(timeout, TICK)
        return ready


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    """A selector event loop on a virtual clock (seconds from 0)."""

    def __init__(self) -> None:
        self.now = 0.0
        selector = _JumpingSelector()
        super().__init__(selector)
        selector.loop = self

    def time(self) -> float:
        return self.now


def run_virtual(main: Coroutine[Any, Any, T]) -> T:
    """Run `main` to completion on a fresh VirtualTimeLoop."""
    loop = VirtualTimeLoop()
    try:
        return loop.run_until_complete(main)
    finally:
        loop.close()
