"""Drafted dispute messages: facts only, in short sentences that survive machine translation, in five
languages, with the suggested share and the amount in the order's currency; one composer behind the CLI,
the host's `draft` message and the analysis cards."""
from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from datetime import datetime

import pytest

from aliwatch import catalog, draft
from aliwatch.analysis import analyze_html
from aliwatch.host.dispatch import handle
from helpers.fixtures import FIXTURES, load_case
from helpers.snapshots import fixture_snapshot

LANGS = ["en", "ru", "es", "pt", "fr"]
LONG_TITLE = ("2026 New Arrival Women Summer Blouse Loose Casual V-Neck Short Sleeve Chiffon Shirt Tops "
              "Plus Size S-5XL Elegant Office Lady. Free Shipping!")
ORDERS = {
    "full": {"order_id": "8213004417736925", "order_date": "2026-10-11", "status": "completed",
             "total": {"text": "R$102,04", "amount": 102.04, "currency": "BRL"},
             "items": [{"item_id": "1", "title": "Bluetooth 5.3 Wireless Earbuds"}]},
    "bare": {"order_id": None, "status": "completed"},
    "long": {"order_id": "8212553908147761", "order_date": "2026-09-03", "status": "completed",
             "total": {"amount": 1236.5, "currency": "RUB"},
             "items": [{"title": LONG_TITLE}] * 5},
    "cjk": {"order_id": "8213268493015726", "order_date": "2026-11-12", "status": "completed",
            "total": {"amount": 32480.0, "currency": "KRW"}, "items": [{"title": "무선 이어폰 블루투스 5.3 노이즈 캔슬링 충전 케이스 포함 고음질 스포츠"}]},
}


def sentences(message: str) -> list[str]:
    """Each line, split after sentence-ending punctuation: what a translator handles as one sentence."""
    out = []
    for line in message.splitlines():
        out += [s for s in re.split(r"(?<=[.!?…])\s+", line.strip()) if s]
    return out


def words(sentence: str) -> list[str]:
    return [w for w in sentence.split() if any(ch.isalnum() for ch in w)]


def every_draft():
    for lang, problem, order in itertools.product(LANGS, draft.PROBLEMS, ORDERS):
        for outcome in draft.suggestion(problem)["outcomes"]:
            for percent in ([None, 90, 100, 1] if outcome == "refund" else [None]):
                yield (lang, problem, order, outcome, percent), draft.compose(
                    ORDERS[order], problem, outcome=outcome, percent=percent, lang=lang)


def test_every_sentence_of_every_draft_in_every_language_is_12_words_or_fewer() -> None:
    count = 0
    for case, d in every_draft():
        for message in (d["to_admin"], d["to_seller"]):
            for s in sentences(message):
                assert len(words(s)) <= draft.MAX_WORDS, (case, s, len(words(s)))
                count += 1
    assert count > 3000  # the loop really covered the product of languages, problems, outcomes and orders


def test_every_draft_is_polite_factual_and_complete() -> None:
    for (lang, problem, order, outcome, percent), d in every_draft():
        t = draft.templates(lang)
        admin, seller = d["to_admin"], d["to_seller"]
        assert admin.startswith(t["admin"]["greeting"]) and admin.endswith(t["admin"]["closing"])
        assert seller.startswith(t["seller"]["greeting"]) and seller.endswith(t["seller"]["closing"])
        assert "{" not in admin + seller and ".." not in admin + seller, (lang, problem, admin)
        oid = ORDERS[order]["order_id"] or t["fill"]["order_id"]
        assert oid in admin and oid in seller
        for line in (t["admin"]["evidence_item"].format(text=t["evidence"][i]["attached"])
                     for i in draft.evidence_table()["kinds"][problem]):
            assert line in admin.splitlines(), (lang, problem, line)
        if d["amount"]:
            assert d["amount"]["text"] in admin and d["amount"]["currency"] in admin
        if lang != "en":  # no English left over in a translated draft
            english = draft.templates("en")
            for text in [*english["fill"].values(), english["admin"]["evidence"], english["seller"]["dispute"]]:
                assert text not in admin + seller, (lang, text)


