"""The one typed settings class, read once at start-up from the environment or .env."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.hours import HoursError, WorkingHours
from bot.licensing.contract import BackendUrl, bearer_token

OFFICIAL_TELEGRAM_API = "https://api.telegram.org"


def _split_csv(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, int):
        return [value]
    return value


class StoreSettings(BaseSettings):
    """What reading the database needs (`export`, doctor's database check): no token, no URL."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    database_path: Path = Path("data/bot.sqlite3")
    timezone: str = "Europe/Moscow"

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class BackendSettings(StoreSettings):
    """What `python -m bot check` needs: the license backend too."""

    license_api_url: BackendUrl  # the same URL type the backend client checks
    license_api_token: SecretStr = SecretStr("")

    @field_validator("license_api_token")
    @classmethod
    def _token_chars(cls, value: SecretStr) -> SecretStr:
        # It goes into an HTTP header. The message never repeats the value.
        return bearer_token(value) or SecretStr("")

    @property
    def backend_token(self) -> str | None:
        return self.license_api_token.get_secret_value() or None


def _http_url(value: str) -> str:
    value = value.strip().rstrip("/")
    if not value.startswith(("http://", "https://")) or len(value) < 10:
        raise ValueError("must be an http(s) URL")
    return value


def parse_listen(value: str) -> tuple[str, int]:
    """ "host:port" (or ":port", all interfaces) as a (host, port) pair."""
    host, sep, port = value.strip().rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) < 65536:  # 0: any free port
        raise ValueError("must be host:port, e.g. 0.0.0.0:9100")
    return host.strip("[]") or "0.0.0.0", int(port)


class Settings(BackendSettings):
    """Every setting of the bot; names match ../shared/DESIGN.md."""

    bot_token: SecretStr
    support_agent_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    support_chat_id: int | None = None
    telegram_api_url: str = OFFICIAL_TELEGRAM_API
    reminder_days: Annotated[tuple[int, ...], NoDecode] = (14, 3, 1)
    # Abuse limits: backend look-ups a non-agent may trigger per window.
    lookups_per_user: int = Field(default=10, ge=1)
    lookups_per_chat: int = Field(default=20, ge=1)
    lookup_window_seconds: int = Field(default=600, ge=1)
    max_claims_per_message: int = Field(default=10, ge=1, le=50)
    # Read Request IDs from screenshots; OCR=on|off (pydantic also takes true/false, 1/0).
    ocr: bool = True
    # Running as a service: webhooks instead of long polling, /healthz and /metrics, logs.
    webhook_url: str = ""  # empty: long polling
    webhook_secret: SecretStr = SecretStr("")
    webhook_listen: str = "0.0.0.0:8080"
    metrics_listen: str = ""  # host:port for /healthz and /metrics; empty: not served
    log_format: Literal["text", "json"] = "text"
    # The support desk's working hours in TIMEZONE (bot.hours); empty: always.
    support_hours: str = ""

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        raw = value.get_secret_value().strip()
        head, sep, tail = raw.partition(":")
        if not (sep and head.isdigit() and tail):
            raise ValueError("must look like 123456:ABC-DEF (as given by @BotFather)")
        return SecretStr(raw)

    @field_validator("telegram_api_url")
    @classmethod
    def _telegram_url(cls, value: str) -> str:
        return _http_url(value) if value.strip() else OFFICIAL_TELEGRAM_API

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str) -> str:
        if not value.strip():
            return ""
        if not value.strip().startswith("https://"):
            raise ValueError("must be an https:// URL (Telegram only calls HTTPS webhooks)")
        return value.strip()

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr, info: ValidationInfo) -> SecretStr:
        raw = value.get_secret_value()
        if info.data.get("webhook_url") and not raw:
            raise ValueError("is required with WEBHOOK_URL")
        if raw and not all(c.isascii() and (c.isalnum() or c in "_-") for c in raw):
            raise ValueError("may hold only A-Z, a-z, 0-9, _ and - (Telegram's rule)")
        if len(raw) > 256:
            raise ValueError("must be at most 256 characters")
        return value

    @field_validator("webhook_listen", "metrics_listen")
    @classmethod
    def _listen(cls, value: str) -> str:
        value = value.strip()
        if value:
            parse_listen(value)
        return value

    @field_validator("support_hours")
    @classmethod
    def _support_hours(cls, value: str) -> str:
        try:
            return WorkingHours.parse(value).text
        except HoursError as exc:
            raise ValueError(str(exc)) from exc

    @property
    def working_hours(self) -> WorkingHours:
        return WorkingHours.parse(self.support_hours)

    @property
    def webhook_mode(self) -> bool:
        return bool(self.webhook_url)

    @field_validator("support_agent_ids", mode="before")
    @classmethod
    def _agent_ids(cls, value: object) -> object:
        return _split_csv(value)

    @field_validator("support_chat_id", mode="before")
    @classmethod
    def _empty_chat_id(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("reminder_days", mode="before")
    @classmethod
    def _days(cls, value: object) -> object:
        return _split_csv(value)

    @field_validator("reminder_days")
    @classmethod
    def _days_positive(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if any(day < 1 or day > 365 for day in value):
            raise ValueError("each day must be between 1 and 365")
        return tuple(sorted(set(value), reverse=True))

    def is_agent(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.support_agent_ids


S = TypeVar("S", bound=StoreSettings)


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line naming it."""


def settings_problems(exc: ValidationError) -> list[str]:
    """One line per problem, naming the variable, never its value."""
    problems = []
    for error in exc.errors():
        name = ".".join(str(part) for part in error["loc"]).upper() or "settings"
        if error["type"] == "missing":
            reason = "is required"
        elif error["type"] == "value_error":  # our own words, without "Value error, "
            reason = str(error.get("ctx", {}).get("error", error["msg"]))
        else:
            reason = error["msg"]
        problems.append(f"{name} {reason}")
    return problems


def read_settings(cls: type[S], **overrides: Any) -> tuple[S | None, list[str]]:
    """The settings, or None and every problem (doctor reports them all)."""
    try:
        return cls(**overrides), []
    except ValidationError as exc:
        return None, settings_problems(exc)


def load_settings(cls: type[S] = Settings, **overrides: Any) -> S:  # type: ignore[assignment]  # mypy cannot see that the default fits S
    """Read settings once; a problem stops start-up with one clear line."""
    settings, problems = read_settings(cls, **overrides)
    if settings is None:
        raise SettingsError("configuration error: " + "; ".join(problems))
    return settings
