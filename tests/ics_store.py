"""A fixed deadline store for the ICS byte-for-byte test: 120 orders with every kind of text an export meets
(Cyrillic, CJK, emoji, escapes, long sentences that fold), deadlines in the past and ahead, and revised
deadlines (SEQUENCE > 0). Deterministic: a fixed seed, no clock."""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)
EXPECTED = Path(__file__).parent / "data" / "ics_store_before.ics"
STORES = ["Lumio Lighting Store", "Магазин «Уютный дом»", "深圳电子旗舰店", "Tienda Niño; ofertas, envíos",
          "Shop \\ back\\slash", "Emoji 😀🚚 Store", None]
TEXTS = ["Buyer protection ends on Dec 1, 2026",
         "Защита покупателя заканчивается через 14 дней; продавец должен ответить, иначе спор решится в вашу пользу",
         "买家保护期将于 2026年12月1日 结束，请及时确认收货或提起纠纷。" * 2,
         "Line one\nline two, with a comma; and a semicolon",
         "Rule: 15 days after completion"]


def record_history(store, orders: int = 120, seed: int = 10) -> None:
    rng = random.Random(seed)
    first, second = [], []
    for i in range(orders):
        placed = NOW - timedelta(days=rng.uniform(-5, 400), minutes=rng.randrange(1440))
        status = rng.choice(["awaiting_shipment", "awaiting_delivery", "completed", "closed"])
        deadlines = [{"kind": "protection_ends", "at": (placed + timedelta(days=60)).isoformat(), "basis": "stated",
                      "text": rng.choice(TEXTS)},
                     {"kind": "delivery_promised", "at": (placed + timedelta(days=25)).isoformat(),
                      "basis": "stated", "text": rng.choice(TEXTS)}]
        if status == "completed":
            deadlines.append({"kind": "dispute_window_ends", "at": (placed + timedelta(days=75)).isoformat(),
                              "basis": "rule", "text": TEXTS[-1]})
        order_id = f"82{i:014d}"
        card = {"order_id": order_id, "status": status, "status_text": status.replace("_", " "),
                "store": rng.choice(STORES), "order_date": placed.date().isoformat(),
                "url": f"https://www.aliexpress.com/p/order/detail.html?orderId={order_id}", "deadlines": deadlines}
        first.append(card)
        if i % 7 == 0:  # a later visit moved its protection date: a revised deadline
            moved = dict(deadlines[0], at=(placed + timedelta(days=75)).isoformat())
            second.append({**card, "deadlines": [moved, *deadlines[1:]]})
    store.record({"cards": []}, {"now": (NOW - timedelta(days=2)).isoformat(), "cards": first})
    store.record({"cards": []}, {"now": (NOW - timedelta(days=1)).isoformat(), "cards": second})
