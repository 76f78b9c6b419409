"""Settings for the operator commands: read what a command needs, list every problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.config import SettingsError

T = TypeVar("T", bound=BaseSettings)


class StoreSettings(BaseSettings):
    """What `export` needs (and `doctor` for the database): no token, no URLs."""

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


def read_settings(cls: type[T], **overrides: Any) -> tuple[T | None, list[str]]:
    """The settings, or None and one line per problem (naming the variable, never a value)."""
    try:
        return cls(**overrides), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            name = ".".join(str(part) for part in error["loc"]).upper() or "settings"
            reason = "is required" if error["type"] == "missing" else error["msg"]
            problems.append(f"{name} {reason}")
        return None, problems


def require_settings(cls: type[T], **overrides: Any) -> T:
    """The settings, or a SettingsError whose message is one line naming every problem."""
    settings, problems = read_settings(cls, **overrides)
    if settings is None:
        raise SettingsError("configuration error: " + "; ".join(problems))
    return settings
