"""The one storage object handlers receive: every read and write, one transaction each."""

from __future__ import annotations

from storage.chats import ChatStore
from storage.db import Database
from storage.desk_admin import DeskAdminStore
from storage.inbox import InboxStore
from storage.licenses import LicenseStore
from storage.pending import PendingStore
from storage.reminders import ReminderStore


class Repository(ChatStore, LicenseStore, PendingStore, InboxStore, ReminderStore, DeskAdminStore):
    """Chats, verified licenses, pending checks and the update inbox on disk."""

    def __init__(self, db: Database) -> None:
        self.db = db
