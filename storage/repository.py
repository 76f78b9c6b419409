"""The one storage object handlers receive: every read and write, one transaction each."""

from __future__ import annotations

from storage.chat_cache import ChatLanguageCache
from storage.chat_status import ChatStatusStore
from storage.chats import ChatStore
from storage.conversations import ConversationStore
from storage.db import Database
from storage.desk_admin import DeskAdminStore
from storage.inbox import InboxStore
from storage.licenses import LicenseStore
from storage.links import LinkStore
from storage.outbox import OutboxStore
from storage.pending import PendingStore
from storage.reminders import ReminderStore


class Repository(
    ChatStore,
    ChatStatusStore,
    LicenseStore,
    PendingStore,
    InboxStore,
    ReminderStore,
    ConversationStore,  # the support desk
    OutboxStore,
    LinkStore,
    DeskAdminStore,
):
    """Chats, verified licenses, pending checks and the update inbox on disk."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.chat_cache = ChatLanguageCache()
