"""Converting SQLite rows to records and values to their stored text."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime

from bot.licensing.models import LicenseCheck
from bot.licensing.records import PendingCheck, Resolution, StoredLicense
from storage.records import ChatRecord, Conversation


def term_key(expires_on: date | None) -> str:
    """How a license term is named in reminders_sent: its last day, or «open»."""
    return expires_on.isoformat() if expires_on else "open"


def now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _bool(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def license_row(row: sqlite3.Row) -> StoredLicense:
    check = LicenseCheck(
        request_id=row["request_id"],
        status=row["status"],
        license_id=row["license_id"],
        demo=bool(row["demo"]),
        expires_on=_date(row["expires_on"]),
        bitrix_license_active=_bool(row["bitrix_license_active"]),
        module_id=row["module_id"],
        module_name=row["module_name"],
        module_version=row["module_version"],
        site=row["site"],
        checked_at=_datetime(row["checked_at"]),
        renew_url=row["renew_url"],
    )
    return StoredLicense(
        chat_id=row["chat_id"],
        check=check,
        verified_at=datetime.fromisoformat(row["verified_at"]),
        claimed_status=row["claimed_status"],
        claimed_expires_on=row["claimed_expires_on"],
        added_by=row["added_by"],
    )


# A license row joined with its chat: the chat's columns come prefixed with "c_".
LICENSE_WITH_CHAT = """SELECT l.*, c.type AS c_type, c.title AS c_title, c.active AS c_active,
           c.status_message_id AS c_status_message_id,
           c.pin_problem_notified AS c_pin_problem_notified
    FROM licenses l JOIN chats c ON c.chat_id = l.chat_id"""


def chat_row(row: sqlite3.Row, prefix: str = "") -> ChatRecord:
    return ChatRecord(
        chat_id=row["chat_id"],
        type=row[prefix + "type"],
        title=row[prefix + "title"],
        active=bool(row[prefix + "active"]),
        status_message_id=row[prefix + "status_message_id"],
        pin_problem_notified=bool(row[prefix + "pin_problem_notified"]),
    )


def pending_row(row: sqlite3.Row) -> PendingCheck:
    fields = {key: row[key] for key in row.keys() if key != "created_at"}  # noqa: SIM118
    resolution = fields.pop("resolution")
    return PendingCheck(**fields, resolution=Resolution(resolution) if resolution else None)


def joined_chat(row: sqlite3.Row) -> ChatRecord:
    """The chat half of a LICENSE_WITH_CHAT row."""
    return chat_row(row, prefix="c_")


def conversation_row(row: sqlite3.Row) -> Conversation:
    return Conversation(
        customer_id=row["customer_id"],
        name=row["name"],
        username=row["username"],
        language=row["language"],
        topic_id=row["topic_id"],
        topic_title=row["topic_title"],
        card_message_id=row["card_message_id"],
        closed=bool(row["closed"]),
        banned=bool(row["banned"]),
        blocked=bool(row["blocked"]),
        asked_license=bool(row["asked_license"]),
        waiting_since=row["waiting_since"],
        last_customer_at=row["last_customer_at"],
        last_agent_at=row["last_agent_at"],
        auto_reply_at=row["auto_reply_at"],
    )
