"""Warnings (contract §5): when each fires, its severity, and its words: title, detail and the action to
take now, in the UI language, with the escalation ladder where the money is late or protection is over."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from aliwatch import advice, catalog, draft
from aliwatch.analysis import analyze_html, analyze_snapshot
from aliwatch.host.dispatch import handle
from aliwatch.model import Deadline, OrderFacts
from helpers.fixtures import FIXTURES, fixture_cases, load_case

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)
LADDER = ["bank_statement", "customer_service", "paypal_claim", "chargeback"]
EN_MONTHS = r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b"


def warn(status: str, *deadlines: tuple[str, timedelta], stage: str | None = None, lang: str = "en",
         tz=None) -> dict[str, dict]:
    facts = OrderFacts(order_id="8213004417736925", status=status, stage=stage)
    found = [Deadline(kind, NOW + delta, "stated", "page text") for kind, delta in deadlines]
    return {w["code"]: w for w in advice.warnings(facts, found, NOW, lang, tz)}


# --- when each code fires -------------------------------------------------------------------------------

@pytest.mark.parametrize(("status", "deadlines", "present", "absent"), [
    ("awaiting_delivery", [], {"dont_confirm_yet"}, {"protection_ending", "dont_close_dispute"}),
    ("delivered", [], {"dont_confirm_yet"}, {"late_delivery_compensation"}),
    ("awaiting_delivery", [("protection_ends", timedelta(days=14))], {"protection_ending"}, set()),
    ("awaiting_delivery", [("protection_ends", timedelta(days=15))], set(), {"protection_ending"}),
    ("completed", [("protection_ends", timedelta(days=3))], set(), {"protection_ending", "dont_confirm_yet"}),
    ("completed", [("dispute_window_ends", timedelta(days=9))], {"dispute_window_closing"}, set()),
    ("completed", [("dispute_window_ends", -timedelta(hours=1))], set(), {"dispute_window_closing"}),
    ("in_dispute", [("seller_response_due", timedelta(days=2))], {"seller_deadline", "dont_close_dispute"},
     {"seller_deadline_missed"}),
    ("in_dispute", [("seller_response_due", -timedelta(days=1))], {"seller_deadline_missed"}, {"seller_deadline"}),
    ("in_dispute", [("return_ship_by", timedelta(days=9))], {"return_ship_by", "dont_close_dispute"}, set()),
    ("refunded", [("refund_expected_by", -timedelta(days=1))], {"refund_overdue"}, {"dont_close_dispute"}),
    ("refunded", [("refund_expected_by", timedelta(days=1))], set(), {"refund_overdue"}),
    ("awaiting_payment", [("payment_due", timedelta(hours=20))], {"payment_due"}, set()),
    ("awaiting_shipment", [("ship_by", -timedelta(days=1))], {"seller_late_shipping"}, set()),
    ("awaiting_shipment", [("ship_by", timedelta(days=1))], set(), {"seller_late_shipping"}),
    ("awaiting_delivery", [("delivery_promised", -timedelta(days=2))], {"late_delivery_compensation"}, set()),
    ("completed", [("delivery_promised", -timedelta(days=2))], set(), {"late_delivery_compensation"}),
    ("unknown", [], {"unrecognized"}, {"dont_confirm_yet"}),
])
def test_when_each_code_fires(status, deadlines, present, absent) -> None:
    codes = set(warn(status, *deadlines))
    assert present <= codes, codes
    assert not absent & codes, codes


def test_every_code_of_the_contract_has_a_rule() -> None:
    assert {code for code, _, _ in advice.RULES} == {
        "dont_confirm_yet", "protection_ending", "dispute_window_closing", "seller_deadline",
        "seller_deadline_missed", "dont_close_dispute", "return_ship_by", "refund_overdue", "payment_due",
        "seller_late_shipping", "late_delivery_compensation", "unrecognized"}


@pytest.mark.parametrize(("left", "expected"), [
    (timedelta(days=12), "info"), (timedelta(days=7, minutes=1), "info"), (timedelta(days=7), "warning"),
    (timedelta(hours=49), "warning"), (timedelta(hours=48), "urgent"), (timedelta(minutes=5), "urgent"),
    (-timedelta(minutes=1), "expired"),
])
def test_severity_thresholds(left: timedelta, expected: str) -> None:
    w = warn("awaiting_delivery", ("protection_ends", left))["protection_ending"]
    assert w["severity"] == expected
    assert w["due"] == (NOW + left).isoformat()


def test_most_severe_first() -> None:
    ws = advice.warnings(OrderFacts(order_id="1", status="awaiting_delivery"), [
        Deadline("protection_ends", NOW + timedelta(days=5), "stated", ""),
        Deadline("delivery_promised", NOW - timedelta(days=3), "stated", "")], NOW)
    assert [w["severity"] for w in ws] == ["expired", "warning", "warning"]
    assert [w["code"] for w in ws][:2] == ["late_delivery_compensation", "protection_ending"]


# --- words ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "ru", "es", "pt", "fr"])
def test_every_warning_has_title_detail_and_action_filled_in(lang: str) -> None:
    cases = [
        ("awaiting_delivery", [("protection_ends", timedelta(days=3)), ("delivery_promised", -timedelta(days=2))]),
        ("awaiting_delivery", [("protection_ends", -timedelta(days=2))]),
        ("completed", [("dispute_window_ends", timedelta(days=9))]),
        ("completed", [("dispute_window_ends", timedelta(hours=30))]),
        ("in_dispute", [("seller_response_due", timedelta(days=2)), ("return_ship_by", -timedelta(days=1))]),
        ("in_dispute", [("seller_response_due", -timedelta(days=2)), ("return_ship_by", timedelta(days=6))]),
        ("refunded", [("refund_expected_by", -timedelta(days=4))]),
        ("awaiting_payment", [("payment_due", timedelta(hours=5))]),
        ("awaiting_payment", [("payment_due", -timedelta(hours=5))]),
        ("awaiting_shipment", [("ship_by", -timedelta(days=1))]),
        ("unknown", []),
    ]
    seen = set()
    for status, deadlines in cases:
        for code, w in warn(status, *deadlines, lang=lang).items():
            seen.add(code)
            for field in ("title", "detail", "action"):
                assert w[field] and not re.search(r"[{}]", w[field]), (lang, code, field, w[field])
            assert ".." not in w["detail"] + w["action"], (lang, code)
            if lang != "en":
                assert not re.search(EN_MONTHS, w["detail"] + w["action"]), (lang, code, w["detail"])
    assert seen == {code for code, _, _ in advice.RULES}


def test_titles_count_down_in_words() -> None:
    assert warn("awaiting_delivery", ("protection_ends", timedelta(days=4, hours=3)))["protection_ending"]["title"] \
        == "Protection ends in 4 days"
    assert warn("awaiting_delivery", ("protection_ends", -timedelta(hours=5)),
                lang="ru")["protection_ending"]["title"] == "Защита закончилась 5 часов назад"
    assert warn("completed", ("dispute_window_ends", timedelta(days=3, hours=1)),
                lang="ru")["dispute_window_closing"]["title"] == "Осталось 3 дня, чтобы открыть спор"
    assert warn("completed", ("dispute_window_ends", timedelta(hours=30)))["dispute_window_closing"]["title"] \
        == "Dispute window closes in 1 day"
    assert warn("in_dispute", ("seller_response_due", timedelta(minutes=90)),
                lang="fr")["seller_deadline"]["title"] == "Délai du vendeur : dans 1 heure"
    assert warn("awaiting_payment", ("payment_due", timedelta(days=2, hours=1)),
                lang="pt")["payment_due"]["title"] == "Pague em 2 dias"


def test_dates_in_details_follow_the_ui_language_and_zone() -> None:
    # Dec 1, 2026 00:30 UTC is still Nov 30 in New York.
    due = datetime(2026, 12, 1, 0, 30, tzinfo=timezone.utc) - NOW
    expect = {"en": "Dec 1, 2026", "ru": "1 декабря 2026", "es": "1 de diciembre de 2026",
              "pt": "1 de dezembro de 2026", "fr": "1er décembre 2026"}
    for lang, text in expect.items():
        w = warn("awaiting_delivery", ("protection_ends", due), lang=lang)["protection_ending"]
        assert text in w["detail"], (lang, w["detail"])
        assert text in w["action"], (lang, w["action"])
    ny = warn("awaiting_delivery", ("protection_ends", due), lang="es", tz=ZoneInfo("America/New_York"))
    assert "30 de noviembre de 2026" in ny["protection_ending"]["detail"]


def test_a_passed_deadline_changes_the_advice_not_only_the_tense() -> None:
    ahead = warn("awaiting_delivery", ("protection_ends", timedelta(days=3)))["protection_ending"]
    gone = warn("awaiting_delivery", ("protection_ends", -timedelta(days=3)))["protection_ending"]
    assert "extend" in ahead["action"] and "extend" not in gone["action"]
    assert "ended on" in gone["detail"] and "open a dispute now" in gone["detail"]
    late = warn("in_dispute", ("return_ship_by", -timedelta(hours=2)))["return_ship_by"]
    assert late["severity"] == "expired" and late["title"].startswith("Return deadline passed")
    assert "tracking number" in late["action"]


# --- the escalation ladder --------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "ru", "es", "pt", "fr"])
def test_refund_overdue_carries_the_four_step_ladder(lang: str) -> None:
    w = warn("refunded", ("refund_expected_by", -timedelta(days=2)), lang=lang)["refund_overdue"]
    assert [s["id"] for s in w["escalation"]] == LADDER
    assert [s["step"] for s in w["escalation"]] == [1, 2, 3, 4]
    texts = catalog.load(lang)["escalation"]
    assert [s["text"] for s in w["escalation"]] == [t["text"] for t in texts]
    assert "180" in w["escalation"][2]["text"] and "PayPal" in w["escalation"][2]["text"]


def test_ladder_when_protection_has_ended_and_not_before() -> None:
    ended = warn("awaiting_delivery", ("protection_ends", -timedelta(hours=1)))["protection_ending"]
    assert [s["id"] for s in ended["escalation"]] == LADDER
    ending = warn("awaiting_delivery", ("protection_ends", timedelta(hours=1)))["protection_ending"]
    assert "escalation" not in ending
    others = warn("in_dispute", ("seller_response_due", -timedelta(days=1)))
    assert not any("escalation" in w for w in others.values())


# --- through the analysis -------------------------------------------------------------------------------

def snapshot(case: str, ui_lang: str | None) -> dict:
    from bs4 import BeautifulSoup

    html, truth = load_case(case)
    soup = BeautifulSoup(html, "lxml")
    cards = [{"key": f"aw{i}", "html": str(el)} for i, el in enumerate(soup.select("div.order-item"))]
    snap = {"url": truth["url"], "lang": truth["lang"], "tz": truth["tz"], "captured_at": truth["now"],
            "cards": cards}
    if ui_lang:
        snap["ui_lang"] = ui_lang
    return snap


def test_snapshot_with_ui_lang_ru_has_russian_titles_and_drafts() -> None:
    result = analyze_snapshot(snapshot("list_en_mixed", "ru"))
    ru = catalog.load("ru")["warnings"]
    titles = [(w["code"], w["title"]) for c in result["cards"] for w in c["warnings"]]
    assert titles, "the list has warnings to show"
    for code, title in titles:
        assert title == ru[code]["title"] or re.search("[а-яё]", title), (code, title)
    dont = next(w for c in result["cards"] for w in c["warnings"] if w["code"] == "dont_confirm_yet")
    assert (dont["title"], dont["action"]) == (ru["dont_confirm_yet"]["title"], ru["dont_confirm_yet"]["action"])
    # The reply names each card's draft problem; the panel asks for the draft itself, in the same language.
    assert not [c for c in result["cards"] if "draft" in c or "evidence" in c]
    asked = [c for c in result["cards"] if c.get("draft_problem")]
    drafts = [handle({"type": "draft", "id": 1, "order": c, "lang": "ru"})[0] for c in asked]
    assert drafts and all(d["lang"] == "ru" and d["to_admin"].startswith("Здравствуйте.") for d in drafts)
    assert [d["problem"] for d in drafts] == [c["draft_problem"] for c in asked]


def test_snapshot_ui_lang_with_region_and_unknown_language() -> None:
    pt = analyze_snapshot(snapshot("list_en_mixed", "pt-BR"))
    assert any(w["title"] == "Não confirme o recebimento ainda" for c in pt["cards"] for w in c["warnings"])
    de = analyze_snapshot(snapshot("list_en_mixed", "de"))  # no German catalogue: English, and the draft says so
    assert any(w["title"] == "Don't confirm receipt yet" for c in de["cards"] for w in c["warnings"])
    assert {handle({"type": "draft", "id": 1, "order": c, "lang": "de"})[0]["lang"]
            for c in de["cards"] if c.get("draft_problem")} == {"en"}
    default = analyze_snapshot(snapshot("list_en_mixed", None))
    assert default["cards"][2]["warnings"] == de["cards"][2]["warnings"]


@pytest.mark.parametrize("case", [c for c in fixture_cases() if c != "list_en_big"])
@pytest.mark.parametrize("ui_lang", ["en", "ru", "es", "pt", "fr"])
def test_every_fixture_warning_has_an_action_in_every_language(case: str, ui_lang: str) -> None:
    html, truth = load_case(case)
    result = analyze_html(html, url=truth["url"], now=datetime.fromisoformat(truth["now"]), tz=truth["tz"],
                          lang=truth["lang"], ui_lang=ui_lang)
    draft.attach(result["orders"], ui_lang)
    for order in result["orders"]:
        for w in order["warnings"]:
            assert w["title"] and w["detail"] and w["action"], (case, w)
            if ui_lang != "en":
                assert w["title"] != catalog.load("en")["warnings"][w["code"]]["title"] or w["code"] == "unrecognized"
        if "draft" in order:  # the checklist for the draft's problem rides on the card
            assert [e["id"] for e in order["evidence"]] == draft.evidence_table()["kinds"][order["draft"]["problem"]]


def test_cli_analyze_ui_lang() -> None:
    page = FIXTURES / "detail_en_awaiting_delivery" / "page.html"
    run = subprocess.run([sys.executable, "-m", "aliwatch", "analyze", str(page), "--now", "2026-11-26T09:00:00Z",
                          "--tz", "UTC", "--ui-lang", "es", "--json"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    order = json.loads(run.stdout)["orders"][0]
    w = {x["code"]: x for x in order["warnings"]}["protection_ending"]
    assert w["title"] == "La protección termina en 4 días"
    assert "1 de diciembre de 2026" in w["detail"] and w["action"].startswith("Pide al vendedor")
    assert order["draft"]["lang"] == "es" and "Número de pedido: 8213004417736925." in order["draft"]["to_admin"]
