"""soup.make_soup: the lean bs4 tree must read exactly like bs4's own `BeautifulSoup(html, "lxml")` wherever the
parser looks (text lines, links, buttons, class tokens, watched attributes), on every fixture and on the
shapes a builder can get wrong (nested and unclosed text-less subtrees, markup inside scripts, comments)."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup, NavigableString

from aliwatch.soup import NOT_BUILT, make_soup
from aliwatch.text import SKIP_TAGS, class_tokens, scan, text_of, walk
from helpers.fixtures import FIXTURES, fixture_cases
from helpers.redesign import mutate


def _reading(soup) -> dict:
    w = walk(soup)
    s = w.scan(soup)
    return {"lines": s.lines, "links": [(href, text) for href, text, _ in s.links], "buttons": s.buttons,
            "classes": sorted(s.classes), "attrs": {k: len(v) for k, v in s.attrs.items()},
            "title": text_of(soup.find("title")), "html_lang": (soup.find("html") or {}).get("lang")}


def _page(case: str) -> str:
    return (FIXTURES / case / "page.html").read_bytes().decode("utf-8", errors="replace")


def test_not_built_is_never_read_as_text() -> None:
    assert NOT_BUILT <= SKIP_TAGS


@pytest.mark.parametrize("case", fixture_cases())
def test_every_fixture_reads_as_with_bs4s_own_builder(case: str) -> None:
    html = _page(case)
    assert _reading(make_soup(html)) == _reading(BeautifulSoup(html, "lxml"))


@pytest.mark.parametrize("mode", ["random", "strip"])
def test_a_redesigned_page_reads_as_with_bs4s_own_builder(mode: str) -> None:
    html = mutate(_page("list_en_mixed"), mode)
    assert _reading(make_soup(html)) == _reading(BeautifulSoup(html, "lxml"))


@pytest.mark.parametrize("html", [
    "<div>Order <svg><g><path d='M0'/></g><text>icon</text></svg>shipped</div><p>after</p>",
    "<title>Orders</title><div>a<svg><svg><title>x</title></svg></svg>b</div><p>c</p>",
    "<div>before<script>var s = '</div><p>not text</p>';</script>after</div><p>next</p>",
    "<div>x<style>p { content: '<b>' }</style>y</div>",
    "<div>one<noscript><p>enable scripts</p></noscript>two</div><div>three</div>",
    "<div>unclosed <svg><path>",  # a subtree still open at the end of the document
    "<ul><li>a<template><li>t</li></template></li><li>b</li></ul>",
])
def test_text_less_subtrees_leave_the_rest_intact(html: str) -> None:
    lean = make_soup(html)
    assert _reading(lean) == _reading(BeautifulSoup(html, "lxml"))
    assert not lean.find_all(NOT_BUILT)


def test_an_icons_title_is_not_the_pages_title() -> None:
    # bs4's own tree answers find("title") with the icon's; the page (detect.py) has no title here
    assert make_soup("<div>a<svg><title>cart</title></svg></div>").find("title") is None


def test_a_comment_still_separates_the_strings_around_it() -> None:
    span = make_soup("<p><span>Order ID:<!-- -->8123</span></p>").find("span")
    assert [str(c) for c in span.contents] == ["Order ID:", "8123"]
    assert all(type(c) is NavigableString for c in span.contents)


def test_class_is_one_string_and_its_tokens_are_read_on_demand() -> None:
    soup = make_soup('<div class=" order-item  card "><span class="btn-main">Pay</span></div>')
    div = soup.find("div")
    assert div["class"] == " order-item  card "
    assert list(class_tokens(div["class"])) == ["order-item", "card"]
    s = scan(soup)
    assert s.classes["card"] is div and s.buttons == ["Pay"]
