"""What the bot knows of each chat's language, in memory, kept true by every write.

Every update asks for its chat's language (the locale middleware, the status board,
reminders); a hop to SQLite's thread for each was a large share of the CPU per update.
The cache is filled by reads and updated by the repository's own writes (the bot is the
only writer of the chats table), and bounded: the least recently used chats drop out.
"""

from __future__ import annotations

from collections import OrderedDict

# (the chat has a row, its language). A missing entry means "not known here: read it".
Known = tuple[bool, str | None]
UNKNOWN_CHAT: Known = (False, None)


class ChatLanguageCache:
    """A bounded LRU map chat id → (row exists, language)."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._entries: OrderedDict[int, Known] = OrderedDict()

    def get(self, chat_id: int) -> Known | None:
        entry = self._entries.get(chat_id)
        if entry is not None:
            self._entries.move_to_end(chat_id)
        return entry

    def put(self, chat_id: int, entry: Known) -> None:
        self._entries[chat_id] = entry
        self._entries.move_to_end(chat_id)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def forget(self, chat_id: int) -> None:
        self._entries.pop(chat_id, None)

    def row_written(self, chat_id: int, offered: str | None) -> None:
        """The chat's row was upserted; `offered` is taken only where the language was NULL
        (a cached entry is then still exact; without one nothing is assumed)."""
        entry = self._entries.get(chat_id)
        if entry is not None:
            self._entries[chat_id] = (True, entry[1] if entry[1] is not None else offered)

    def __len__(self) -> int:
        return len(self._entries)
