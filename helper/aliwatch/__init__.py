"""AliWatch helper: reads AliExpress order pages and warns before buyer-protection timers run out."""

__version__ = "0.1.0"

HOST_NAME = "org.aliwatch.helper"
# Pinned Chrome extension ID: sha256 of the public key in extension/manifest.json "key", first 32 hex
# digits mapped 0-f -> a-p. Only the public key is committed.
CHROME_EXTENSION_ID = "hmiamolobmekhkjaajioogijfanncefd"
FIREFOX_EXTENSION_ID = "aliwatch@aliwatch.org"

# bs4 imports soupsieve (CSS selectors) and a charset detector at import time; AliWatch uses neither on its
# paths. Make those imports lazy for every entry point (host, CLI, tests) before any module imports bs4.
from aliwatch.deferred_imports import defer as _defer  # noqa: E402

_defer()
