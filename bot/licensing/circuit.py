"""A circuit breaker for the license backend: stop hammering a backend that is down."""

from __future__ import annotations

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)


class CircuitBreaker:
    """Consecutive-failure circuit breaker with a single half-open trial."""

    def __init__(self, threshold: int, open_seconds: float, clock: Callable[[], float]) -> None:
        self._threshold = threshold
        self._open_seconds = open_seconds
        self._clock = clock
        self.failures = 0
        self._open_until: float | None = None
        self._trial_running = False

    def blocked(self) -> float | None:
        """Seconds until a request may go, if the circuit blocks now; never takes the trial."""
        if self._open_until is None:
            return None
        remaining = self._open_until - self._clock()
        if remaining > 0:
            return remaining
        return 0.0 if self._trial_running else None

    def acquire(self) -> tuple[bool, float | None]:
        """(is_trial, blocked_for): may a request go now; a half-open circuit lets one go."""
        blocked = self.blocked()
        if blocked is not None:
            return False, blocked
        if self._open_until is None:
            return False, None
        self._trial_running = True
        return True, None

    def record(self, *, healthy: bool | None, trial: bool) -> bool | None:
        """healthy=None: the call ended without an answer either way (e.g. cancelled).

        Returns the change: False when the circuit opened, True when it closed, else None
        (a failed half-open trial keeps it open: no change).
        """
        if trial:
            self._trial_running = False
        if healthy is None:
            return None
        if healthy:
            was_open = self._open_until is not None
            if was_open:
                logger.info("license backend: answering again, circuit closed")
            self.failures = 0
            self._open_until = None
            return True if was_open else None
        self.failures += 1
        if trial or (self._open_until is None and self.failures >= self._threshold):
            opened = self._open_until is None
            self._open_until = self._clock() + self._open_seconds
            logger.warning(
                "license backend: %d consecutive failures, circuit open for %.0f s",
                self.failures,
                self._open_seconds,
            )
            return False if opened else None
        return None
