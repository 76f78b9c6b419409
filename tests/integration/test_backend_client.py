"""LicenseBackend against a real loopback server (tests/fakes/license_backend.py)."""

from __future__ import annotations

import asyncio
import logging
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
from pydantic import SecretStr

from bot.licensing.backend import MAX_RETRY_AFTER, LicenseBackend, parse_retry_after
from bot.licensing.models import Found, LicenseCheck, Misconfigured, NotFound, Unavailable
from tests.fakes.license_backend import FakeLicenseBackend
from tests.support.clocks import DEFAULT_DAY, DEFAULT_START

TOKEN = "tok-Zq9SECRETvalue-42"


class FakeMonotonic:
    """A monotonic clock that only moves when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
async def fake() -> AsyncIterator[FakeLicenseBackend]:
    async with FakeLicenseBackend() as server:
        yield server


@pytest.fixture
def rid() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def refused_url() -> Iterator[str]:
    """A loopback port that is bound but not listening: connections are refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


def found(result: object) -> LicenseCheck:
    assert isinstance(result, Found), result
    return result.check


def unavailable(result: object) -> Unavailable:
    assert isinstance(result, Unavailable), result
    return result


async def check_once(url: str, request_id: str, **kwargs: Any) -> object:
    async with LicenseBackend(url, **kwargs) as backend:
        return await backend.check(request_id)


# --------------------------------------------------------------------------- 200


async def test_full_body_is_parsed(fake: FakeLicenseBackend, rid: str) -> None:
    ends = DEFAULT_DAY + timedelta(days=30)
    fake.add(
        rid,
        expires_on=ends,
        license_id="L-1042",
        renew_url="https://example.ru/renew/L-1042",
        checked_at="2025-06-01T10:15:00+03:00",
    )
    check = found(await check_once(fake.url, rid))
    assert check == LicenseCheck(
        request_id=rid,
        status="active",
        license_id="L-1042",
        demo=False,
        expires_on=ends,
        bitrix_license_active=True,
        module_id="rbs.moyskladstocks",
        module_name="МойСклад: Синхронизация товаров по API",
        module_version="3.2.4",
        site="shop.example.ru",
        checked_at=datetime.fromisoformat("2025-06-01T10:15:00+03:00"),
        renew_url="https://example.ru/renew/L-1042",
    )
    assert check.is_supported(DEFAULT_DAY)


async def test_extra_and_missing_fields(fake: FakeLicenseBackend, rid: str) -> None:
    fake.add(
        rid,
        status="expired",
        module_id=None,
        module_name=None,
        module_version=None,
        site=None,
        bitrix_license_active=None,
        demo=None,  # type: ignore[arg-type]  # left out of the body
        checked_at=None,  # explicit null
        license_id=None,
        future_field={"nested": [1, 2, 3]},
        another=42,
    )
    check = found(await check_once(fake.url, rid))
    assert check == LicenseCheck(request_id=rid, status="expired")


async def test_only_the_required_fields(fake: FakeLicenseBackend, rid: str) -> None:
    body = fake.add(rid)
    for key in list(body):
        if key not in ("request_id", "status"):
            del body[key]
    assert found(await check_once(fake.url, rid)) == LicenseCheck(request_id=rid, status="active")


async def test_case_insensitive_ids_and_status(fake: FakeLicenseBackend, rid: str) -> None:
    fake.add(rid, status=" Active ", demo=True)["request_id"] = rid.upper()
    check = found(await check_once(fake.url, f"  {rid.upper()} "))
    assert check.request_id == rid
    assert check.status == "active"
    assert check.demo is True
    assert fake.received[0].path == f"/checks/{rid}"