def test_facts_in_the_english_admin_message() -> None:
    d = draft.compose(ORDERS["full"], "wrong_item", percent=90)
    assert d["to_admin"].splitlines() == [
        "Hello.",
        "Order number: 8213004417736925.",
        "Order date: Oct 11, 2026.",
        "Ordered: Bluetooth 5.3 Wireless Earbuds.",
        "A different item arrived.",
        "What arrived: [describe what arrived].",
        "Evidence attached:",
        "- An unboxing video showing the tracking label.",
        "- Photos of the item as it arrived.",
        "- Photos with a ruler and the size label.",
        "- Screenshots of the product listing.",
        "- Screenshots of the chat with the seller.",
        "I request a partial refund of 90%: 91.84 BRL.",
        "Thank you.",
    ]
    assert d["to_seller"].splitlines() == [
        "Hello.", "I am writing about order 8213004417736925.", "A different item arrived.",
        "I have photos and a video.", "Please refund 90%: 91.84 BRL.", "Otherwise I will open a dispute.",
        "Thank you."]
    assert d["amount"] == {"amount": 91.84, "currency": "BRL", "text": "91.84 BRL"}
    assert d["text"] == d["to_admin"]


def test_localised_facts_dates_amounts_and_placeholders() -> None:
    ru = draft.compose(ORDERS["long"], "not_as_described", lang="ru")
    assert "Дата заказа: 3 сентября 2026." in ru["to_admin"]
    assert "Прошу частичный возврат денег, 50%: 618,25 RUB." in ru["to_admin"]
    assert "Отличие: [опишите отличие]." in ru["to_admin"]
    assert "Других товаров в заказе: 2." in ru["to_admin"]
    es = draft.compose(ORDERS["full"], "incomplete", percent=30, lang="es")
    assert "Fecha del pedido: 11 de octubre de 2026." in es["to_admin"]
    assert "Falta: [enumera las piezas que faltan]." in es["to_admin"]
    assert "30,61 BRL" in es["to_admin"]
    pt = draft.compose(ORDERS["full"], "damaged", outcome="return", lang="pt")
    assert "Solicito a devolução e o reembolso total: 102,04 BRL." in pt["to_admin"]
    assert "O vendedor deve pagar o frete da devolução." in pt["to_admin"]
    fr = draft.compose(ORDERS["cjk"], "counterfeit", lang="fr")
    assert "Je demande un remboursement complet : 32\u00a0480 KRW." in fr["to_admin"]
    big = draft.compose({**ORDERS["full"], "total": {"amount": 1234567.891, "currency": "USD"}}, "damaged", percent=50)
    assert big["amount"]["text"] == "617,283.95 USD"


def test_long_titles_are_cut_to_fit_a_sentence() -> None:
    d = draft.compose(ORDERS["long"], "wrong_item")
    ordered = [line for line in d["to_admin"].splitlines() if line.startswith("Ordered:")]
    assert len(ordered) == draft.MAX_ITEMS
    assert ordered[0].startswith("Ordered: 2026 New Arrival Women Summer Blouse") and ordered[0].endswith("…")
    assert "Other items in the order: 2." in d["to_admin"]


def test_without_a_total_the_amount_is_left_out_not_invented() -> None:
    d = draft.compose(ORDERS["bare"], "not_as_described", percent=40)
    assert d["amount"] is None
    assert "I request a partial refund of 40% of the order total." in d["to_admin"]
    assert "Order number: [order number]." in d["to_admin"] and "Order date: [order date]." in d["to_admin"]
    assert "Ordered: [describe what you ordered]." in d["to_admin"]


# --- suggestions ---------------------------------------------------------------------------------------

def test_suggested_percentages_are_comparable_to_the_problem() -> None:
    s = {p: draft.suggestion(p)["percent"] for p in draft.PROBLEMS}
    assert s["not_received"] == 100 and s["counterfeit"] == 100
    assert s["damaged"] == 100  # "if the fitness tracker does not work, the full price is clear"
    # A usable item with a defect: leave the seller a little.
    assert 50 <= s["wrong_item"] < 100 and 30 <= s["not_as_described"] < 100 and s["incomplete"] < 100
    assert draft.suggestion("wrong_item")["range"][1] == 90  # the guide's blouse: 90%, not 100%
    d = draft.compose(ORDERS["full"], "wrong_item")
    assert (d["percent"], d["suggested_percent"], d["outcome"]) == (s["wrong_item"], s["wrong_item"], "refund")


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"percent": 0}, "percent"), ({"percent": 101}, "percent"), ({"percent": 50.5}, "percent"),
    ({"percent": True}, "percent"), ({"percent": "90"}, "percent"),
    ({"outcome": "return", "percent": 90}, "percent"), ({"outcome": "exchange"}, "outcome"),
    ({"lang": "de"}, "lang"),
])
def test_bad_choices_are_refused_by_name(kwargs: dict, field: str) -> None:
    with pytest.raises(draft.DraftError) as e:
        draft.compose(ORDERS["full"], "damaged", **kwargs)
    assert e.value.field == field


