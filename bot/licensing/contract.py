"""The license backend's HTTP contract as types: the 200 body, the base URL, the bearer token.

The body model is tolerant the way ../shared/DESIGN.md asks: unknown fields are ignored and a
wrong value in an optional field is dropped and logged (field name and type, never the
value), not fatal. Only `request_id`, `status` and a present but unreadable `expires_on` make
a body malformed: the verdict depends on them.
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime
from typing import Annotated, Any, Literal
from urllib.parse import SplitResult, urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    SecretStr,
    StrictBool,
    StrictStr,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    field_validator,
)
from pydantic_core import ErrorDetails

from bot.licensing.ids import canonical_request_id
from bot.licensing.models import LicenseCheck

__all__ = [
    "BackendUrl",
    "MalformedResponse",
    "backend_base_url",
    "bearer_token",
    "check_backend_url",
    "parse_check",
]

logger = logging.getLogger(__name__)

MAX_TEXT = 256  # display strings longer than this are cut (they end up in chat messages)
MAX_URL = 2048
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class MalformedResponse(ValueError):
    """A 200 body that does not follow the contract."""


# --------------------------------------------------------------------------- URLs and token


def _http_parts(value: str) -> SplitResult | None:
    """The parts of an absolute http(s) URL with a host and no blanks, else None."""
    if any(char.isspace() or ord(char) < 32 or ord(char) == 127 for char in value):
        return None
    try:
        parts = urlsplit(value)
        _ = parts.port  # raises ValueError for a port that is not a number
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return parts


def check_backend_url(value: str) -> str:
    """The backend's base URL without trailing slashes; ValueError (no value echoed) if bad."""
    url = value.strip().rstrip("/")
    parts = _http_parts(url)
    if parts is None:
        raise ValueError("must be an absolute http(s) URL with a host")
    if parts.username is not None or parts.password is not None:
        raise ValueError("must not hold credentials (they go in LICENSE_API_TOKEN)")
    if parts.query or parts.fragment:
        raise ValueError("must not have a query or fragment")
    return url


BackendUrl = Annotated[str, AfterValidator(check_backend_url)]
"""LICENSE_API_URL as a pydantic type: settings and the client accept the same URLs."""


def backend_base_url(value: str) -> str:
    """The base URL ending in one '/', so that httpx appends 'checks/<id>' to any prefix."""
    try:
        return check_backend_url(value) + "/"
    except ValueError as exc:
        raise ValueError(f"the license backend URL {exc}") from None


def bearer_token(value: SecretStr | str | None) -> SecretStr | None:
    """The stripped token, None when empty; ValueError if it cannot go into a header."""
    raw = (value.get_secret_value() if isinstance(value, SecretStr) else value or "").strip()
    # Visible ASCII only: anything else breaks the header. The message never repeats it.
    if not all("!" <= char <= "~" for char in raw):
        raise ValueError("may hold only visible ASCII characters, no spaces")
    return SecretStr(raw) if raw else None


# --------------------------------------------------------------------------- the 200 body


def _reason(error: ErrorDetails) -> str:
    if error["type"] == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    return str(error["msg"])


