"""The deadline store: one SQLite file that every AliWatch process shares (a host per browser, the CLI,
the dashboard).

Concurrency: WAL mode (readers never block the writer), every write is one short BEGIN IMMEDIATE
transaction (the write lock is taken up front, so two writers queue instead of deadlocking on a lock
upgrade), busy_timeout makes a writer wait for the other, and a write that still meets SQLITE_BUSY is
retried. synchronous=FULL: a transaction that returned is on disk, even if the process is killed next."""
from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Iterable, TypeVar

from aliwatch.ids import is_order_id
from aliwatch.store import schema

log = logging.getLogger("aliwatch.store")
T = TypeVar("T")

BUSY_TIMEOUT_MS = 5000
WRITE_ATTEMPTS = 4
# A countdown is re-counted from each capture time, so the same deadline comes back a few seconds apart.
COUNTDOWN_SLACK = timedelta(minutes=15)
KEEP_SNAPSHOTS = 5  # per order and page kind: enough to re-read the current state after a parser upgrade
KEEP_UNREAD = 200  # cards no parser could read yet


def default_path() -> Path:
    """ALIWATCH_DB, else aliwatch.db in the user data dir ($XDG_DATA_HOME/aliwatch on Linux)."""
    override = os.environ.get("ALIWATCH_DB")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("aliwatch", appauthor=False)) / "aliwatch.db"