def test_nothing_to_send_back_when_nothing_arrived() -> None:
    with pytest.raises(draft.DraftError, match=r"return does not fit not_received \(possible: refund\)"):
        draft.compose(ORDERS["full"], "not_received", outcome="return")


@pytest.mark.parametrize("order", [
    "not an object", {"order_id": 8213004417736925}, {"order_id": "82130x"}, {"order_date": "11/10/2026"},
    {"total": {"amount": "102"}}, {"total": {"amount": -1, "currency": "USD"}}, {"items": "earbuds"},
])
def test_bad_order_context_is_refused(order) -> None:
    with pytest.raises(draft.DraftError) as e:
        draft.compose(order, "damaged")
    assert e.value.field == "order"


# --- one code path: analysis cards, host message, CLI ------------------------------------------------------

def analysis(case: str, ui_lang: str = "en") -> dict:
    """What `aliwatch analyze --json` gives: the analysis with each card's draft composed."""
    html, truth = load_case(case)
    result = analyze_html(html, url=truth["url"], now=datetime.fromisoformat(truth["now"]), tz=truth["tz"],
                          lang=truth["lang"], ui_lang=ui_lang)
    draft.attach(result["orders"], ui_lang)
    return result


@pytest.mark.parametrize("ui_lang", ["en", "ru", "fr"])
def test_card_draft_is_the_composer_for_the_default_problem(ui_lang: str) -> None:
    for order in analysis("list_en_mixed", ui_lang)["orders"]:
        problem = draft.default_problem(order["status"])
        if problem is None:
            assert "draft" not in order and "evidence" not in order, order["status"]
            continue
        card = {k: v for k, v in order.items() if k not in ("draft", "evidence")}
        expected = draft.compose(card, problem, lang=ui_lang)
        assert order["evidence"] == expected.pop("evidence")
        assert order["draft"] == expected
    statuses = {o["status"]: o.get("draft", {}).get("problem") for o in analysis("list_en_mixed")["orders"]}
    assert statuses["awaiting_delivery"] == "not_received" and statuses["completed"] == "not_as_described"
    assert statuses["awaiting_payment"] is None and statuses["closed"] is None


def test_host_draft_message_uses_the_same_composer() -> None:
    card = analysis("detail_en_completed")["orders"][0]
    (reply,) = handle({"type": "draft", "id": 7, "order": card, "problem": "incomplete", "percent": 40,
                       "lang": "pt-BR"})
    expected = draft.compose(card, "incomplete", percent=40, lang="pt")
    expected.pop("text")
    assert reply == {"type": "draft", "id": 7, "order_id": card["order_id"], **expected}
    assert reply["amount"] == {"amount": 3.94, "currency": "USD", "text": "3,94 USD"}
    assert [e["id"] for e in reply["evidence"]] == draft.evidence_table()["kinds"]["incomplete"]


def test_host_draft_defaults_and_errors() -> None:
    card = {"order_id": "8213004417736925", "status": "awaiting_delivery", "total": {"amount": 10, "currency": "EUR"}}
    (reply,) = handle({"type": "draft", "id": 1, "order": card, "lang": "xx"})
    assert (reply["type"], reply["problem"], reply["lang"], reply["percent"]) == ("draft", "not_received", "en", 100)
    bad = [
        {"type": "draft", "id": 2, "order": card, "percent": 0},
        {"type": "draft", "id": 3, "order": card, "problem": "broken"},
        {"type": "draft", "id": 4},
        {"type": "draft", "id": 5, "order": {"order_id": "1", "status": "awaiting_payment"}},
        {"type": "draft", "id": 6, "order": card, "lang": 7},
        {"type": "draft", "id": 8, "order": {"order_id": "1", "total": {"amount": "NaN"}}, "problem": "damaged"},
    ]
    for msg in bad:
        (err,) = handle(msg)
        assert (err["type"], err["id"], err["code"]) == ("error", msg["id"], "bad_argument"), err
    assert handle({"type": "ping", "id": 9})[0]["type"] == "pong"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aliwatch", "draft", *args], capture_output=True, text=True,
                          timeout=60)


