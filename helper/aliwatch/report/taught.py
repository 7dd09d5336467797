"""The words the user taught (overrides.py) that a reported page's orders were read with, named in one comment
at the top of the copy, so a maintainer can turn them into phrase-table entries (docs/PROTOCOL.md, `report`)."""
from __future__ import annotations

from aliwatch.report.personal import _SAVED_FROM

TAUGHT_MARK = "aliwatch-taught-words:"


def taught_words(page: str, url: str | None, overrides: dict | None) -> list[dict]:
    """The user's taught words (overrides.py) that this page's orders were read with: [{lang, text, status}],
    found by analysing the page with them, so only those that really apply are named."""
    if not overrides:
        return []
    from aliwatch.analysis import analyze_html

    try:
        result = analyze_html(page, url=url, overrides=overrides)
    except ValueError:
        return []
    found: list[dict] = []
    for order in result["orders"]:
        word = {"lang": result["lang"], "text": order["status_text"], "status": order["status"]}
        if order.get("status_taught") and word not in found:
            found.append(word)
    return found


def with_taught_words(copy: str, words: list[dict]) -> str:
    """The copy with its taught words as one comment at the top (after a "saved from" stamp, which must stay
    first): `<!-- aliwatch-taught-words: {"phrase_overrides": [...]} -->`, JSON a maintainer turns into
    phrase-table entries (docs/PROTOCOL.md, `report`). `-`, `<` and `>` are escaped, so page text can
    neither end the comment nor open a tag."""
    if not words:
        return copy
    import json

    body = json.dumps({"phrase_overrides": words}, ensure_ascii=False)
    body = body.replace("-", "\\u002d").replace("<", "\\u003c").replace(">", "\\u003e")
    block = f"<!-- {TAUGHT_MARK} {body} -->\n"
    stamp = _SAVED_FROM.match(copy.split("\n", 1)[0])
    if stamp:
        first, _, rest = copy.partition("\n")
        return f"{first}\n{block}{rest}"
    return block + copy