def iso(moment: datetime | str) -> str:
    """The stored spelling of a moment: UTC, seconds precision, so text order is time order."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"{moment!r} has no UTC offset")
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


@dataclass
class Recorded:
    """What one snapshot changed, for logs and tests."""

    orders: int = 0
    new_deadlines: list[tuple[str, str, str]] = field(default_factory=list)  # (order_id, kind, at)
    superseded: int = 0


@dataclass
class StoredSnapshot:
    id: int
    order_id: str | None
    page: str
    url: str
    lang: str | None
    tz: str | None
    captured_at: str
    html: str


class Store:
    """One connection to the store file. Safe to share between threads (calls are serialised)."""

    def __init__(self, path: str | os.PathLike | None = None, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = Path(path) if path is not None else default_path()
        self._lock = threading.RLock()
        self._create_private(self.path)
        self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                    timeout=busy_timeout_ms / 1000)
        try:
            self.conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            self._retry(lambda: self.conn.execute("PRAGMA journal_mode = WAL").fetchone())
            self.conn.execute("PRAGMA synchronous = FULL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            # Deleted rows are overwritten with zeros, so `forget` leaves nothing in free pages or the WAL.
            self.conn.execute("PRAGMA secure_delete = ON")
            self._retry(lambda: schema.migrate(self.conn))
        except BaseException:
            self.conn.close()
            raise

    @staticmethod
    def _create_private(path: Path) -> None:
        # The store holds the buyer's orders: only the user may read it. SQLite gives the -wal and -shm files
        # the permissions of the main file.
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            pass

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions ---------------------------------------------------------------------------------

    def _retry(self, fn: Callable[[], T]) -> T:
        for attempt in range(WRITE_ATTEMPTS):
            try:
                return fn()
            except sqlite3.OperationalError as e:
                if not _is_busy(e) or attempt == WRITE_ATTEMPTS - 1:
                    raise
                log.warning("store busy (%s), retrying", e)
                time.sleep(0.05 * 2 ** attempt)
        raise AssertionError("unreachable")

    def write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run fn in one BEGIN IMMEDIATE transaction; retried whole if another process holds the lock."""
        def attempt() -> T:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                result = fn(self.conn)
                self.conn.execute("COMMIT")
                return result
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

        with self._lock:
            return self._retry(attempt)

    def read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run fn in one read transaction: a consistent view even while another process writes."""
        def attempt() -> T:
            self.conn.execute("BEGIN")
            try:
                return fn(self.conn)
            finally:
                self.conn.execute("COMMIT")

        with self._lock:
            return self._retry(attempt)

    def data_version(self) -> int:
        """Changes whenever another connection commits (the dashboard polls it)."""
        with self._lock:
            return self.conn.execute("PRAGMA data_version").fetchone()[0]

    # --- recording snapshots ----------------------------------------------------------------------------

    def record(self, snapshot: dict, result: dict) -> Recorded:
        """Store the orders and deadlines of one analysed snapshot (`result` is analysis.analyze_snapshot's
        value). Returns only once the transaction is committed. The cards' markup is kept separately
        (keep_snapshots): it is for reparse, and scrubbing it should not delay the host's reply."""
        captured = iso(result["now"])
        cards = [c for c in result.get("cards") or [] if is_order_id(c.get("order_id"))]  # ASCII digits only

        def apply(conn: sqlite3.Connection) -> Recorded:
            out = Recorded()
            for card in cards:
                _apply_card(conn, card, captured, out)
            return out

        return self.write(apply)

    def keep_snapshots(self, snapshot: dict, result: dict) -> int:
        """Store each card's markup, personal data stripped (scrub.py), for `aliwatch reparse`. Identical
        re-sends are stored once; only the newest KEEP_SNAPSHOTS per order and page kind are kept."""
        import hashlib  # here, not at the top: OpenSSL's start-up is not worth paying before the first reply

        from aliwatch.analysis import MAX_CARD_CHARS
        from aliwatch.store.scrub import scrub

        captured = iso(result["now"])
        markup = {c.get("key"): c.get("html") for c in snapshot.get("cards") or [] if isinstance(c, dict)}
        # No time zone: it says where the user lives, and a reparse on this machine reads the local one.
        meta = {"page": result.get("page") or "unknown", "url": str(snapshot.get("url") or ""),
                "lang": snapshot.get("lang") or None, "tz": None}
        cards = []
        for card in result.get("cards") or []:  # scrubbed before the write lock is taken
            html = markup.get(card.get("key"))
            if isinstance(html, str) and len(html) <= MAX_CARD_CHARS:  # bigger cards are not read either
                clean = scrub(html)
                digest = hashlib.sha256(f"{meta['page']}\n{meta['url']}\n{clean}".encode()).hexdigest()
                cards.append((card["order_id"] if is_order_id(card.get("order_id")) else None, clean, digest))

        def apply(conn: sqlite3.Connection) -> int:
            kept = 0
            for order_id, clean, digest in cards:
                if order_id and not conn.execute("SELECT 1 FROM orders WHERE order_id = ?", (order_id,)).fetchone():
                    continue  # forgotten between record() and now: keep nothing of it
                kept += _keep_snapshot(conn, order_id, meta, captured, clean, digest)
            return kept

        return self.write(apply)

    # --- queries ----------------------------------------------------------------------------------------

    def deadlines(self, now: datetime, *, include_past: bool = False) -> list[dict]:
        """Valid deadlines soonest first (only those at or after `now` unless include_past), each with its
        order's fields. One range scan of the covering index on `at`, one primary-key lookup per row."""
        return self._deadlines("d.at >= :start", {"start": "" if include_past else iso(now)})

    def deadlines_between(self, start: datetime, end: datetime) -> list[dict]:
        """Valid deadlines with start <= at <= end (the reminder check's window), like deadlines()."""
        return self._deadlines("d.at BETWEEN :start AND :end", {"start": iso(start), "end": iso(end)})

    def _deadlines(self, where: str, args: dict) -> list[dict]:
        sql = f"""SELECT d.order_id, d.kind, d.at, d.basis, d.text, o.status, o.status_text, o.store, o.url
                  FROM deadlines d INDEXED BY deadlines_upcoming JOIN orders o ON o.order_id = d.order_id
                  WHERE d.superseded_at IS NULL AND {where}
                  ORDER BY d.at, d.order_id, d.kind"""
        return self.read(lambda c: [dict(zip(_COLUMNS, row)) for row in c.execute(sql, args)])

    def orders(self) -> list[dict]:
        """Every order with its valid deadlines (soonest first), newest order first: what `export` writes."""
        def q(c: sqlite3.Connection) -> list[dict]:
            orders = [dict(zip(("order_id", "status", "status_text", "store", "order_date", "url", "first_seen",
                                "last_seen"), row))
                      for row in c.execute("SELECT order_id, status, status_text, store, order_date, url, first_seen,"
                                           " last_seen FROM orders ORDER BY last_seen DESC, order_id")]
            by_id = {o["order_id"]: o for o in orders}
            for o in orders:
                o["deadlines"] = []
            # A deadline's revision counts the rows it superseded (one valid row per order and kind): only the
            # superseded rows are grouped, and most deadlines never changed.
            revisions = {(order_id, kind): n for order_id, kind, n in c.execute(
                "SELECT order_id, kind, count(*) FROM deadlines WHERE superseded_at IS NOT NULL"
                " GROUP BY order_id, kind")}
            for row in c.execute("SELECT order_id, kind, at, basis, text, first_seen, last_seen FROM deadlines "
                                 "WHERE superseded_at IS NULL ORDER BY at, kind"):
                d = dict(zip(("order_id", "kind", "at", "basis", "text", "first_seen", "last_seen"), row))
                d["revision"] = revisions.get((d["order_id"], d["kind"]), 0)
                by_id[d.pop("order_id")]["deadlines"].append(d)
            return orders

        return self.read(q)

    def order_ids(self) -> set[str]:
        """Every stored order id: the host tells the extension to drop what it keeps about any other."""
        return self.read(lambda c: {row[0] for row in c.execute("SELECT order_id FROM orders")})

    def counts(self) -> dict[str, int]:
        def q(c: sqlite3.Connection) -> dict[str, int]:
            return {t: c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                    for t in ("orders", "deadlines", "warnings_shown", "snapshots")}
        return self.read(q)

    # --- taught words (phrase overrides) -----------------------------------------------------------------

    def set_override(self, lang: str, key: str, text: str, status: str, now: datetime) -> dict:
        """Teach (lang, key) → status; teaching the same text again replaces its status. Checked by the
        caller (overrides.check). Returns the stored row."""
        def apply(conn: sqlite3.Connection) -> dict:
            conn.execute("INSERT INTO phrase_overrides (lang, key, text, status, created_at) VALUES (?, ?, ?, ?, ?)"
                         " ON CONFLICT (lang, key) DO UPDATE SET text = excluded.text, status = excluded.status,"
                         " created_at = excluded.created_at", (lang, key, text, status, iso(now)))
            row = conn.execute(f"SELECT {_OVERRIDE_SQL} FROM phrase_overrides WHERE lang = ? AND key = ?",
                               (lang, key)).fetchone()
            return dict(zip(_OVERRIDE_COLUMNS, row))

        return self.write(apply)

    def overrides(self) -> list[dict]:
        """Every taught word, by language then text."""
        sql = f"SELECT {_OVERRIDE_SQL} FROM phrase_overrides ORDER BY lang, key"
        return self.read(lambda c: [dict(zip(_OVERRIDE_COLUMNS, row)) for row in c.execute(sql)])

    def override_map(self) -> dict[tuple[str, str], str]:
        """{(lang, key): status}: what the analysis is given."""
        return self.read(lambda c: {(lang, key): status for lang, key, status in
                                    c.execute("SELECT lang, key, status FROM phrase_overrides")})

    def remove_override(self, *, override_id: int | None = None, lang: str | None = None,
                        key: str | None = None) -> int:
        """Delete one taught word, by id or by (lang, key). Returns the rows deleted (0 or 1)."""
        if override_id is not None:
            sql, args = "DELETE FROM phrase_overrides WHERE id = ?", (override_id,)
        else:
            sql, args = "DELETE FROM phrase_overrides WHERE lang = ? AND key = ?", (lang, key)
        return self.write(lambda c: c.execute(sql, args).rowcount)

    # --- reminders --------------------------------------------------------------------------------------

    def claim_warnings(self, claims: Iterable[tuple[str, str, str, str]], now: datetime) -> set[tuple]:
        """Mark (order_id, code, threshold, due) as shown; returns those this call marked first. The claim
        is one transaction, so when two hosts check at once each reminder goes to exactly one of them."""
        claims = list(claims)
        if not claims:
            return set()
        stamp = iso(now)

        def apply(conn: sqlite3.Connection) -> set[tuple]:
            won = set()
            for claim in claims:
                cur = conn.execute("INSERT OR IGNORE INTO warnings_shown (order_id, code, threshold, due, shown_at)"
                                   " SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM orders WHERE order_id = ?)",
                                   (*claim, stamp, claim[0]))
                if cur.rowcount == 1:
                    won.add(tuple(claim))
            return won

        return self.write(apply)

    def shown(self, order_id: str | None = None) -> set[tuple[str, str, str, str]]:
        sql = "SELECT order_id, code, threshold, due FROM warnings_shown"
        args: tuple = ()
        if order_id is not None:
            sql, args = sql + " WHERE order_id = ?", (order_id,)
        return set(self.read(lambda c: c.execute(sql, args).fetchall()))

    # --- forgetting -------------------------------------------------------------------------------------

    def forget(self, order_id: str) -> int:
        """Delete one order and everything about it (deadlines, reminders, snapshots). Returns the rows
        deleted; call compact() afterwards so nothing is left in the file."""
        def apply(conn: sqlite3.Connection) -> int:
            n = 0
            for table in ("warnings_shown", "snapshots", "deadlines", "orders"):
                n += conn.execute(f"DELETE FROM {table} WHERE order_id = ?", (order_id,)).rowcount
            return n

        return self.write(apply)

    def forget_all(self) -> int:
        def apply(conn: sqlite3.Connection) -> int:
            return sum(conn.execute(f"DELETE FROM {table}").rowcount
                       for table in ("warnings_shown", "snapshots", "deadlines", "orders"))

        return self.write(apply)

    def compact(self) -> bool:
        """Rebuild the file without free pages and empty the WAL, so deleted data is gone from disk.
        Returns False when another process kept the WAL in use (it is emptied at its next checkpoint)."""
        with self._lock:
            self._retry(lambda: self.conn.execute("VACUUM"))
            for attempt in range(20):
                busy, _, _ = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                if not busy:
                    return True
                time.sleep(0.05)
            return False

    # --- reparse ----------------------------------------------------------------------------------------

    def snapshots(self, after_id: int = 0) -> list[StoredSnapshot]:
        """Stored card snapshots, oldest capture first."""
        sql = ("SELECT id, order_id, page, url, lang, tz, captured_at, html FROM snapshots WHERE id > ? "
               "ORDER BY captured_at, id")
        return [StoredSnapshot(*row) for row in self.read(lambda c: c.execute(sql, (after_id,)).fetchall())]

    def max_snapshot_id(self) -> int:
        return self.read(lambda c: c.execute("SELECT coalesce(max(id), 0) FROM snapshots").fetchone()[0])

    def rebuild(self, results: list[tuple[StoredSnapshot, dict]], expected_max_id: int) -> Recorded | None:
        """Replace the deadlines of every re-read order with what the current parser finds in its stored
        snapshots (oldest first, so the newest wins). Returns None, changing nothing, if snapshots were
        added since they were read (the caller reads again)."""
        def apply(conn: sqlite3.Connection) -> Recorded | None:
            if conn.execute("SELECT coalesce(max(id), 0) FROM snapshots").fetchone()[0] != expected_max_id:
                return None
            out = Recorded()
            # Only orders the current parser read again: a card it can no longer read keeps its old deadlines.
            order_ids = {card.get("order_id") for snap, card in results} - {None}
            for order_id in order_ids:
                conn.execute("DELETE FROM deadlines WHERE order_id = ?", (order_id,))
            for snap, card in results:
                order_id = card.get("order_id") or None
                if order_id:
                    _apply_card(conn, card, snap.captured_at, out, replay=True)
                    if order_id != snap.order_id:
                        conn.execute("UPDATE snapshots SET order_id = ? WHERE id = ?", (order_id, snap.id))
            return out

        return self.write(apply)


