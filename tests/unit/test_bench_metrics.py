"""The benchmark's limit checks count what Telegram would refuse, and nothing else."""

from __future__ import annotations

from bench.metrics import Call, max_in_window, sustained_rate, violations


def test_thirty_writes_in_a_second_are_fine_the_thirty_first_is_not() -> None:
    calls = [Call("editMessageText", i, i / 31) for i in range(31)]
    assert violations(calls[:30]).global_ == 0
    assert violations(calls).global_ == 1


def test_two_messages_to_one_chat_within_a_second_is_a_violation() -> None:
    calls = [
        Call("sendMessage", 5, 0.0),
        Call("sendMessage", 5, 0.99),
        Call("sendMessage", 5, 2.0),
    ]
    assert violations(calls).per_chat == 1
    assert violations([Call("sendMessage", 5, 0.0), Call("pinChatMessage", 5, 0.1)]).per_chat == 0


def test_a_group_gets_twenty_messages_a_minute() -> None:
    calls = [Call("sendMessage", -100, i * 2.9) for i in range(21)]
    assert violations(calls).per_group == 1
    assert violations(calls[:20]).per_group == 0


def test_windows_and_rates() -> None:
    times = [0.0, 0.5, 0.99, 1.0, 3.0]
    assert max_in_window(times, 1.0) == 3
    assert sustained_rate(times) == 4 / 3.0
    assert sustained_rate([1.0]) == 0.0
