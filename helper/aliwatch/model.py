"""What the parser reads off a card, before any rule or advice is applied."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Deadline:
    kind: str  # contract §4
    at: datetime  # aware
    basis: str  # stated | countdown | rule
    text: str  # the page sentence, or the rule's name

    def to_json(self) -> dict:
        return {"kind": self.kind, "at": self.at.isoformat(), "basis": self.basis, "text": self.text}


@dataclass
class Problem:
    code: str
    text: str

    def to_json(self) -> dict:
        return {"code": self.code, "text": self.text}


@dataclass
class Window:
    """"within N days after <event>": a deadline once the event's date is known."""

    kind: str
    days: int
    anchor: str
    text: str


@dataclass
class OrderFacts:
    key: str | None = None  # the extension's card key, when the page is a snapshot
    order_id: str | None = None
    status: str = "unknown"
    status_text: str = ""
    stage: str | None = None  # dispute pages: seller_to_respond | seller_responded | buyer_to_return | refund_granted
    order_date: datetime | None = None
    store: str | None = None
    items: list[dict] = field(default_factory=list)
    total: dict | None = None
    requested: dict | None = None  # dispute pages: the refund amount asked for
    events: dict[str, datetime] = field(default_factory=dict)
    deadlines: list[Deadline] = field(default_factory=list)  # stated on the page or counted down
    windows: list[Window] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    url: str | None = None  # the order's own page, for reminders and the panel


@dataclass
class Context:
    """Everything a parser may depend on besides the markup: pure functions of (page, context)."""

    url: str | None
    now: datetime
    tz: str | None
    lang: str  # resolved phrase-table language
    lang_known: bool = True


class FieldError(ValueError):
    """Input a feature cannot use, naming the field at fault (`percent`, `cards[2].key`; None: the input as a
    whole). The CLI prints it; the host's handler turns it into a protocol code and the error's `field`."""

    def __init__(self, field: str | None, message: str):
        super().__init__(message)
        self.field = field
        self.message = message
