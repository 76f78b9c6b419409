"""Whether the support desk is on, and where: filled in once at start-up."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SupportDesk:
    """The forum supergroup the desk lives in. `enabled` is False until the start-up check
    finds SUPPORT_CHAT_ID to be a forum; `off_reason` says why it is off."""

    chat_id: int | None = None
    enabled: bool = False
    off_reason: str = "SUPPORT_CHAT_ID is empty"
    alerts_thread_id: int | None = None
    missing_rights: list[str] = field(default_factory=list)

    def is_forum_chat(self, chat_id: int) -> bool:
        return self.enabled and chat_id == self.chat_id
