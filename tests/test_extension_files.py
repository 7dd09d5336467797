"""The extension's own data, checked without a browser: every UI string exists in every locale with the same
placeholders, every key the scripts and the popup/options pages use is defined (and the pages' English text says what the
en bundle says), the guards know the confirm wordings the parser knows, the manifest loads every content
script, and no content script parses markup."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from aliwatch import vocab

ROOT = Path(__file__).resolve().parents[1]
EXT = ROOT / "extension"
LOCALES = EXT / "_locales"
PHRASES = ROOT / "helper" / "aliwatch" / "phrases"
CONTENT = sorted((EXT / "content").rglob("*.js"))
# The extension pages (toolbar popup, options) and the background, which words its notifications with
# popup/text.js's t(): all read extension/_locales through i18n.getMessage.
PAGES = sorted([*(EXT / "popup").glob("*.html"), *(EXT / "options").glob("*.html")])
PAGE_SCRIPTS = sorted([*(EXT / "popup").glob("*.js"), *(EXT / "options").glob("*.js"), *(EXT / "bg").glob("*.js")])

# Contract vocabulary the panel names through key families (`status_${status}`, `kind_${kind}`, ...).
FAMILIES = {
    "status": [*vocab.STATUSES, "unknown"],
    "kind": list(vocab.DEADLINE_KINDS),
    "problem": list(vocab.PROBLEMS),
    "basis": ["stated", "countdown", "rule"],
    "escalation": ["bank_statement", "customer_service", "paypal_claim", "chargeback"],
    "error": ["timeout", "helper_unavailable", "unreachable", "generic"],
    "teach_plain": list(vocab.STATUSES),  # panel/teach.js: every status a word may be taught as, in plain words
}


def messages(lang: str) -> dict:
    return json.loads((LOCALES / lang / "messages.json").read_text("utf-8"))


def placeholders(entry: dict) -> set[str]:
    return {m.lower() for m in re.findall(r"\$([A-Za-z0-9_]+)\$", entry["message"])}


class I18nElements(HTMLParser):
    """(key, the element's own English text) for every data-i18n element of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._open: list[list] = []  # [key, tag, text parts, depth of same-named tags]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for item in self._open:
            item[3] += item[1] == tag
        key = dict(attrs).get("data-i18n")
        if key is not None:
            self._open.append([key, tag, [], 0])

    def handle_data(self, data: str) -> None:
        for item in self._open:
            item[2].append(data)

    def handle_endtag(self, tag: str) -> None:
        for item in list(self._open):
            if item[1] == tag:
                if item[3]:
                    item[3] -= 1
                else:
                    self._open.remove(item)
                    self.found.append((item[0], " ".join("".join(item[2]).split())))


def page_keys(path: Path) -> list[tuple[str, str]]:
    parser = I18nElements()
    parser.feed(path.read_text("utf-8"))
    parser.close()
    return parser.found


def test_every_locale_has_every_message_with_the_same_placeholders() -> None:
    en = messages("en")
    langs = sorted(p.name for p in LOCALES.iterdir() if p.is_dir())
    assert {"en", "ru", "es", "pt", "fr"} <= set(langs), langs
    for lang in langs:
        table = messages(lang)
        assert set(table) == set(en), (lang, set(table) ^ set(en))
        assert table["locale"]["message"] == lang  # content/shared.js reads it as the bundle's language
        for key, entry in table.items():
            assert entry["message"].strip(), (lang, key)
            assert placeholders(entry) == placeholders(en[key]), (lang, key)
            assert set(entry.get("placeholders", {})) == placeholders(entry), (lang, key)
    for lang in langs:  # Chrome refuses descriptions over 132 characters
        assert len(messages(lang)["extDescription"]["message"]) <= 132, lang


def test_every_key_the_scripts_use_is_defined() -> None:
    en = messages("en")
    used: set[str] = set()
    for path in CONTENT:
        used |= set(re.findall(r"""\bt\(\s*["']([A-Za-z0-9_]+)["']""", path.read_text("utf-8")))
    assert used, "no t() calls found: the pattern is out of date"
    assert used <= set(en), sorted(used - set(en))
    for family, words in FAMILIES.items():
        missing = [w for w in words if f"{family}_{w}" not in en]
        assert not missing, (family, missing)
    manifest = json.loads((EXT / "manifest.json").read_text("utf-8"))
    assert manifest["default_locale"] == "en"
    for field in ("name", "description"):
        key = re.fullmatch(r"__MSG_(\w+)__", manifest[field]).group(1)
        assert key in en, field


def test_every_key_the_popup_and_options_pages_use_is_defined_in_every_locale() -> None:
    langs = sorted(p.name for p in LOCALES.iterdir() if p.is_dir())
    html_keys = {path.relative_to(EXT).as_posix(): {k for k, _ in page_keys(path)} for path in PAGES}
    assert set(html_keys) >= {"popup/popup.html", "options/options.html"}, html_keys
    assert all(html_keys.values()), html_keys  # no data-i18n found: the parser is out of date
    # t("key"), localMessage("key") and i18n.getMessage("key") with a literal key.
    call = re.compile(r"""\b(?:t|localMessage|getMessage)\(\s*["']([A-Za-z0-9_]+)["']""")
    js_keys = {path.relative_to(EXT).as_posix(): set(call.findall(path.read_text("utf-8"))) for path in PAGE_SCRIPTS}
    for script in ("popup/popup.js", "options/options.js"):
        assert js_keys[script], (script, "no t() calls found: the pattern is out of date")
    used = set().union(*html_keys.values(), *js_keys.values())
    for lang in langs:
        missing = sorted(used - set(messages(lang)))
        assert not missing, (lang, missing)
    assert "order_label" in js_keys["bg/notify.js"]  # the background's notification words too


def vocab_js() -> dict:
    """The object extension/data/vocab.js sets (generated by build.py; tests/test_build.py keeps it current)."""
    text = (EXT / "data" / "vocab.js").read_text("utf-8")
    body = re.search(r"^globalThis\.AliWatchVocab = Object\.freeze\((\{.*\})\);$", text, re.S | re.M)
    assert body, "data/vocab.js: the pattern is out of date"
    return json.loads(body.group(1))


def test_guard_phrases_cover_every_language_and_the_parsers_confirm_words() -> None:
    data = vocab_js()["guards"]
    langs = sorted(p.stem for p in PHRASES.glob("*.json") if p.stem != "codes")
    assert len(langs) >= 11, langs
    for kind in ("confirm_received", "close_dispute"):
        assert set(langs) <= set(data[kind]), (kind, set(langs) - set(data[kind]))
        assert all(data[kind][lang] for lang in langs), kind
    # What the parser takes for a "Confirm received" button, the guard must hold too.
    norm = lambda s: " ".join(s.lower().split())  # noqa: E731 (the guard's folding, minus punctuation)
    for lang in langs:
        parser = json.loads((PHRASES / f"{lang}.json").read_text("utf-8")).get("buttons", {}).get("awaiting_delivery", [])
        guard = {norm(p) for p in data["confirm_received"][lang]}
        assert {norm(p) for p in parser} <= guard, (lang, {norm(p) for p in parser} - guard)
    # The wordings of the old hand copy (the drift of issue 12 included) all reach the guards.
    for must in ("Confirm received", "Confirm goods received", "Confirm Order Received", "Подтвердить получение",
                 "Confirmar recepción", "Confirmar recebimento", "Confirmer la réception", "Erhalt bestätigen",
                 "Potwierdź odbiór", "Conferma ricezione", "Teslim alındı onayla", "수령 확인", "Ontvangst bevestigen",
                 "Confirm receipt of goods", "Confirmar entrega", "Confirmer réception", "수령확인",
                 "Подтвердить получение товара", "Cancel dispute", "İtirazı iptal et", "분쟁 취소"):
        assert any(norm(must) in {norm(p) for p in v} for k in data.values() for v in k.values()), must


def test_manifest_loads_every_content_script_once() -> None:
    manifest = json.loads((EXT / "manifest.json").read_text("utf-8"))
    listed = [js for cs in manifest["content_scripts"] for js in cs["js"]]
    assert len(listed) == len(set(listed))
    # Every one is a file of extension/ itself (nothing only a build makes), so the unpacked folder loads.
    assert all((EXT / name).is_file() for name in listed), [n for n in listed if not (EXT / n).is_file()]
    on_disk = {p.relative_to(EXT).as_posix() for p in CONTENT} | {"data/vocab.js", "lib/base.js"}
    assert set(listed) == on_disk, set(listed) ^ on_disk
    order = {name: i for i, name in enumerate(listed)}
    # The vocabulary and lib/base.js first (shared.js reads both), main.js last; the card finder (it reads
    # AW.vocab's page rules and order-id labels) before cards.js, which calls it.
    assert listed[:3] == ["data/vocab.js", "lib/base.js", "content/shared.js"]
    assert order["content/main.js"] == len(listed) - 1
    assert order["content/shared.js"] < order["content/find-cards.js"] < order["content/cards.js"]
    assert order["content/panel/kit.js"] < min(i for n, i in order.items() if n.startswith("content/panel/")
                                               and n != "content/panel/kit.js")


@pytest.mark.parametrize("path", CONTENT, ids=lambda p: p.relative_to(EXT).as_posix())
def test_content_scripts_never_parse_markup(path: Path) -> None:
    # Page text is untrusted: DOM is built with createElement/textContent only (report.js reads outerHTML
    # to send the page to the helper, which is reading, not parsing).
    code = path.read_text("utf-8")
    assert not re.search(r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|DOMParser|"
                         r"createContextualFragment|\beval\(|new Function\(", code), path
