"""The backend's circuit breaker: opens after consecutive failures, one trial when half-open."""

from __future__ import annotations

import pytest

from bot.licensing.circuit import CircuitBreaker


class Now:
    def __init__(self) -> None:
        self.value = 100.0

    def __call__(self) -> float:
        return self.value


def breaker(threshold: int = 3, open_seconds: float = 30.0) -> tuple[CircuitBreaker, Now]:
    now = Now()
    return CircuitBreaker(threshold, open_seconds, now), now


def fail(circuit: CircuitBreaker, times: int = 1) -> list[bool | None]:
    changes = []
    for _ in range(times):
        trial, blocked = circuit.acquire()
        assert blocked is None
        changes.append(circuit.record(healthy=False, trial=trial))
    return changes


def test_a_closed_circuit_lets_every_request_go() -> None:
    circuit, _ = breaker()
    assert circuit.blocked() is None
    assert circuit.acquire() == (False, None)
    assert circuit.record(healthy=True, trial=False) is None  # no change


def test_it_opens_after_threshold_consecutive_failures() -> None:
    circuit, now = breaker(threshold=3, open_seconds=30)
    assert fail(circuit, 2) == [None, None]
    assert fail(circuit, 1) == [False]  # opened
    assert circuit.blocked() == pytest.approx(30)
    now.value += 10
    assert circuit.acquire() == (False, pytest.approx(20))


def test_a_success_in_between_starts_the_count_again() -> None:
    circuit, _ = breaker(threshold=3)
    fail(circuit, 2)
    circuit.acquire()
    circuit.record(healthy=True, trial=False)
    assert fail(circuit, 2) == [None, None]
    assert circuit.blocked() is None


def test_half_open_lets_one_trial_through_and_holds_the_rest() -> None:
    circuit, now = breaker(threshold=1, open_seconds=30)
    fail(circuit)
    now.value += 30
    assert circuit.acquire() == (True, None)  # the trial
    assert circuit.acquire() == (False, 0.0)  # everyone else waits for its verdict
    assert circuit.blocked() == 0.0


def test_a_good_trial_closes_the_circuit() -> None:
    circuit, now = breaker(threshold=1, open_seconds=30)
    fail(circuit)
    now.value += 31
    trial, _ = circuit.acquire()
    assert circuit.record(healthy=True, trial=trial) is True  # closed
    assert circuit.failures == 0
    assert circuit.acquire() == (False, None)


def test_a_failed_trial_opens_it_again_without_a_new_change() -> None:
    circuit, now = breaker(threshold=2, open_seconds=30)
    fail(circuit, 2)
    now.value += 30
    trial, _ = circuit.acquire()
    assert circuit.record(healthy=False, trial=trial) is None  # still the same outage
    assert circuit.blocked() == pytest.approx(30)  # open for a full period again


def test_a_trial_that_ended_without_an_answer_frees_the_next_trial() -> None:
    circuit, now = breaker(threshold=1, open_seconds=30)
    fail(circuit)
    now.value += 30
    trial, _ = circuit.acquire()
    assert circuit.record(healthy=None, trial=trial) is None  # e.g. cancelled
    assert circuit.acquire() == (True, None)
