"""The pinned status's first line: the verdict of the license that ends soonest."""

from __future__ import annotations

from datetime import date

from bot.licensing.models import LicenseCheck
from bot.views.status import verdict_line
from tests.support.catalog import in_english, in_russian

TODAY = date(2026, 6, 17)


def check(rid: str, expires: date | None, status: str = "active") -> LicenseCheck:
    return LicenseCheck(request_id=rid, status=status, expires_on=expires)


def test_one_supported_license_reads_support_until_its_last_day() -> None:
    checks = [check("a", date(2026, 8, 7))]
    assert in_russian(verdict_line, checks, TODAY) == "✅ Поддержка до 07.08.2026"
    assert in_english(verdict_line, checks, TODAY) == "✅ Support until 7 Aug 2026"


def test_an_expired_license_reads_expired_with_its_date() -> None:
    checks = [check("a", date(2025, 1, 31), status="expired")]
    assert in_russian(verdict_line, checks, TODAY) == "⛔ Лицензия истекла 31.01.2025"
    assert in_english(verdict_line, checks, TODAY) == "⛔ License expired on 31 Jan 2025"


def test_with_several_licenses_the_one_ending_soonest_decides() -> None:
    later, sooner = check("a", date(2027, 1, 1)), check("b", date(2026, 7, 1))
    assert in_russian(verdict_line, [later, sooner], TODAY) == "✅ Поддержка до 01.07.2026"
    expired = check("c", date(2026, 5, 1))  # its last day has passed: no support
    assert in_russian(verdict_line, [later, expired], TODAY) == "⛔ Лицензия истекла 01.05.2026"


def test_licenses_without_a_date_read_active_or_not_active() -> None:
    assert in_russian(verdict_line, [check("a", None)], TODAY) == "✅ Лицензия активна"
    inactive = [check("a", None), check("b", None, status="expired")]
    assert in_english(verdict_line, inactive, TODAY) == "⛔ License not active"
    dated = [check("a", None), check("b", date(2026, 9, 1))]
    assert in_english(verdict_line, dated, TODAY) == "✅ Support until 1 Sep 2026"
