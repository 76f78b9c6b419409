"""Loaded by every Python started by scripts/any-hour (this folder is on its PYTHONPATH).

Debian's libfaketime 0.9.10 with FAKETIME_DONT_FAKE_MONOTONIC=1 makes `time.sleep` fail with
EINVAL (CPython sleeps with clock_nanosleep on the monotonic clock to an absolute deadline).
Waiting on a lock with a timeout sleeps just as long and is not affected; asyncio does not
use time.sleep, so only threads and synchronous code (sqlite retries, helpers) need this.
"""

from __future__ import annotations

import threading
import time


def _sleep(seconds: float) -> None:
    """time.sleep without clock_nanosleep: block on a lock nobody releases, until the timeout."""
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    lock = threading.Lock()
    lock.acquire()
    lock.acquire(timeout=seconds)


time.sleep = _sleep
