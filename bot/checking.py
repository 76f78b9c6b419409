"""`python -m bot check`: verify pasted claims against the backend and print JSON verdicts."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any, TextIO

from bot.config import BackendSettings, SettingsError, load_settings
from bot.licensing.models import CheckResult, Claim, Found, Misconfigured, NotFound
from bot.licensing.parser import parse_claims
from bot.logs import configure_logging


def verdict_json(claim: Claim, result: CheckResult, today: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"request_id": claim.request_id, "claim": claim.to_json()}
    if isinstance(result, Found):
        check = result.check
        out.update(
            verdict="supported" if check.is_supported(today) else "expired",
            status=check.status,
            demo=check.demo,
            expires_on=check.expires_on.isoformat() if check.expires_on else None,
            days_left=check.days_left(today),
            license_id=check.license_id,
            module=check.module_name,
            module_version=check.module_version,
            site=check.site,
            bitrix_license_active=check.bitrix_license_active,
            renew_url=check.renew_url,
            claim_matches=claim.expires_on in (None, check.expires_on),
        )
    elif isinstance(result, NotFound):
        out["verdict"] = "not_found"
    elif isinstance(result, Misconfigured):
        out.update(verdict="misconfigured", error=f"HTTP {result.status_code}: {result.detail}")
    else:
        out.update(verdict="unavailable", error=result.reason)
    return out


async def _check_all(settings: BackendSettings, claims: list[Claim]) -> list[dict[str, Any]]:
    from bot.clock import Clock
    from bot.licensing.backend import LicenseBackend

    today = Clock(settings.tz).today()
    async with LicenseBackend(settings.license_api_url, settings.license_api_token) as backend:
        results = await asyncio.gather(*(backend.check(c.request_id) for c in claims))
    return [verdict_json(c, r, today) for c, r in zip(claims, results, strict=True)]


def check_command(stdin: TextIO, stdout: TextIO) -> int:
    claims = parse_claims(stdin.read())
    if not claims:
        stdout.write("[]\n")
        return 0
    try:
        settings = load_settings(BackendSettings)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    configure_logging(secrets=[settings.backend_token], level="WARNING")
    verdicts = asyncio.run(_check_all(settings, claims))
    stdout.write(json.dumps(verdicts, ensure_ascii=False, indent=2) + "\n")
    return 0 if all(v["verdict"] in ("supported", "expired", "not_found") for v in verdicts) else 1
