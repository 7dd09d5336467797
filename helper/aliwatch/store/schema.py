"""The store's tables, as numbered migrations. A migration is appended, never edited: a store made by an
older AliWatch is brought up to date by running the ones it has not seen, each in its own transaction.

Times are ISO 8601 text in UTC with seconds precision ("2026-12-01T00:00:00+00:00"), so text order is time
order and the `at` index serves range queries."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

MIGRATIONS: list[tuple[int, str]] = [
    (1, """
CREATE TABLE orders (
    order_id    TEXT PRIMARY KEY,
    status      TEXT NOT NULL,
    status_text TEXT,
    store       TEXT,
    order_date  TEXT,
    url         TEXT,
    first_seen  TEXT NOT NULL,   -- capture time of the first snapshot that showed the order
    last_seen   TEXT NOT NULL    -- capture time of the newest; an older snapshot never overwrites a newer
) WITHOUT ROWID;                 -- looked up by order_id only: one b-tree search instead of two

-- One row per (order, kind) value ever seen. The valid row has superseded_at NULL; when a newer snapshot
-- states another moment for the same kind, the old row is kept as history with superseded_at set.
CREATE TABLE deadlines (
    id            INTEGER PRIMARY KEY,
    order_id      TEXT NOT NULL REFERENCES orders(order_id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    at            TEXT NOT NULL,
    basis         TEXT NOT NULL,
    text          TEXT NOT NULL,
    first_seen    TEXT NOT NULL,
    last_seen     TEXT NOT NULL,
    superseded_at TEXT
);
CREATE UNIQUE INDEX deadlines_valid ON deadlines(order_id, kind) WHERE superseded_at IS NULL;
-- Covers the "upcoming deadlines" query: a range scan on `at` that never visits the table.
CREATE INDEX deadlines_upcoming ON deadlines(at, order_id, kind, basis, text) WHERE superseded_at IS NULL;

-- A reminder push fired once per deadline and threshold, across every host process.
CREATE TABLE warnings_shown (
    order_id  TEXT NOT NULL REFERENCES orders(order_id) ON DELETE CASCADE,
    code      TEXT NOT NULL,
    threshold TEXT NOT NULL,
    due       TEXT NOT NULL,
    shown_at  TEXT NOT NULL,
    PRIMARY KEY (order_id, code, threshold, due)
) WITHOUT ROWID;

-- Card markup with personal data stripped (store/scrub.py), so `aliwatch reparse` can re-read history.
-- order_id is NULL for a card no parser could read yet: a later parser may.
CREATE TABLE snapshots (
    id          INTEGER PRIMARY KEY,
    order_id    TEXT REFERENCES orders(order_id) ON DELETE CASCADE,
    page        TEXT NOT NULL,
    url         TEXT NOT NULL,
    lang        TEXT,
    tz          TEXT,
    captured_at TEXT NOT NULL,
    digest      TEXT NOT NULL,   -- sha256 of the scrubbed markup: an identical re-send is not stored twice
    html        TEXT NOT NULL
);
CREATE INDEX snapshots_order ON snapshots(order_id, page, captured_at);
CREATE INDEX snapshots_captured ON snapshots(captured_at);
"""),
    (2, """
-- Words the user taught (issue #11, aliwatch/overrides.py): on pages in `lang`, an unknown status whose folded
-- text is `key` reads as `status`. `text` is the wording as the page showed it, for lists and reports.
CREATE TABLE phrase_overrides (
    id         INTEGER PRIMARY KEY,
    lang       TEXT NOT NULL,
    key        TEXT NOT NULL,
    text       TEXT NOT NULL,
    status     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (lang, key)
);
"""),
]

LATEST = MIGRATIONS[-1][0]


class SchemaTooNew(RuntimeError):
    """The file was written by a newer AliWatch; opening it with this one could lose data."""


def version(conn: sqlite3.Connection) -> int:
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").fetchone()
    if not has_table:
        return 0
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return row[0] or 0


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the file to LATEST. Safe when two processes open a new store at once: each step re-reads the
    version inside its write transaction, so only one of them applies it. `conn` is in autocommit mode."""
    seen = version(conn)
    if seen > LATEST:
        raise SchemaTooNew(f"the store has schema {seen}; this AliWatch knows up to {LATEST}")
    if seen == LATEST:  # the common case, without taking the write lock
        return LATEST
    for number, script in MIGRATIONS:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version "
                         "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
            current = version(conn)
            if current > LATEST:
                raise SchemaTooNew(f"the store has schema {current}; this AliWatch knows up to {LATEST}")
            if number > current:
                # executescript() would COMMIT first; run the statements one by one inside the transaction.
                for statement in _statements(script):
                    conn.execute(statement)
                conn.execute("INSERT INTO schema_version VALUES (?, ?)",
                             (number, datetime.now(timezone.utc).replace(microsecond=0).isoformat()))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return LATEST


def _statements(script: str) -> list[str]:
    """Split a migration into statements (no semicolons inside our literals), without `--` comments."""
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