async def test_wrong_types_are_ignored_and_logged(
    fake: FakeLicenseBackend, rid: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.licensing.contract")
    fake.add(
        rid,
        demo="yes",  # type: ignore[arg-type]
        bitrix_license_active="1",  # type: ignore[arg-type]
        site=42,  # type: ignore[arg-type]
        license_id=1042,  # type: ignore[arg-type]
        module="rbs.moyskladstocks",
        checked_at="yesterday",
        renew_url="javascript:alert(1)",
    )
    check = found(await check_once(fake.url, rid))
    assert check.demo is False
    assert check.bitrix_license_active is None
    assert check.site is None
    assert check.license_id == "1042"
    assert (check.module_id, check.module_name, check.module_version) == (None, None, None)
    assert check.checked_at is None
    assert check.renew_url is None
    for word in ("demo", "bitrix_license_active", "site", "module", "checked_at", "renew_url"):
        assert word in caplog.text


@pytest.mark.parametrize(
    ("renew_url", "kept"),
    [
        ("https://example.ru/renew/L-1", True),
        ("  http://example.ru/renew?id=1  ", True),
        ("ftp://example.ru/renew", False),
        ("example.ru/renew", False),
        ("https://", False),
        ("https://exa mple.ru/", False),
        ("", False),
    ],
)
async def test_renew_url_only_http(
    fake: FakeLicenseBackend, rid: str, renew_url: str, kept: bool
) -> None:
    fake.add(rid, renew_url=renew_url)
    check = found(await check_once(fake.url, rid))
    assert check.renew_url == (renew_url.strip() if kept else None)


async def test_strings_are_stripped_and_checked_at_needs_an_offset(
    fake: FakeLicenseBackend, rid: str
) -> None:
    fake.add(
        rid,
        site="  shop.example.ru \n",
        module_name="  ",
        license_id=" L-7 ",
        checked_at="2025-06-01T10:15:00",
    )
    check = found(await check_once(fake.url, rid))
    assert check.site == "shop.example.ru"
    assert check.module_name is None
    assert check.license_id == "L-7"
    assert check.checked_at is None


async def test_long_texts_are_cut_and_a_bad_module_field_alone_is_dropped(
    fake: FakeLicenseBackend, rid: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.licensing.contract")
    fake.add(rid, site="s" * 5000, module={"id": ["x"], "name": " Модуль ", "version": 3})
    check = found(await check_once(fake.url, rid))
    assert check.site == "s" * 256
    assert (check.module_id, check.module_name, check.module_version) == (None, "Модуль", None)
    assert "body.site is 5000 characters long, cut to 256" in caplog.text
    assert "module.id" in caplog.text and "module.version" in caplog.text


async def test_body_naming_the_id_in_another_form_is_the_same_id(
    fake: FakeLicenseBackend, rid: str
) -> None:
    en_dashed = rid.upper().replace("-", "\u2013")
    fake.add(rid)["request_id"] = f"\u200b{en_dashed}"  # still only one id: the one asked
    assert found(await check_once(fake.url, rid)).request_id == rid


async def test_checked_at_with_z(fake: FakeLicenseBackend, rid: str) -> None:
    fake.add(rid, checked_at="2025-06-01T07:15:00Z")
    assert found(await check_once(fake.url, rid)).checked_at == datetime(
        2025, 6, 1, 7, 15, tzinfo=UTC
    )


# --------------------------------------------------------------------------- malformed 200


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"status": "suspended"}, "status"),
        ({"status": None}, "status"),
        ({"status": 1}, "status"),
        ({"request_id": None}, "request_id"),
        ({"request_id": str(uuid.uuid4())}, "does not match"),
        ({"expires_on": "07.08.2026"}, "expires_on"),
        ({"expires_on": "2026-02-30"}, "expires_on"),
        ({"expires_on": 20260807}, "expires_on"),
        ({"expires_on": ""}, "expires_on"),
    ],
)
async def test_malformed_bodies(
    fake: FakeLicenseBackend, rid: str, fields: dict[str, Any], reason: str
) -> None:
    fake.add(rid).update(fields)
    result = unavailable(await check_once(fake.url, rid))
    assert result.reason.startswith("malformed response")
    assert reason in result.reason


