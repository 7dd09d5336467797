"""The protocol layer: one module per request type (docs/PROTOCOL.md), each with `reply(req_id, msg)` that
validates the request's fields, calls the domain and shapes the reply; a bad field is answered with its name
in the error's `field`. dispatch.py reads the envelope and routes here; parts.py splits long replies."""
from __future__ import annotations

# The request types, in the order `hello` lists them as capabilities (hello first, not listed).
REQUESTS = ("hello", "ping", "snapshot", "deadlines", "draft", "calc", "report", "dashboard", "export", "due",
            "phrase_override")
