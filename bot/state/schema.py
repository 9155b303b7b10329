"""The state database's schema: numbered migrations, the same SQL for SQLite and PostgreSQL.

A migration is applied once, in order, inside one transaction that also records its number in
schema_version; a process that finds a newer number than it knows refuses to start (it would
not know the tables). Append a migration, never edit one that has shipped.
"""

from __future__ import annotations

# Times are unix seconds from the writer's clock (DOUBLE PRECISION is REAL in SQLite).
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        # 1: everything that must survive a restart or a second instance.
        """CREATE TABLE answered_events (
            event_id TEXT PRIMARY KEY,          -- Slack's event_id: the first insert answers it
            answered_at DOUBLE PRECISION NOT NULL
        )""",
        """CREATE TABLE share_clicks (
            message_key TEXT PRIMARY KEY,       -- channel and ts of the ephemeral answer shared
            shared_at DOUBLE PRECISION NOT NULL
        )""",
        # IF NOT EXISTS: ledgers written before migrations existed already have this table.
        """CREATE TABLE IF NOT EXISTS digest_posts (
            channel TEXT NOT NULL,
            week TEXT NOT NULL,                 -- ISO week, e.g. 2025-W28
            status TEXT NOT NULL CHECK (status IN ('pending', 'posted', 'failed')),
            claim TEXT NOT NULL,                -- random id of the run that holds or held the claim
            claimed_at DOUBLE PRECISION NOT NULL,
            first_claimed_at DOUBLE PRECISION NOT NULL,
            attempts INTEGER NOT NULL,
            ts TEXT,                            -- Slack's ts of the posted message
            error TEXT,                         -- the last error, e.g. "chat.postMessage: ..."
            updated_at DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (channel, week)
        )""",
        """CREATE TABLE thread_context (
            channel TEXT NOT NULL,
            thread_ts TEXT NOT NULL,
            question TEXT NOT NULL,             -- the thread's last question, as understood
            updated_at DOUBLE PRECISION NOT NULL,
            expires_at DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (channel, thread_ts)
        )""",
        """CREATE TABLE preferences (
            scope TEXT NOT NULL CHECK (scope IN ('user', 'channel')),
            scope_id TEXT NOT NULL,             -- a user or channel ID
            name TEXT NOT NULL,                 -- e.g. "language"
            value TEXT NOT NULL,
            updated_at DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (scope, scope_id, name)
        )""",
        """CREATE TABLE jobs (
            id TEXT PRIMARY KEY,                -- also in the posted message's metadata
            kind TEXT NOT NULL,                 -- "reply", "share"
            payload TEXT NOT NULL,              -- JSON; emptied once the job is over
            status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
            attempts INTEGER NOT NULL,
            unsure INTEGER NOT NULL,            -- 1: an attempt may have reached Slack
            run_after DOUBLE PRECISION NOT NULL,
            lease_until DOUBLE PRECISION NOT NULL,
            owner TEXT,                         -- the runner holding a running job
            result TEXT,                        -- Slack's ts
            error TEXT,
            created_at DOUBLE PRECISION NOT NULL,
            updated_at DOUBLE PRECISION NOT NULL
        )""",
        "CREATE INDEX jobs_due ON jobs (status, run_after)",
    ),
    (
        # 2: digest subscriptions made from Slack, and the App Home each user was last shown.
        """CREATE TABLE digest_subscriptions (
            channel TEXT PRIMARY KEY,           -- a channel gets one digest, whoever subscribed it
            enterprise_id TEXT NOT NULL,        -- '' outside Enterprise Grid
            team_id TEXT NOT NULL,              -- '' when seeded by TRADEFACT_DIGEST_CHANNELS
            org_install INTEGER NOT NULL,       -- 1: the app is installed org-wide
            active INTEGER NOT NULL,            -- 0: unsubscribed (kept so a seed can't revive it)
            weekday INTEGER NOT NULL,           -- 0 = Monday ... 6 = Sunday
            at_minute INTEGER NOT NULL,         -- minutes after midnight, local time
            timezone TEXT NOT NULL,             -- IANA, e.g. America/Mexico_City
            language TEXT NOT NULL CHECK (language IN ('en', 'es')),
            changed_by TEXT NOT NULL,           -- the user ID who last changed it ('' for a seed)
            updated_at DOUBLE PRECISION NOT NULL
        )""",
        "CREATE INDEX digest_subscriptions_team ON digest_subscriptions (enterprise_id, team_id)",
        """CREATE TABLE home_views (
            enterprise_id TEXT NOT NULL,
            team_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            version TEXT NOT NULL,              -- what the published view was built from
            published_at DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (enterprise_id, team_id, user_id)
        )""",
    ),
)