async def test_missing_status_is_malformed(fake: FakeLicenseBackend, rid: str) -> None:
    del fake.add(rid)["status"]
    assert "status" in unavailable(await check_once(fake.url, rid)).reason


async def test_invalid_json(fake: FakeLicenseBackend, rid: str) -> None:
    fake.add(rid)
    fake.fault("malformed")
    result = unavailable(await check_once(fake.url, rid))
    assert result.reason == "malformed response: not valid JSON"


async def test_valid_json_of_the_wrong_shape(fake: FakeLicenseBackend, rid: str) -> None:
    fake.fault("wrong_shape")
    result = unavailable(await check_once(fake.url, rid))
    assert result.reason == "malformed response: expected a JSON object, got list"


async def test_huge_body_is_capped(fake: FakeLicenseBackend, rid: str) -> None:
    fake.fault("huge")  # chunked: no Content-Length to go by
    assert unavailable(await check_once(fake.url, rid)).reason == "response too large"


async def test_declared_length_over_the_cap(fake: FakeLicenseBackend, rid: str) -> None:
    fake.add(rid)
    result = await check_once(fake.url, rid, max_body_bytes=100)
    assert unavailable(result).reason == "response too large"


async def test_slow_drip_is_bounded(fake: FakeLicenseBackend, rid: str) -> None:
    # A byte every 0.2 s: no single read times out (1 s leaves room for a loaded machine),
    # only the overall deadline (2 s here) ends the check.
    fake.fault("drip")
    result = await check_once(fake.url, rid, timeout=1.0, connect_timeout=0.3)
    assert unavailable(result).reason.startswith("timed out")


# --------------------------------------------------------------------------- statuses


async def test_not_found(fake: FakeLicenseBackend, rid: str) -> None:
    assert await check_once(fake.url, rid) == NotFound(rid)
    assert fake.calls == [rid]


@pytest.mark.parametrize(
    "bad",
    [
        "not-a-uuid",
        "",
        "../../admin",
        "24c5934b-7b86-48bd-a1d6-5bfb6950c17a/../x",
        "24c5934b7b8648bda1d65bfb6950c17a",
        "24c5934b-7b86-48bd-a1d6-5bfb6950c17",
    ],
)
async def test_invalid_request_id_is_not_asked(fake: FakeLicenseBackend, bad: str) -> None:
    assert isinstance(await check_once(fake.url, bad), NotFound)
    assert fake.calls == []


async def test_unauthorized_is_misconfigured(rid: str) -> None:
    async with FakeLicenseBackend(token=TOKEN) as server:
        server.add(rid)
        for token in (None, "wrong-token"):
            result = await check_once(server.url, rid, token=token)
            assert isinstance(result, Misconfigured), result
            assert result.status_code == 401
        found(await check_once(server.url, rid, token=TOKEN))


async def test_forbidden_is_misconfigured(fake: FakeLicenseBackend, rid: str) -> None:
    fake.add(rid)
    fake.fault("403")
    result = await check_once(fake.url, rid)
    assert isinstance(result, Misconfigured), result
    assert result.status_code == 403
    assert result.detail


async def test_429_with_retry_after_seconds(fake: FakeLicenseBackend, rid: str) -> None:
    fake.fault("429")
    result = unavailable(await check_once(fake.url, rid))
    assert result.retry_after == 2.0
    assert "429" in result.reason


async def test_429_with_retry_after_http_date(fake: FakeLicenseBackend, rid: str) -> None:
    when = datetime.now(UTC) + timedelta(seconds=120)
    fake.fault("429", retry_after=format_datetime(when, usegmt=True))
    result = unavailable(await check_once(fake.url, rid))
    assert result.retry_after is not None
    assert 60 < result.retry_after <= 120


async def test_retry_after_is_capped(fake: FakeLicenseBackend, rid: str) -> None:
    fake.fault("429", retry_after=10**9)
    assert unavailable(await check_once(fake.url, rid)).retry_after == MAX_RETRY_AFTER


