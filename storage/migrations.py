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
