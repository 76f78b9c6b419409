"""The retry schedule of claims waiting on disk, through VerificationService.backoff."""

from __future__ import annotations

import random

import pytest

from bot.licensing.service import VerificationService
from tests.support.clocks import fixed_clock


def service(base: float = 2.0, cap: float = 300.0) -> VerificationService:
    # backoff() uses neither storage nor the backend
    return VerificationService(
        None,  # type: ignore[arg-type]  # not used by backoff
        None,  # type: ignore[arg-type]  # not used by backoff
        fixed_clock(),
        retry_base=base,
        retry_cap=cap,
    )


@pytest.fixture
def jitter(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Choose the jitter: «low» (x0.8), «high» (x1.2) or «none», in order of the calls."""
    choices: list[str] = []

    def uniform(low: float, high: float) -> float:
        pick = choices.pop(0) if choices else "none"
        return {"low": low, "high": high, "none": 1.0}[pick]

    monkeypatch.setattr(random, "uniform", uniform)
    return choices


def test_delays_double_from_the_base(jitter: list[str]) -> None:
    svc = service(base=2.0)
    assert [svc.backoff(n, None) for n in range(1, 7)] == [2, 4, 8, 16, 32, 64]
    assert svc.backoff(0, None) == 2  # attempt 0 counts as the first


def test_the_first_retry_comes_within_seconds(jitter: list[str]) -> None:
    jitter.append("high")
    assert service(base=2.0).backoff(1, None) == pytest.approx(2.4)


def test_delays_stop_growing_at_the_cap(jitter: list[str]) -> None:
    svc = service(base=2.0, cap=300.0)
    assert svc.backoff(9, None) == 300
    assert svc.backoff(60, None) == 300  # no overflow however many attempts


def test_jitter_is_within_a_fifth_either_way() -> None:
    svc = service(base=2.0, cap=300.0)
    for attempt in (1, 4, 20):
        nominal = min(300.0, 2.0 * 2 ** (attempt - 1))
        delays = [svc.backoff(attempt, None) for _ in range(200)]
        assert all(0.8 * nominal <= d <= 1.2 * nominal for d in delays), attempt
        assert len(set(delays)) > 1  # really jittered: concurrent claims spread out


def test_retry_after_is_honoured_up_to_the_cap(jitter: list[str]) -> None:
    svc = service(base=2.0, cap=300.0)
    assert svc.backoff(1, 30.0) == 30  # the backend asked for more than our backoff
    jitter.append("high")
    assert svc.backoff(3, 5.0) == pytest.approx(9.6)  # ours is longer: ours
    assert svc.backoff(1, 3600.0) == 300  # never more than the cap for a Retry-After


def test_a_quick_base_for_tests_keeps_the_shape(jitter: list[str]) -> None:
    svc = service(base=0.1)
    assert [svc.backoff(n, None) for n in (1, 2, 3)] == pytest.approx([0.1, 0.2, 0.4])