async def test_429_without_retry_after(fake: FakeLicenseBackend, rid: str) -> None:
    fake.fault("429", retry_after="soon")
    assert unavailable(await check_once(fake.url, rid)).retry_after is None


@pytest.mark.parametrize("status", ["500", "502", "503"])
async def test_server_errors(fake: FakeLicenseBackend, rid: str, status: str) -> None:
    fake.add(rid)
    fake.fault(status, times=1)
    async with LicenseBackend(fake.url) as backend:
        result = unavailable(await backend.check(rid))
        assert status in result.reason
        assert result.retry_after is None
        found(await backend.check(rid))  # the fault was for one request only


async def test_503_retry_after_is_honoured(fake: FakeLicenseBackend, rid: str) -> None:
    fake.set_down(503, retry_after=7)
    assert unavailable(await check_once(fake.url, rid)).retry_after == 7.0
    fake.set_up()
    fake.add(rid)
    found(await check_once(fake.url, rid))


@pytest.mark.parametrize("status", ["400", "410", "422", "301"])
async def test_other_statuses_are_unexpected(
    fake: FakeLicenseBackend, rid: str, status: str
) -> None:
    fake.fault(status)
    result = unavailable(await check_once(fake.url, rid))
    assert result.reason == f"unexpected status {status}"


# --------------------------------------------------------------------------- network


async def test_timeout(fake: FakeLicenseBackend, rid: str) -> None:
    fake.fault("timeout")
    result = await check_once(fake.url, rid, timeout=0.3)
    assert "timeout" in unavailable(result).reason


async def test_connection_refused(refused_url: str, rid: str) -> None:
    result = unavailable(await check_once(refused_url, rid))
    assert result.reason.startswith("cannot connect")


async def test_unknown_host(rid: str) -> None:
    result = await check_once("http://license-backend.invalid", rid, timeout=0.5)
    assert isinstance(result, Unavailable), result


async def test_backend_restart_on_the_same_url(fake: FakeLicenseBackend, rid: str) -> None:
    fake.add(rid)
    async with LicenseBackend(fake.url) as backend:
        found(await backend.check(rid))
        await fake.stop()
        assert unavailable(await backend.check(rid)).reason.startswith(
            ("cannot connect", "connection error", "protocol error")
        )
        await fake.start()
        found(await backend.check(rid))


async def test_connection_reset(fake: FakeLicenseBackend, rid: str) -> None:
    fake.fault("reset")
    assert unavailable(await check_once(fake.url, rid)).reason.startswith("protocol error")


# --------------------------------------------------------------------------- request shape


async def test_bearer_token_and_headers(rid: str) -> None:
    async with FakeLicenseBackend(token=TOKEN) as server:
        server.add(rid)
        found(await check_once(server.url, rid, token=TOKEN))
        headers = server.received[-1].headers
        assert headers["Authorization"] == f"Bearer {TOKEN}"
        assert headers["Accept"] == "application/json"
        assert "license-support-bot" in headers["User-Agent"]


@pytest.mark.parametrize("token", [None, "", "   "])
async def test_no_authorization_without_token(
    fake: FakeLicenseBackend, rid: str, token: str | None
) -> None:
    await check_once(fake.url, rid, token=token)
    assert "Authorization" not in fake.received[-1].headers


@pytest.mark.parametrize("suffix", ["", "/", "//"])
async def test_base_url_with_a_path_prefix(rid: str, suffix: str) -> None:
    async with FakeLicenseBackend(prefix="/api/v1") as server:
        server.add(rid)
        assert server.url.endswith("/api/v1")
        found(await check_once(server.url + suffix, rid))
        assert server.received[-1].path == f"/api/v1/checks/{rid}"


