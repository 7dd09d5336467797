"""Every page reader has the shape parse_page relies on (parse/reader.py's PageReader)."""
from __future__ import annotations

import inspect
import types

import pytest

from aliwatch.parse.detect import READERS
from aliwatch.parse.reader import PageReader


@pytest.mark.parametrize("kind", sorted(READERS))
def test_each_reader_is_a_page_reader_of_its_kind(kind: str) -> None:
    reader = READERS[kind]
    assert isinstance(reader, PageReader)
    assert reader.KIND == kind
    for name in ("find_cards", "read"):
        wanted = [p for p in inspect.signature(getattr(PageReader, name)).parameters if p != "self"]
        assert list(inspect.signature(getattr(reader, name)).parameters) == wanted, (kind, name)


def test_a_module_without_read_is_not_a_page_reader() -> None:
    half = types.ModuleType("half")
    half.KIND = "order_list"
    half.find_cards = lambda root, ctx: []
    assert not isinstance(half, PageReader)
    half.read = lambda card, ctx: None
    assert isinstance(half, PageReader)
