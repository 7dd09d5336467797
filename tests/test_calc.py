"""Refund only or return and refund: the guide's blouse, the seller-pays case, postage by weight from the
editable table, validation, and the host's `calc` message (the extension's calculator)."""
from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import pytest

from aliwatch import calc
from aliwatch.host.dispatch import handle


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aliwatch", "calc", *args], capture_output=True, text=True,
                          timeout=60, env=env)


def test_the_guides_blouse_recommends_the_refund_only() -> None:
    run = run_cli("--price", "800", "--postage", "540", "--percent", "90", "--currency", "RUB", "--json")
    assert run.returncode == 0, run.stderr
    r = json.loads(run.stdout)
    assert r["return"]["net"] == 260 and r["return"]["keeps_item"] is False
    assert r["refund_only"]["net"] == 720 and r["refund_only"]["keeps_item"] is True
    assert r["recommendation"] == "refund_only"
    assert (r["advantage"], r["postage_paid_by"], r["currency"]) == (460, "buyer", "RUB")


def test_the_other_case_recommends_the_return() -> None:
    # A costly item and cheap postage: sending it back pays (the guide: "sometimes more profitable").
    run = run_cli("--price", "12000", "--postage", "540", "--percent", "50", "--currency", "RUB", "--json")
    assert run.returncode == 0, run.stderr
    r = json.loads(run.stdout)
    assert (r["return"]["net"], r["refund_only"]["net"], r["recommendation"]) == (11460, 6000, "return")


def test_text_output_names_both_options_and_the_choice() -> None:
    run = run_cli("--price", "800", "--postage", "540", "--percent", "90", "--currency", "RUB")
    assert run.returncode == 0, run.stderr
    assert "260 ₽" in run.stdout and "720 ₽" in run.stdout
    assert "Recommendation: refund only (460 ₽ more)." in run.stdout
    assert "below 33%" in run.stdout


def test_seller_at_fault_pays_the_postage_so_a_return_nets_the_full_price() -> None:
    r = calc.compare(800, 90, "RUB", postage=540, fault="seller")
    assert r["return"]["net"] == 800 and r["postage_paid_by"] == "seller"
    assert r["recommendation"] == "return"
    # No postage needed when the seller pays it.
    assert calc.compare(800, 90, "RUB", fault="seller")["postage_source"] == "none"


def test_a_tie_goes_to_the_refund_only() -> None:
    r = calc.compare(1000, 60, "EUR", postage=400)
    assert r["return"]["net"] == r["refund_only"]["net"] == 600
    assert r["recommendation"] == "refund_only" and r["advantage"] == 0


@pytest.mark.parametrize(("price", "postage"), [(800, 540), (10, 3.33), (999.99, 0), (57.3, 57.3), (100, 250)])
def test_break_even_percent_judges_a_counter_offer(price: float, postage: float) -> None:
    r = calc.compare(price, 50, "USD", postage=postage)
    be = r["break_even_percent"]
    ret = price - postage
    assert 1 <= be <= 100
    assert price * be / 100 >= ret - 1e-9  # an offer at the break-even share is at least as good as a return
    if be > 1:
        assert price * (be - 1) / 100 < ret  # and one point less is not


def test_postage_estimated_from_weight_reproduces_the_guide() -> None:
    r = calc.compare(800, 90, "RUB", weight=350)
    assert (r["postage"], r["postage_source"]) == (540, "estimated")
    assert r["estimate"]["up_to"] == 500 and r["estimate"]["weight"] == 350
    assert (r["return"]["net"], r["recommendation"]) == (260, "refund_only")
    # A typed amount wins over the estimate.
    assert calc.compare(800, 90, "RUB", postage=300, weight=350)["postage_source"] == "typed"


def test_every_table_bracket_is_taken_by_its_limit() -> None:
    table = calc.load_postage()
    for currency, entry in table["tables"].items():
        brackets = entry["brackets"]
        assert brackets == sorted(brackets) and all(p > 0 for _, p in brackets), currency
        for up_to, price in brackets:
            assert calc.estimate_postage(up_to, currency, table)["postage"] == price
            assert calc.estimate_postage(up_to - 0.5, currency, table)["postage"] <= price