async def test_token_never_shown(rid: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, httpx and httpcore included
    async with FakeLicenseBackend(token="other-token") as server:
        server.add(rid)
        results: list[object] = []
        async with LicenseBackend(server.url, TOKEN, timeout=0.3, failure_threshold=2) as b:
            results.append(await b.check(rid))  # 401
            server.fault("malformed", times=1)
            results.append(await b.check(rid))
            server.fault("timeout", times=1)
            results.append(await b.check(rid))  # opens the circuit
            results.append(await b.check(rid))  # fails fast
            shown = [repr(b), str(b), repr(vars(b))]
        assert isinstance(results[0], Misconfigured)
        assert unavailable(results[-1]).reason == "backend unavailable (circuit open)"
    assert TOKEN in server.received[0].headers["Authorization"]  # it was sent...
    for text in [caplog.text, *shown, *map(repr, results)]:  # ...and never shown
        assert TOKEN not in text


async def test_secretstr_token_is_sent_and_never_shown(
    rid: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with FakeLicenseBackend(token=TOKEN) as server:
        server.add(rid)
        async with LicenseBackend(server.url, SecretStr(f" {TOKEN} ")) as backend:
            found(await backend.check(rid))
            shown = [repr(backend), str(backend), repr(vars(backend))]
    assert server.received[-1].headers["Authorization"] == f"Bearer {TOKEN}"
    for text in [caplog.text, *shown]:
        assert TOKEN not in text


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.ru",
        "example.ru/api",
        "http://",
        "http://user:pw@example.ru",
        "http://h/?q=1",
    ],
)
def test_bad_base_url_is_rejected(url: str) -> None:
    with pytest.raises(ValueError, match="URL"):
        LicenseBackend(url)


def test_token_with_forbidden_characters_is_rejected_without_echo() -> None:
    with pytest.raises(ValueError, match="token") as info:
        LicenseBackend("http://example.ru", "abc\ndef-Секрет")
    assert "Секрет" not in str(info.value)


# --------------------------------------------------------------------------- singleflight


async def test_concurrent_checks_share_one_call(fake: FakeLicenseBackend, rid: str) -> None:
    fake.add(rid)
    fake.fault("hold")
    async with LicenseBackend(fake.url) as backend:
        tasks = [asyncio.create_task(backend.check(rid)) for _ in range(5)]
        await fake.wait_calls(rid, 1)
        fake.release()
        results = await asyncio.gather(*tasks)
        assert all(isinstance(result, Found) for result in results)
        assert fake.calls_for(rid) == 1
        found(await backend.check(rid))  # nothing cached once the call is over
        assert fake.calls_for(rid) == 2


async def test_different_ids_are_not_merged(fake: FakeLicenseBackend) -> None:
    ids = [str(uuid.uuid4()) for _ in range(3)]
    for request_id in ids:
        fake.add(request_id)
    async with LicenseBackend(fake.url) as backend:
        results = await asyncio.gather(*(backend.check(request_id) for request_id in ids))
    assert [found(result).request_id for result in results] == ids
    assert sorted(fake.calls) == sorted(ids)


async def test_cancelled_waiter_leaves_the_shared_call(fake: FakeLicenseBackend, rid: str) -> None:
    fake.add(rid)
    fake.fault("hold")
    async with LicenseBackend(fake.url) as backend:
        first = asyncio.create_task(backend.check(rid))
        second = asyncio.create_task(backend.check(rid))
        await fake.wait_calls(rid, 1)
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first
        fake.release()
        found(await second)
        assert fake.calls_for(rid) == 1


async def test_aclose_ends_waiting_checks(fake: FakeLicenseBackend, rid: str) -> None:
    fake.fault("hold")
    backend = LicenseBackend(fake.url)
    waiting = asyncio.create_task(backend.check(rid))
    await fake.wait_calls(rid, 1)
    await backend.aclose()
    assert unavailable(await waiting).reason == "backend client closed"
    assert unavailable(await backend.check(rid)).reason == "backend client closed"


# --------------------------------------------------------------------------- circuit breaker


