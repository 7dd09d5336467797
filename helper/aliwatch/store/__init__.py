"""The deadline store: SQLite in the user data dir (schema.py: versioned migrations; store.py: reads and
writes; scrub.py: personal data out of stored snapshots; what the stored deadlines mean now is the core's reminders.py).
Importing this package imports sqlite3: the host does it on first use, not at start."""
from aliwatch.store.store import Store, default_path

__all__ = ["Store", "default_path"]