# --- the write path (inside a transaction) -------------------------------------------------------------

def _apply_card(conn: sqlite3.Connection, card: dict, captured: str, out: Recorded, replay: bool = False) -> None:
    """Merge one analysed card into orders/deadlines. A newer capture updates the order; a deadline the card
    does not mention is kept (a list page states none); a changed one supersedes the old row."""
    order_id = card["order_id"]
    status = card.get("status") or "unknown"
    row = conn.execute("SELECT last_seen FROM orders WHERE order_id = ?", (order_id,)).fetchone()
    if row is None:
        conn.execute("INSERT INTO orders (order_id, status, status_text, store, order_date, url, first_seen,"
                     " last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (order_id, status, card.get("status_text"), card.get("store"), card.get("order_date"),
                      card.get("url"), captured, captured))
    elif captured >= row[0] or replay:
        # "unknown" says nothing new about a status we knew: keep the known one (and never guess).
        conn.execute("""UPDATE orders SET
                status      = CASE WHEN :status = 'unknown' THEN status ELSE :status END,
                status_text = CASE WHEN :status = 'unknown' THEN status_text ELSE :status_text END,
                store       = coalesce(:store, store),
                order_date  = coalesce(:order_date, order_date),
                url         = coalesce(:url, url),
                first_seen  = min(first_seen, :captured),
                last_seen   = max(last_seen, :captured)
            WHERE order_id = :order_id""",
                     {"status": status, "status_text": card.get("status_text"), "store": card.get("store"),
                      "order_date": card.get("order_date"), "url": card.get("url"), "captured": captured,
                      "order_id": order_id})
    else:  # an older capture arriving late (two browsers): it only widens first_seen
        conn.execute("UPDATE orders SET first_seen = min(first_seen, ?) WHERE order_id = ?", (captured, order_id))
    out.orders += 1
    for d in card.get("deadlines") or []:
        _merge_deadline(conn, order_id, d, captured, out, replay)