async def test_circuit_opens_fails_fast_half_opens_and_closes(
    fake: FakeLicenseBackend, rid: str
) -> None:
    clock = FakeMonotonic()
    fake.add(rid)
    fake.set_down(503)
    async with LicenseBackend(
        fake.url, failure_threshold=3, open_seconds=30, monotonic=clock
    ) as backend:
        for _ in range(3):
            assert not backend.circuit_open
            assert "503" in unavailable(await backend.check(rid)).reason
        assert backend.circuit_open
        assert fake.calls_for(rid) == 3

        fast = unavailable(await backend.check(rid))
        assert fast == Unavailable(rid, "backend unavailable (circuit open)", retry_after=30.0)
        clock.advance(20)
        assert unavailable(await backend.check(rid)).retry_after == 10.0
        assert fake.calls_for(rid) == 3  # no request while open

        clock.advance(10)  # half-open: one trial, still failing → open again
        assert not backend.circuit_open
        assert "503" in unavailable(await backend.check(rid)).reason
        assert fake.calls_for(rid) == 4
        assert backend.circuit_open
        assert unavailable(await backend.check(rid)).retry_after == 30.0

        clock.advance(30)  # the trial succeeds → closed
        fake.set_up()
        found(await backend.check(rid))
        assert not backend.circuit_open
        found(await backend.check(rid))
        assert fake.calls_for(rid) == 6


async def test_half_open_lets_one_trial_through(fake: FakeLicenseBackend) -> None:
    clock = FakeMonotonic()
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    fake.add(first)
    fake.add(second)
    async with LicenseBackend(
        fake.url, failure_threshold=1, open_seconds=5, monotonic=clock
    ) as backend:
        fake.fault("500", times=1)
        unavailable(await backend.check(first))
        assert backend.circuit_open
        clock.advance(5)
        fake.fault("hold")
        trial = asyncio.create_task(backend.check(first))
        await fake.wait_calls(first, 2)
        assert backend.circuit_open  # the trial is running: nobody else goes
        blocked = unavailable(await backend.check(second))
        assert blocked.reason == "backend unavailable (circuit open)"
        assert blocked.retry_after is not None and blocked.retry_after > 0
        assert fake.calls_for(second) == 0
        fake.release()
        found(await trial)
        assert not backend.circuit_open
        found(await backend.check(second))


async def test_answers_reset_the_failure_count(fake: FakeLicenseBackend, rid: str) -> None:
    missing = str(uuid.uuid4())
    async with LicenseBackend(fake.url, failure_threshold=3) as backend:
        for healthy in ("404", "401", "403", "429"):
            fake.fault("502", times=2)
            unavailable(await backend.check(rid))
            unavailable(await backend.check(rid))
            if healthy == "404":
                assert isinstance(await backend.check(missing), NotFound)
            else:
                fake.fault(healthy, times=1)
                await backend.check(rid)
            assert not backend.circuit_open
        fake.fault("502", times=3)
        for _ in range(3):
            unavailable(await backend.check(rid))
        assert backend.circuit_open


async def test_refused_connections_open_the_circuit(refused_url: str, rid: str) -> None:
    clock = FakeMonotonic()
    async with LicenseBackend(
        refused_url, failure_threshold=2, open_seconds=60, monotonic=clock
    ) as backend:
        assert unavailable(await backend.check(rid)).reason.startswith("cannot connect")
        assert unavailable(await backend.check(rid)).reason.startswith("cannot connect")
        assert unavailable(await backend.check(rid)).retry_after == 60.0


# --------------------------------------------------------------------------- Retry-After


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("0", 0.0),
        (" 120 ", 120.0),
        ("99999", MAX_RETRY_AFTER),
        ("-5", None),
        ("1.5", None),
        ("soon", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # in the past: now
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value) == expected


def test_parse_retry_after_http_date() -> None:
    now = DEFAULT_START.astimezone(UTC)
    header = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert parse_retry_after(header, now=now) == 90.0
