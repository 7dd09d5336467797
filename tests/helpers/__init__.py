"""Test helpers shared by the Python and the browser tests (not tests themselves)."""