def _merge_deadline(conn: sqlite3.Connection, order_id: str, d: dict, captured: str, out: Recorded,
                    replay: bool) -> None:
    at = iso(d["at"])
    cur = conn.execute("SELECT id, at, basis, last_seen FROM deadlines "
                       "WHERE order_id = ? AND kind = ? AND superseded_at IS NULL", (order_id, d["kind"])).fetchone()
    if cur is not None and _same_moment(cur[1], cur[2], at, d["basis"]):
        conn.execute("UPDATE deadlines SET first_seen = min(first_seen, ?), last_seen = max(last_seen, ?) "
                     "WHERE id = ?", (captured, captured, cur[0]))
        return
    if cur is not None:
        if captured < cur[3] and not replay:
            return  # a late, older capture does not undo what a newer page said
        conn.execute("UPDATE deadlines SET superseded_at = ? WHERE id = ?", (captured, cur[0]))
        out.superseded += 1
    conn.execute("INSERT INTO deadlines (order_id, kind, at, basis, text, first_seen, last_seen) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)", (order_id, d["kind"], at, d["basis"], d["text"], captured, captured))
    out.new_deadlines.append((order_id, d["kind"], at))


def _same_moment(old_at: str, old_basis: str, new_at: str, new_basis: str) -> bool:
    if old_at == new_at:
        return True
    if "countdown" in (old_basis, new_basis):
        return abs(parse_iso(old_at) - parse_iso(new_at)) <= COUNTDOWN_SLACK
    return False


