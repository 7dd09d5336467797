"""Issue 9: reading pages by meaning. Small pages with no class names at all, each built around one thing real
pages do: a status worded a little differently, a heading that lags behind the tracking, a timer broken over
elements, a label in its own element, aliexpress.ru's dates without a year."""
from datetime import datetime, timezone

import pytest
from bs4 import Tag

from aliwatch.analysis import analyze_html
from aliwatch.dates import parse_date
from aliwatch.parse.cards import find_cards
from aliwatch.soup import make_soup
from aliwatch.text import class_tokens
from helpers.fixtures import fixture_cases, load_case

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)
LIST = "https://www.aliexpress.com/p/order/index.html"


def card(oid: str, body: str) -> str:
    return (f'<div><div>{body}</div><div>Order ID: {oid}</div>'
            f'<a href="https://www.aliexpress.com/p/order/detail.html?orderId={oid}">Details</a></div>')


def read(*cards: str, url: str = LIST, lang: str | None = "en", tz: str = "UTC") -> dict:
    html = f"<html><body><nav><a href='/p/order/index.html'>To pay</a><a href='#'>Shipped</a></nav>" \
           f"<main>{''.join(cards)}</main></body></html>"
    result = analyze_html(html, url=url, now=NOW, tz=tz, lang=lang)
    return {o["order_id"]: o for o in result["orders"]}


def status(body: str, **kw) -> str:
    return read(card("8213000000000001", body), **kw)["8213000000000001"]["status"]


# --- status from all the evidence ---------------------------------------------------------------------------

@pytest.mark.parametrize("said, expected", [
    ("Awaiting delivery", "awaiting_delivery"),
    ("AWAITING DELIVERY", "awaiting_delivery"),  # case
    ("Awaiting\u00a0delivery ", "awaiting_delivery"),  # no-break space, trailing space
    ("Awaiting delivery.", "awaiting_delivery"),  # trailing punctuation
    ("Completed!", "completed"),
    ("Your order has been cancelled", "closed"),  # close wording: the status word inside a short line
])
def test_status_words_as_real_pages_write_them(said, expected):
    assert status(f"<span>{said}</span>") == expected


@pytest.mark.parametrize("lang, said, expected", [
    ("ru", "С отделкой", "completed"),  # the real mistranslation of "Completed" on the global site
    ("ru", "Отправлено", "awaiting_delivery"),  # table: "отправлен"; an inflection away
    ("ru", "Отменена", "closed"),  # "отменён", feminine, and ё written as е
    ("pt", "Concluído ", "completed"),
    ("pt", "Concluída", "completed"),
    ("es", "Cancelada", "closed"),
])
def test_small_inflections_and_real_quirks(lang, said, expected):
    assert status(f"<span>{said}</span>", lang=lang) == expected


@pytest.mark.parametrize("word", ["Zorbling", "Disclosed", "Deliverance", "Processingfee", "Открыть спор"])
def test_an_unrelated_word_is_not_a_status(word):
    order = read(card("8213000000000001", f"<span>{word}</span>"))["8213000000000001"]
    assert order["status"] == "unknown"
    assert "unrecognized" in {w["code"] for w in order["warnings"]}
    assert any(p["code"] == "unknown_status" for p in order["problems"])


def test_the_last_tracking_event_outranks_a_lagging_heading():
    body = "<h3>Awaiting delivery</h3><ul><li>Nov 25, 2026 14:02 Delivered</li><li>Nov 20 In transit</li></ul>"
    assert status(body) == "delivered"


def test_a_delivered_event_does_not_reopen_a_completed_order():
    assert status("<h3>Completed</h3><p>Nov 25, 2026 14:02 Delivered</p>") == "completed"


def test_a_refund_block_outranks_the_heading():
    assert status("<h3>Awaiting delivery</h3><p>Refund in progress US $12.74</p>") == "in_dispute"
    assert status("<h3>Completed</h3><p>환불 완료 ₩11,110</p>", lang="ko") == "refunded"


def test_a_labelled_status_outranks_a_progress_bar():
    body = "<ol><li>Place Order</li><li>Order Complete</li></ol><dl><dt>Status:</dt><dd>Awaiting Receipt</dd></dl>"
    assert status(body) == "awaiting_delivery"


def test_a_sentence_says_the_status_when_no_word_does():
    order = read(card("8213000000000001", "<p>The seller will ship within 5 days</p>"))["8213000000000001"]
    assert order["status"] == "awaiting_shipment"
    assert [d["kind"] for d in order["deadlines"]] == ["ship_by"]


def test_a_button_says_the_status_last():
    assert status("<button>Confirm received</button>") == "awaiting_delivery"
    assert status("<span>Zorbling</span><button>Pay now</button>") == "awaiting_payment"


def test_a_dispute_page_with_label_rows():
    html = ("<html><body><main><h1>Dispute details</h1><dl><dt>Order number</dt><dd>8213000000000002</dd>"
            "<dt>Status</dt><dd>Awaiting seller response</dd></dl>"
            "<p>The seller has <b>2 days 03:00:00</b> to respond</p></main></body></html>")
    result = analyze_html(html, url="https://www.aliexpress.com/p/reverse-pages/detail.html", now=NOW, tz="UTC")
    (order,) = result["orders"]
    assert order["order_id"] == "8213000000000002" and order["status"] == "in_dispute"
    assert {w["code"] for w in order["warnings"]} >= {"seller_deadline", "dont_close_dispute"}


# --- timers in any rendering ---------------------------------------------------------------------------------

