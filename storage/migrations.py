"""Schema migrations, applied in order; PRAGMA user_version records how far a file is."""

MIGRATIONS: list[list[str]] = [
    [
        """CREATE TABLE chats (
            chat_id INTEGER PRIMARY KEY,
            type TEXT NOT NULL,
            title TEXT,
            active INTEGER NOT NULL DEFAULT 1,
            status_message_id INTEGER,
            pin_problem_notified INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        """CREATE TABLE licenses (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL
                REFERENCES chats(chat_id) ON UPDATE CASCADE ON DELETE CASCADE,
            license_key TEXT NOT NULL,
            request_id TEXT NOT NULL,
            license_id TEXT,
            status TEXT NOT NULL,
            demo INTEGER NOT NULL DEFAULT 0,
            expires_on TEXT,
            bitrix_license_active INTEGER,
            module_id TEXT,
            module_name TEXT,
            module_version TEXT,
            site TEXT,
            renew_url TEXT,
            checked_at TEXT,
            verified_at TEXT NOT NULL,
            claimed_status TEXT,
            claimed_expires_on TEXT,
            added_by INTEGER,
            created_at TEXT NOT NULL,
            UNIQUE (chat_id, license_key)
        )""",
        "CREATE INDEX licenses_by_request ON licenses(request_id)",
        "CREATE INDEX licenses_by_expiry ON licenses(expires_on, chat_id)",
        """CREATE TABLE pending_checks (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL
                REFERENCES chats(chat_id) ON UPDATE CASCADE ON DELETE CASCADE,
            request_id TEXT NOT NULL,
            claimed_status TEXT NOT NULL,
            claimed_expires_on TEXT,
            reply_to_message_id INTEGER,
            requested_by INTEGER,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at REAL NOT NULL,
            resolution TEXT,
            last_error TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (chat_id, request_id)
        )""",
        "CREATE INDEX pending_by_due ON pending_checks(next_attempt_at)",
        """CREATE TABLE inbox (
            update_id INTEGER PRIMARY KEY,
            payload TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            received_at TEXT NOT NULL
        )""",
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ],
]

MIGRATIONS.append(
    [
        # When the reminder scheduler should look at a license next (epoch seconds);
        # NULL: never (no end date, or the chat is gone).
        "ALTER TABLE licenses ADD COLUMN next_check_at REAL",
        "CREATE INDEX licenses_by_next_check ON licenses(next_check_at)",
        # The local date the pinned status last showed the days left.
        "ALTER TABLE chats ADD COLUMN refreshed_on TEXT",
        "CREATE INDEX chats_by_refresh ON chats(refreshed_on) WHERE status_message_id IS NOT NULL",
        # One row per reminder kind per license term: written before the send, so never twice.
        """CREATE TABLE reminders_sent (
            chat_id INTEGER NOT NULL
                REFERENCES chats(chat_id) ON UPDATE CASCADE ON DELETE CASCADE,
            license_key TEXT NOT NULL,
            term_end TEXT NOT NULL,
            kind TEXT NOT NULL,
            sent_at TEXT NOT NULL,
            PRIMARY KEY (chat_id, license_key, term_end, kind)
        )""",
        "UPDATE licenses SET next_check_at = 0 WHERE expires_on IS NOT NULL",
        "UPDATE chats SET refreshed_on = '' WHERE status_message_id IS NOT NULL",
    ]
)

MIGRATIONS.append(
    [
        # The language messages to the whole chat are written in ('ru' or 'en'); NULL: not
        # chosen yet (a group takes the language of whoever first shares a license there).
        "ALTER TABLE chats ADD COLUMN language TEXT",
    ]
)

MIGRATIONS.append(
    [
        # The support desk: one conversation per customer who writes the bot privately.
        # customer_id is the customer's user id, which is also their private chat id.
        """CREATE TABLE conversations (
            customer_id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            username TEXT,
            language TEXT,
            topic_id INTEGER,
            topic_title TEXT,
            card_message_id INTEGER,
            card_text TEXT,
            closed INTEGER NOT NULL DEFAULT 0,
            banned INTEGER NOT NULL DEFAULT 0,
            waiting_since REAL,
            last_customer_at REAL,
            last_agent_at REAL,
            auto_reply_at REAL,
            asked_license INTEGER NOT NULL DEFAULT 0,
            blocked INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        "CREATE UNIQUE INDEX conversations_by_topic ON conversations(topic_id)"
        " WHERE topic_id IS NOT NULL",
        # What is to be delivered, in order per conversation (by id). Written before the
        # incoming update counts as handled; marked delivered (or given up on) rather than
        # deleted, so that a replayed update finds its dedup_key; pruned after some days.
        """CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            customer_id INTEGER NOT NULL,
            direction TEXT NOT NULL,
            kind TEXT NOT NULL,
            source_chat_id INTEGER,
            source_message_id INTEGER,
            media_group_id TEXT,
            payload TEXT NOT NULL DEFAULT '{}',
            dedup_key TEXT UNIQUE,
            ready_at REAL NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            delivered_at REAL,
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX outbox_by_conversation ON outbox(customer_id, id)"
        " WHERE delivered_at IS NULL",
        "CREATE INDEX outbox_by_delivery ON outbox(delivered_at) WHERE delivered_at IS NOT NULL",
        # A message and its copy on the other side, so edits and replies can follow it.
        """CREATE TABLE message_links (
            customer_id INTEGER NOT NULL,
            customer_message_id INTEGER NOT NULL,
            topic_message_id INTEGER NOT NULL,
            origin TEXT NOT NULL,
            PRIMARY KEY (customer_id, customer_message_id)
        )""",
        "CREATE INDEX links_by_topic_message ON message_links(topic_message_id)",
        # One rating per closing (the forum message that closed the conversation: /close or
        # the «topic closed» service message), so a second press of the buttons is refused.
        """CREATE TABLE ratings (
            id INTEGER PRIMARY KEY,
            customer_id INTEGER NOT NULL,
            closing INTEGER NOT NULL,
            score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
            rated_at TEXT NOT NULL,
            UNIQUE (customer_id, closing)
        )""",
        "CREATE INDEX ratings_by_time ON ratings(rated_at)",
        # The forum message that last closed the conversation: only its buttons may rate.
        "ALTER TABLE conversations ADD COLUMN last_closing INTEGER",
    ]
)