def _keep_snapshot(conn: sqlite3.Connection, order_id: str | None, meta: dict, captured: str, html: str,
                   digest: str) -> int:
    same = conn.execute("SELECT id FROM snapshots WHERE order_id IS ? AND digest = ?", (order_id, digest)).fetchone()
    if same is not None:
        conn.execute("UPDATE snapshots SET captured_at = max(captured_at, ?) WHERE id = ?", (captured, same[0]))
        return 0
    conn.execute("INSERT INTO snapshots (order_id, page, url, lang, tz, captured_at, digest, html) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 (order_id, meta["page"], meta["url"], meta["lang"], meta["tz"], captured, digest, html))
    if order_id is None:
        conn.execute("DELETE FROM snapshots WHERE order_id IS NULL AND id NOT IN "
                     "(SELECT id FROM snapshots WHERE order_id IS NULL ORDER BY captured_at DESC, id DESC LIMIT ?)",
                     (KEEP_UNREAD,))
    else:
        conn.execute("DELETE FROM snapshots WHERE order_id = ? AND page = ? AND id NOT IN "
                     "(SELECT id FROM snapshots WHERE order_id = ? AND page = ? ORDER BY captured_at DESC, id DESC "
                     "LIMIT ?)", (order_id, meta["page"], order_id, meta["page"], KEEP_SNAPSHOTS))
    return 1


# --- reading -------------------------------------------------------------------------------------------

_OVERRIDE_COLUMNS = ("id", "lang", "key", "text", "status", "created_at")
_OVERRIDE_SQL = ", ".join(_OVERRIDE_COLUMNS)
_COLUMNS = ("order_id", "kind", "at", "basis", "text", "status", "status_text", "store", "url")
