"""The page's structural fingerprint, gathered in one pass: which layout can read it."""
from __future__ import annotations

from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Tag


@dataclass
class Marks:
    classes: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)
    data_pl: set[str] = field(default_factory=set)


def marks_of(soup: BeautifulSoup) -> Marks:
    m = Marks()
    for el in soup.descendants:
        if not isinstance(el, Tag):
            continue
        attrs = el.attrs
        if "class" in attrs:
            m.classes.update(attrs["class"])
        if "id" in attrs:
            m.ids.add(str(attrs["id"]))
        if "data-pl" in attrs:
            m.data_pl.add(str(attrs["data-pl"]))
    return m
