"""The deadline store: SQLite in the user data dir (schema.py: versioned migrations; store.py: reads and
writes; scrub.py: personal data out of stored snapshots; reminders.py: what the stored deadlines mean now).
Importing this package imports sqlite3: the host does it on first use, not at start."""
from aliwatch.store.store import Store, default_path

__all__ = ["Store", "default_path"]