def _optional(value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> Any:
    """An optional field: a value that does not validate is dropped (None) and logged."""
    try:
        return handler(value)
    except ValidationError as exc:
        where = (info.config or {}).get("title", "body")
        logger.warning(
            "license backend: ignoring %s.%s of type %s: %s",
            where,
            info.field_name,
            type(value).__name__,
            _reason(exc.errors()[0]),
        )
        return None


def _display(value: str | None, info: ValidationInfo) -> str | None:
    """Stripped, empty → None, cut to MAX_TEXT characters."""
    value = value.strip() if value is not None else None
    if value and len(value) > MAX_TEXT:
        where = (info.config or {}).get("title", "body")
        logger.warning(
            "license backend: %s.%s is %d characters long, cut to %d",
            where,
            info.field_name,
            len(value),
            MAX_TEXT,
        )
        value = value[:MAX_TEXT].rstrip()
    return value or None


def _numeric_id(value: Any) -> Any:
    # A numeric license id is still the same identity.
    is_number = isinstance(value, int) and not isinstance(value, bool)
    return str(value) if is_number else value


def _stripped(value: str | None) -> str | None:
    return (value.strip() or None) if value is not None else None


def _renew_url(value: str | None) -> str | None:
    if value is None:
        return None
    if len(value) > MAX_URL or _http_parts(value) is None:
        raise ValueError("is not an http(s) URL")
    return value


def _iso_date(value: Any) -> Any:
    # The verdict depends on this date: a value we cannot read is a malformed body, not
    # "no end date" (which would mean support without limit).
    if value is None or isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DATE.fullmatch(value.strip()):
        raise ValueError("is not a YYYY-MM-DD date")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError("is not a valid date") from None


def _aware_datetime(value: Any) -> Any:
    if value is None:
        return None
    if not isinstance(value, str):  # pydantic would read a number as a Unix time
        raise ValueError("is not an ISO 8601 string")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError("is not an ISO 8601 date-time") from None
    if parsed.tzinfo is None:
        raise ValueError("has no UTC offset")
    return parsed


def _status(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


_Optional = WrapValidator(_optional)
Text = Annotated[StrictStr | None, AfterValidator(_display), _Optional]
Flag = Annotated[StrictBool | None, _Optional]
LicenseId = Annotated[
    StrictStr | None, BeforeValidator(_numeric_id), AfterValidator(_stripped), _Optional
]
RenewUrl = Annotated[
    StrictStr | None, AfterValidator(_stripped), AfterValidator(_renew_url), _Optional
]
CheckedAt = Annotated[datetime | None, BeforeValidator(_aware_datetime), _Optional]
Status = Annotated[Literal["active", "expired"], BeforeValidator(_status)]
ExpiresOn = Annotated[date | None, BeforeValidator(_iso_date)]


class _Module(BaseModel):
    model_config = ConfigDict(title="module", frozen=True)

    id: Text = None
    name: Text = None
    version: Text = None


class CheckBody(BaseModel):
    """The JSON object of a 200 answer to GET /checks/{request_id}."""

    model_config = ConfigDict(title="body", frozen=True, extra="ignore")

    request_id: StrictStr
    status: Status
    expires_on: ExpiresOn = None
    license_id: LicenseId = None
    demo: Flag = None
    bitrix_license_active: Flag = None
    module: Annotated[_Module | None, _Optional] = None
    site: Text = None
    checked_at: CheckedAt = None
    renew_url: RenewUrl = None

    @field_validator("request_id")
    @classmethod
    def _asked_for(cls, value: str, info: ValidationInfo) -> str:
        asked = (info.context or {}).get("request_id")
        if asked is not None and canonical_request_id(value) != asked:
            raise ValueError("does not match the one asked for")
        return value

    def to_check(self, request_id: str) -> LicenseCheck:
        module = self.module or _Module()
        return LicenseCheck(
            request_id=request_id,
            status=self.status,
            license_id=self.license_id,
            demo=bool(self.demo),
            expires_on=self.expires_on,
            bitrix_license_active=self.bitrix_license_active,
            module_id=module.id,
            module_name=module.name,
            module_version=module.version,
            site=self.site,
            checked_at=self.checked_at,
            renew_url=self.renew_url,
        )


def parse_check(payload: object, request_id: str) -> LicenseCheck:
    """Turn a decoded 200 body into a LicenseCheck, or raise MalformedResponse.

    `request_id` is the canonical id that was asked for; the body must name the same one.
    """
    if not isinstance(payload, dict):
        raise MalformedResponse(f"expected a JSON object, got {type(payload).__name__}")
    try:
        body = CheckBody.model_validate(payload, context={"request_id": request_id})
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"])
        if error["type"] == "missing":
            raise MalformedResponse(f"{field} is missing") from None
        separator = " " if error["type"] == "value_error" else ": "
        raise MalformedResponse(f"{field}{separator}{_reason(error)}") from None
    return body.to_check(request_id)