@pytest.mark.parametrize("timer", [
    "<span>3</span><span>days</span><span>23:10:02</span>",  # inline parts
    "<div>3</div><div>days</div><div>23</div><div>:</div><div>10</div><div>:</div><div>02</div>",  # one per unit
    "<div>3</div><div>D</div><div>2</div><div>3</div>:<div>1</div><div>0</div>:<div>0</div><div>2</div>",  # per digit
    "3D 23:10:02",
])
def test_a_countdown_in_separate_elements(timer):
    html = (f"<html><body><main><div>Order number: 8213000000000002</div><h2>Awaiting seller response</h2>"
            f"<div>The seller has</div><div>{timer}</div><div>to respond</div></main></body></html>")
    result = analyze_html(html, url="https://www.aliexpress.com/p/reverse-pages/detail.html", now=NOW, tz="UTC")
    (order,) = result["orders"]
    (due,) = [d for d in order["deadlines"] if d["kind"] == "seller_response_due"]
    assert datetime.fromisoformat(due["at"]) == datetime(2026, 11, 30, 8, 10, 2, tzinfo=timezone.utc)


@pytest.mark.parametrize("lang, label, timer, seconds", [
    ("ru", "Заказ отменится через", "12 дн. 05:32:11", 12 * 86400 + 5 * 3600 + 32 * 60 + 11),
    ("en", "Complete payment within", "6D 14:27:53", 6 * 86400 + 14 * 3600 + 27 * 60 + 53),
    ("ru", "Заказ отменится через", "05:32:11", 5 * 3600 + 32 * 60 + 11),
])
def test_countdown_shapes_with_the_label_in_a_sibling(lang, label, timer, seconds):
    body = f'<div>{"Ожидает оплаты" if lang == "ru" else "Awaiting payment"}</div><div>{label}</div><div>{timer}</div>'
    order = read(card("8213000000000001", body), lang=lang)["8213000000000001"]
    (due,) = order["deadlines"]
    assert due["kind"] == "payment_due"
    assert (datetime.fromisoformat(due["at"]) - NOW).total_seconds() == seconds


def test_a_role_timer_element_counts_down_to_what_the_status_waits_for():
    body = '<div>Awaiting payment</div><div>Pay soon</div><div role="timer">23:14:05</div>'
    order = read(card("8213000000000001", body))["8213000000000001"]
    assert [(d["kind"], d["basis"]) for d in order["deadlines"]] == [("payment_due", "countdown")]


# --- aliexpress.ru ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, past, expected", [
    ("9 января", False, "2027-01-09"),  # a November promise for January: next year
    ("21 ноября", False, "2026-11-21"),  # five days ago: this year (the late order)
    ("3 ноября", True, "2026-11-03"),  # an order date is in the past
    ("30 декабря", True, "2025-12-30"),  # ...even when that is last year
])
def test_dates_without_a_year_take_the_nearest_sensible_year(text, past, expected):
    got = parse_date(text, "ru", "Europe/Moscow", NOW, past=past)
    assert got.date().isoformat() == expected


def test_ru_grouped_ids_and_links():
    html = ('<html><body><main><div><div>В&nbsp;пути</div><div>5386 2471 0935 1128</div></div>'
            '<div><div>Отменён</div><a href="https://aliexpress.ru/order-list/5385931055672209?filterName=active">'
            'Подробнее</a></div></main></body></html>')
    result = analyze_html(html, url="https://aliexpress.ru/order-list?filterName=active", now=NOW, tz="Europe/Moscow")
    got = {o["order_id"]: o["status"] for o in result["orders"]}
    assert got == {"5386247109351128": "awaiting_delivery", "5385931055672209": "closed"}


# --- cards: the class names are a cross-check, never needed -------------------------------------------------

def known_class_cards(root: Tag) -> list[Tag]:
    """The cards as the class names AliExpress's layouts have used mark them (current, mobile, legacy,
    aliexpress.ru Red). Only this test knows them; the parser reads none."""
    out = []
    for el in root.descendants:
        if not isinstance(el, Tag):
            continue
        classes = class_tokens(el.attrs.get("class"))
        if (el.name in ("div", "a") and "order-item" in classes) or (
                el.name == "tbody" and ("order-item-wraper" in classes or "ae-order" in classes)) or any(
                c.startswith("RedOrderList_OrderList__item__") for c in classes):
            out.append(el)
    return out


@pytest.mark.parametrize("name", [c for c in fixture_cases() if c.startswith("list_")])
def test_known_class_names_find_the_same_cards_as_meaning(name):
    html, truth = load_case(name)
    soup = make_soup(html)  # the tree the parser reads
    generic = [c.tag for c in find_cards(soup)]
    assert [id(t) for t in known_class_cards(soup)] == [id(t) for t in generic]
    assert sorted(c.order_id for c in find_cards(soup)) == sorted(truth["orders"])


def test_site_chrome_is_never_a_card():
    html = ("<html><body><header><a href='/p/order/detail.html?orderId=8213000000000009'>Last order</a></header>"
            "<main><div><span>Completed</span><div>Order ID: 8213000000000001</div></div></main></body></html>")
    assert [c.order_id for c in find_cards(make_soup(html))] == ["8213000000000001"]


def test_a_label_and_its_number_in_separate_elements_and_a_bare_tracking_number():
    """The number after "Order ID:" may sit in the next element, across white space; a bare run of digits with
    no label (an all-digit tracking number) names no order, so it never splits a card."""
    html = ("<html><body><main>"
            "<div><span>Completed</span><span>Order ID:</span>\n   <span>8213000000000001</span>"
            "<p>Tracking number</p><p>1234567890123456</p></div>"
            "<div><span>Closed</span><span>Order ID:</span>\n <b>8213000000000002</b></div>"
            "</main></body></html>")
    assert [c.order_id for c in find_cards(make_soup(html))] == ["8213000000000001", "8213000000000002"]
