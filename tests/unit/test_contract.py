"""The backend contract's types: the 200 body's tolerance, the URL, the token, Request IDs."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from typing import Any

import pytest
from pydantic import SecretStr

from bot.config import BackendSettings, SettingsError, load_settings
from bot.licensing.contract import (
    MAX_TEXT,
    MAX_URL,
    MalformedResponse,
    backend_base_url,
    bearer_token,
    parse_check,
)
from bot.licensing.ids import canonical_request_id
from bot.licensing.models import LicenseCheck

RID = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
ODD = "Zq9-odd-value-Zq9"  # a value that must never be echoed in a log line or an error


def body(**fields: Any) -> dict[str, Any]:
    return {"request_id": RID, "status": "active", **fields}


@pytest.fixture
def warnings(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.WARNING, logger="bot.licensing.contract")
    return caplog


# --------------------------------------------------------------------------- optional fields


@pytest.mark.parametrize(
    ("field", "value", "where", "attr"),
    [
        ("demo", ODD, "body.demo", "demo"),
        ("demo", 1, "body.demo", "demo"),
        ("bitrix_license_active", "true", "body.bitrix_license_active", "bitrix_license_active"),
        ("site", [ODD], "body.site", "site"),
        ("license_id", True, "body.license_id", "license_id"),
        ("license_id", 10.5, "body.license_id", "license_id"),
        ("module", ODD, "body.module", "module_name"),
        ("module", {"id": 7, "name": "ok"}, "module.id", "module_id"),
        ("module", {"version": {"v": ODD}, "name": "ok"}, "module.version", "module_version"),
        ("checked_at", ODD, "body.checked_at", "checked_at"),
        ("checked_at", 1_750_000_000, "body.checked_at", "checked_at"),  # not a Unix time
        ("checked_at", "2025-06-01T10:15:00", "body.checked_at", "checked_at"),  # no offset
        ("renew_url", f"javascript:{ODD}", "body.renew_url", "renew_url"),
    ],
)
def test_a_bad_optional_field_is_dropped_and_named(
    warnings: pytest.LogCaptureFixture, field: str, value: object, where: str, attr: str
) -> None:
    check = parse_check(body(**{"license_id": "L-1", field: value}), RID)
    assert getattr(check, attr) in (None, False)
    if attr != "license_id":
        assert check.license_id == "L-1"  # the rest of the body stands
    if isinstance(value, dict):
        assert check.module_name == "ok"  # and so do the module's other fields
    (record,) = warnings.records
    assert f"ignoring {where} of type " in record.getMessage()
    assert ODD not in warnings.text


def test_unknown_fields_and_nulls_are_ignored(warnings: pytest.LogCaptureFixture) -> None:
    payload = body(future={"nested": [1, 2]}, site=None, module=None, demo=None, expires_on=None)
    assert parse_check(payload, RID) == LicenseCheck(request_id=RID, status="active")
    assert not warnings.records


def test_strings_are_stripped_and_cut(warnings: pytest.LogCaptureFixture) -> None:
    long_name = "М" * (MAX_TEXT + 50)
    check = parse_check(
        body(site="  shop.example.ru \n", module={"name": long_name, "id": " "}), RID
    )
    assert check.site == "shop.example.ru"
    assert check.module_name == long_name[:MAX_TEXT]
    assert check.module_id is None
    assert "module.name is 306 characters long, cut to 256" in warnings.text
    exact = "x" * MAX_TEXT
    assert parse_check(body(site=exact), RID).site == exact


def test_numeric_license_id_is_a_string() -> None:
    assert parse_check(body(license_id=1042), RID).license_id == "1042"
    assert parse_check(body(license_id=" L-7 "), RID).license_id == "L-7"
    assert parse_check(body(license_id="x" * 300), RID).license_id == "x" * 300  # not cut


def test_checked_at_needs_an_offset() -> None:
    check = parse_check(body(checked_at="2025-06-01T07:15:00Z"), RID)
    assert check.checked_at == datetime(2025, 6, 1, 7, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("HTTPS://example.ru/renew", True),
        ("  http://example.ru/renew?id=1 \n", True),
        ("https://example.ru/" + "a" * (MAX_URL - 19), True),
        ("https://example.ru/" + "a" * (MAX_URL - 18), False),
        ("https://example.ru/re\tnew", False),
        ("https://example.ru/\x07", False),
        ("https://example.ru:port/", False),
        ("mailto:sales@example.ru", False),
        ("   ", False),
    ],
)
def test_renew_url_kept_only_as_an_http_url(url: str, kept: bool) -> None:
    assert parse_check(body(renew_url=url), RID).renew_url == (url.strip() if kept else None)


# --------------------------------------------------------------------------- required fields


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({"status": "active"}, "request_id is missing"),
        ({"request_id": RID}, "status is missing"),
        (body(request_id=1), "request_id: "),
        (body(request_id="24c5934b-7b86-48bd-a1d6-5bfb6950c17b"), "does not match"),
        (body(status=ODD), "status: "),
        (body(status=True), "status: "),
        (body(expires_on=ODD), "expires_on is not a YYYY-MM-DD date"),
        (body(expires_on="2026-02-30"), "expires_on is not a valid date"),
        (body(expires_on=20260807), "expires_on is not a YYYY-MM-DD date"),
        ([body()], "expected a JSON object, got list"),
    ],
)
def test_malformed_bodies(payload: object, reason: str) -> None:
    with pytest.raises(MalformedResponse) as info:
        parse_check(payload, RID)
    assert reason in str(info.value)
    assert ODD not in str(info.value)


def test_status_and_request_id_are_read_leniently() -> None:
    payload = body(request_id=f' "{RID.upper()}" ', status=" EXPIRED ", expires_on="2026-08-07 ")
    check = parse_check(payload, RID)
    assert (check.request_id, check.status) == (RID, "expired")
    assert check.expires_on == date(2026, 8, 7)


# --------------------------------------------------------------------------- URL and token

URLS = [
    ("https://licenses.example.ru", "https://licenses.example.ru/"),
    (" http://127.0.0.1:8080/api/v1// ", "http://127.0.0.1:8080/api/v1/"),
    ("ftp://example.ru", None),
    ("example.ru/api", None),
    ("http://", None),
    ("http://user:secret-pw@example.ru", None),
    ("http://example.ru/?q=1", None),
    ("http://example.ru/#top", None),
    ("http://exa mple.ru", None),
    ("http://example.ru:port", None),
]


@pytest.mark.parametrize(("url", "base"), URLS)
def test_settings_and_client_accept_the_same_urls(
    url: str, base: str | None, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env
    for name in ("LICENSE_API_URL", "LICENSE_API_TOKEN", "TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    if base is None:
        with pytest.raises(ValueError, match="license backend URL") as client_error:
            backend_base_url(url)
        with pytest.raises(
            SettingsError, match=r"^configuration error: LICENSE_API_URL "
        ) as error:
            load_settings(BackendSettings, license_api_url=url)
        assert len(str(error.value).splitlines()) == 1
        assert "secret-pw" not in str(client_error.value) + str(error.value)
        return
    assert backend_base_url(url) == base
    settings = load_settings(BackendSettings, license_api_url=url)
    assert backend_base_url(settings.license_api_url) == base


@pytest.mark.parametrize("value", [None, "", "  ", SecretStr(""), SecretStr(" \t")])
def test_no_token(value: SecretStr | str | None) -> None:
    assert bearer_token(value) is None


def test_token_is_stripped_and_stays_secret() -> None:
    token = bearer_token(SecretStr(f" {ODD} "))
    assert token is not None and token.get_secret_value() == ODD
    assert ODD not in repr(token) and ODD not in str(token)
    with pytest.raises(ValueError, match="visible ASCII") as info:
        bearer_token(f"{ODD} Секрет")
    assert ODD not in str(info.value)


# --------------------------------------------------------------------------- Request IDs


@pytest.mark.parametrize(
    "text",
    [RID, RID.upper(), f" «{RID}» ", f"`{RID}`", RID.replace("-", "\u2013"), f"\u200b{RID}\ufeff"],
)
def test_one_normaliser_accepts_a_marked_up_id(text: str) -> None:
    assert canonical_request_id(text) == RID


@pytest.mark.parametrize(
    "text", ["", RID[:-1], RID.replace("-", ""), f"{RID} {RID}", f"{RID}0", "../" + RID]
)
def test_one_normaliser_rejects_anything_but_one_uuid(text: str) -> None:
    assert canonical_request_id(text) is None