def test_cli_draft_json_matches_the_composer() -> None:
    page = FIXTURES / "detail_en_completed" / "page.html"
    run = run_cli(str(page), "--order", "8212553908147761", "--problem", "not_as_described", "--percent", "90",
                  "--lang", "es", "--json")
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    card = next(o for o in analysis("detail_en_completed")["orders"] if o["order_id"] == "8212553908147761")
    assert out == {"order_id": "8212553908147761", **draft.compose(card, "not_as_described", percent=90, lang="es")}
    assert "Solicito un reembolso parcial del 90%: 8,87 USD." in out["to_admin"]
    assert "Fecha del pedido: 3 de septiembre de 2026." in out["to_admin"]


def test_cli_draft_text_output() -> None:
    page = FIXTURES / "detail_en_awaiting_delivery" / "page.html"
    run = run_cli(str(page), "--order", "8213004417736925", "--problem", "not_received")
    assert run.returncode == 0, run.stderr
    assert "== To AliExpress" in run.stdout and "== To the seller ==" in run.stdout
    assert "I request a full refund: 102.04 BRL." in run.stdout
    assert "[ ] Screenshot of the tracking page" in run.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--percent", "0"], "--percent: percent must be a whole number from 1 to 100"),
    (["--percent", "101"], "--percent: percent must be a whole number from 1 to 100"),
    (["--outcome", "return", "--percent", "80"], "--percent: a return is refunded in full"),
    (["--lang", "de"], "--lang: no draft templates for 'de'"),
    (["--problem", "broken"], "invalid choice"),
    (["--order", "123"], "order 123 is not on this page (orders found: 8213004417736925)"),
])
def test_cli_draft_refuses_bad_input_with_exit_2(args: list[str], message: str) -> None:
    page = FIXTURES / "detail_en_awaiting_delivery" / "page.html"
    base = {"--order": "8213004417736925", "--problem": "damaged"}
    for flag in ("--order", "--problem"):
        if flag in args:
            base.pop(flag)
    run = run_cli(str(page), *[x for kv in base.items() for x in kv], *args)
    assert run.returncode == 2
    assert message in run.stderr and run.stdout == ""


def test_cli_and_host_start_without_the_composer() -> None:
    """The host's cold start is benchmarked: draft, calc and the catalogues load on the first request."""
    code = ("import sys, aliwatch.cli, aliwatch.host.dispatch; "
            "print(' '.join(m for m in ('aliwatch.draft', 'aliwatch.calc', 'aliwatch.catalog') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == ""


def test_snapshot_cards_name_their_draft_problem_and_the_draft_comes_on_request() -> None:
    """The host's analysis reply carries no composed draft (most panels are never opened): each card names
    the problem its draft would assume, and the `draft` request for that card gives exactly what the CLI's
    analysis carries for it."""
    snap, truth = fixture_snapshot("list_en_mixed")
    snap["ui_lang"] = "fr"
    (reply, *_) = handle(snap)
    cli = {o["order_id"]: o for o in analysis("list_en_mixed", "fr")["orders"]}
    assert reply["type"] == "analysis" and reply["cards"]
    for card in reply["cards"]:
        assert "draft" not in card and "evidence" not in card, card
        full = cli[card["order_id"]]
        assert card["draft_problem"] == draft.default_problem(card["status"])
        assert card == {**{k: v for k, v in full.items() if k not in ("draft", "evidence")},
                        "key": card["key"], "draft_problem": card["draft_problem"]}
        if card["draft_problem"] is None:
            assert "draft" not in full
            continue
        (asked,) = handle({"type": "draft", "id": 2, "order": card, "problem": card["draft_problem"], "lang": "fr"})
        expected = {**full["draft"], "evidence": full["evidence"]}
        expected.pop("text")
        assert asked == {"type": "draft", "id": 2, "order_id": card["order_id"], **expected}