def test_the_table_is_editable_through_ALIWATCH_POSTAGE(tmp_path) -> None:
    mine = tmp_path / "postage.json"
    mine.write_text(json.dumps({"tables": {"PLN": {"source": "my post office", "brackets": [[1000, 45.5]]}}}))
    env = {**os.environ, "ALIWATCH_POSTAGE": str(mine)}
    run = run_cli("--price", "120", "--weight", "400", "--percent", "50", "--currency", "pln", "--json", env=env)
    assert run.returncode == 0, run.stderr
    r = json.loads(run.stdout)
    assert (r["currency"], r["postage"], r["return"]["net"]) == ("PLN", 45.5, 74.5)
    assert r["estimate"]["source"] == "my post office"


@pytest.mark.parametrize(("args", "message"), [
    (["--price", "800", "--percent", "0", "--postage", "1"], "--percent: percent must be a whole number from 1 to 100"),
    (["--price", "800", "--percent", "101", "--postage", "1"], "--percent:"),
    (["--price", "-5", "--percent", "50", "--postage", "1"], "--price: price must be more than 0"),
    (["--price", "nan", "--percent", "50", "--postage", "1"], "--price: price must be a number"),
    (["--price", "800", "--percent", "50", "--postage", "-1"], "--postage: postage must be at least 0"),
    (["--price", "800", "--percent", "50"], "--postage: give the return postage, or the parcel weight"),
    (["--price", "800", "--percent", "50", "--weight", "350"], "--currency: a postage estimate by weight needs"),
    (["--price", "800", "--percent", "50", "--weight", "3000", "--currency", "RUB"], "over the heaviest bracket"),
    (["--price", "800", "--percent", "50", "--weight", "300", "--currency", "CHF"], "no postage table for CHF"),
    (["--price", "800", "--percent", "50", "--postage", "1", "--currency", "rubles"], "--currency: currency must"),
    (["--price", "800", "--percent", "50", "--postage", "1", "--fault", "nobody"], "invalid choice"),
])
def test_cli_refuses_bad_input_with_exit_2(args: list[str], message: str) -> None:
    run = run_cli(*args)
    assert run.returncode == 2
    assert message in run.stderr and run.stdout == ""


@pytest.mark.parametrize(("amount", "currency", "kw", "expected"), [
    (260, "RUB", {"symbol": True}, "260 ₽"),
    (1236.5, "RUB", {"decimal": ",", "group": "\u00a0"}, "1\u00a0236,50 RUB"),
    (16240, "KRW", {}, "16,240 KRW"),
    (16240.4, "KRW", {}, "16,240 KRW"),
    (3.3, "USD", {"symbol": True}, "3.30 $"),
    (0.005, "EUR", {}, "0.01 EUR"),
    (2.675, "USD", {}, "2.68 USD"),  # half up on the written value, although 2.675 is stored as 2.67499…
    (-4.5, "KRW", {}, "-5 KRW"),
    (1234567.891, None, {"decimal": ",", "group": "."}, "1.234.567,89"),
])
def test_amounts_are_rounded_to_the_currency_and_written_per_language(amount, currency, kw, expected) -> None:
    assert calc.format_amount(amount, currency, **kw) == expected


def test_host_calc_message_is_the_same_computation() -> None:
    msg = {"type": "calc", "id": "c1", "price": 800, "postage": 540, "percent": 90, "currency": "RUB"}
    (reply,) = handle(msg)
    assert reply == {"type": "calc", "id": "c1", **calc.compare(800, 90, "RUB", postage=540)}
    (reply,) = handle({"type": "calc", "id": 2, "price": 800, "weight": 350, "percent": 90, "currency": "RUB",
                       "fault": "seller"})
    assert reply["recommendation"] == "return" and reply["postage"] == 540


@pytest.mark.parametrize("bad", [
    {"price": "800", "percent": 90, "postage": 1}, {"price": 800, "percent": 90.5, "postage": 1},
    {"price": 800, "percent": True, "postage": 1}, {"price": 800, "percent": 90},
    {"price": math.inf, "percent": 90, "postage": 1}, {"price": 800, "percent": 90, "postage": 1, "fault": "me"},
    {"price": 800, "percent": 90, "weight": 350, "currency": 643},
])
def test_host_calc_bad_arguments(bad: dict) -> None:
    (reply,) = handle({"type": "calc", "id": 5, **bad})
    assert (reply["type"], reply["id"], reply["code"]) == ("error", 5, "bad_argument")
