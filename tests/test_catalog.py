"""The message catalogues (warnings) and draft templates: every language has every code, every key and the
same placeholders as English, and writes numbers, plurals and dates its own way."""
from __future__ import annotations

import json
import re
import string
from datetime import date
from pathlib import Path

import pytest

from aliwatch import advice, catalog, draft

LANGS = ["en", "ru", "es", "pt", "fr"]
CATALOG_DIR = Path(catalog.__file__).parent
DRAFTS_DIR = Path(draft.__file__).parent / "drafts"
CODES = [code for code, _, _ in advice.RULES]
NO_CLOCK = {code for code, _, kind in advice.RULES if kind is None} | advice._NO_DUE
# Which placeholders each catalogue field may use (advice._words fills exactly these).
ALLOWED = {"title": {"when", "days"}, "title_past": {"when", "days"}, "title_soon": {"when", "days"},
           "detail": {"date"}, "detail_past": {"date"}, "action": {"date"}, "action_past": {"date"}}
EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def raw(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))


def leaves(obj: object, path: str = "") -> dict[str, str]:
    """Every string in a JSON tree by its path ("admin.problem.damaged[1]")."""
    if isinstance(obj, dict):
        return {k: v for key, val in obj.items() for k, v in leaves(val, f"{path}.{key}" if path else key).items()}
    if isinstance(obj, list):
        return {k: v for i, val in enumerate(obj) for k, v in leaves(val, f"{path}[{i}]").items()}
    return {path: obj} if isinstance(obj, str) else {}


def test_the_required_languages_exist() -> None:
    assert set(LANGS) <= set(catalog.available())
    assert set(LANGS) <= set(draft.languages())
    assert set(draft.languages()) <= set(catalog.available()), "drafts take their date format from the catalogue"


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_has_every_warning_with_title_detail_action(lang: str) -> None:
    texts = raw(CATALOG_DIR / f"{lang}.json")
    assert texts["lang"] == lang
    assert set(texts["warnings"]) == set(CODES)
    en = raw(CATALOG_DIR / "en.json")
    for code in CODES:
        entry = texts["warnings"][code]
        assert set(entry) == set(en["warnings"][code]), f"{lang} {code}: same variants as English"
        for field, text in entry.items():
            assert text.strip(), f"{lang} {code}.{field} is empty"
            assert placeholders(text) == placeholders(en["warnings"][code][field]), f"{lang} {code}.{field}"
            assert placeholders(text) <= ALLOWED[field], f"{lang} {code}.{field}"
            if code in NO_CLOCK:
                assert not placeholders(text), f"{code} has no deadline to fill {field} with"


@pytest.mark.parametrize("lang", LANGS)
def test_actions_are_one_short_imperative_sentence(lang: str) -> None:
    for code, entry in raw(CATALOG_DIR / f"{lang}.json")["warnings"].items():
        for field in ("action", "action_past"):
            if field not in entry:
                continue
            text = entry[field]
            assert text.endswith("."), f"{lang} {code}.{field}"
            assert not re.search(r"[.!?]\s+\S", text), f"{lang} {code}.{field} is more than one sentence"
            assert len(text.split()) <= 16, f"{lang} {code}.{field} is not short"


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_structure_matches_english(lang: str) -> None:
    texts, en = raw(CATALOG_DIR / f"{lang}.json"), raw(CATALOG_DIR / "en.json")
    assert set(texts["kinds"]) == set(en["kinds"])
    assert set(texts["when"]) == set(en["when"])
    assert all(placeholders(texts["when"][k]) == placeholders(en["when"][k]) for k in en["when"])
    assert [s["id"] for s in texts["escalation"]] == ["bank_statement", "customer_service", "paypal_claim",
                                                      "chargeback"]
    assert len(texts["months"]) == 12 and len(set(texts["months"])) == 12
    assert placeholders(texts["date"]) == {"day", "month", "year"}
    rule = catalog.PLURAL_RULES[texts["plural"]]
    for unit in ("day", "hour", "minute"):
        forms = texts["units"][unit]
        for n in range(0, 250):
            assert rule(n) in forms, f"{lang} {unit}: no form {rule(n)!r} for {n}"
        assert all(placeholders(f) == {"n"} for f in forms.values())


def test_non_english_catalogues_carry_no_english_month_abbreviations() -> None:
    for lang in LANGS[1:]:
        months = raw(CATALOG_DIR / f"{lang}.json")["months"]
        assert not set(months) & set(EN_MONTHS), lang
        for month in range(1, 13):
            text = catalog.format_date(catalog.load(lang), date(2026, month, 15))
            assert not any(re.search(rf"\b{m}\b", text) for m in EN_MONTHS), (lang, text)


@pytest.mark.parametrize(("lang", "day", "expected"), [
    ("en", date(2026, 12, 1), "Dec 1, 2026"),
    ("ru", date(2026, 12, 1), "1 декабря 2026"),
    ("ru", date(2027, 5, 9), "9 мая 2027"),
    ("es", date(2026, 12, 1), "1 de diciembre de 2026"),
    ("pt", date(2026, 3, 14), "14 de março de 2026"),
    ("fr", date(2026, 12, 1), "1er décembre 2026"),
    ("fr", date(2026, 8, 2), "2 août 2026"),
])
def test_dates_are_written_the_languages_way(lang: str, day: date, expected: str) -> None:
    assert catalog.format_date(catalog.load(lang), day) == expected


@pytest.mark.parametrize(("lang", "n", "expected"), [
    ("ru", 1, "1 день"), ("ru", 2, "2 дня"), ("ru", 4, "4 дня"), ("ru", 5, "5 дней"), ("ru", 11, "11 дней"),
    ("ru", 12, "12 дней"), ("ru", 21, "21 день"), ("ru", 22, "22 дня"), ("ru", 111, "111 дней"),
    ("fr", 0, "0 jour"), ("fr", 1, "1 jour"), ("fr", 2, "2 jours"),
    ("en", 1, "1 day"), ("en", 0, "0 days"), ("pt", 3, "3 dias"), ("es", 1, "1 día"),
])
def test_plural_forms(lang: str, n: int, expected: str) -> None:
    assert catalog.count(catalog.load(lang), "day", n) == expected


@pytest.mark.parametrize(("tag", "expected"), [
    ("pt-BR", "pt"), ("PT_br", "pt"), ("ru", "ru"), ("fr-CA", "fr"), ("de", "en"), ("", "en"), (None, "en"),
    ("../../etc/passwd", "en"), ("en/../ru", "en"), ("r u", "en"),
])
def test_ui_language_tags_resolve_to_a_catalogue_never_a_path(tag, expected) -> None:
    assert catalog.resolve(tag) == expected
    assert catalog.load(tag)["lang"] == expected


# --- draft templates --------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_draft_templates_have_every_key_and_placeholder_of_english(lang: str) -> None:
    mine, en = leaves(raw(DRAFTS_DIR / f"{lang}.json")), leaves(raw(DRAFTS_DIR / "en.json"))
    assert set(mine) == set(en), f"{lang}: missing {set(en) - set(mine)}, extra {set(mine) - set(en)}"
    for key, text in mine.items():
        assert text.strip() or key == "number.group", f"{lang} {key} is empty"  # a group separator may be a space
        assert placeholders(text) == placeholders(en[key]), f"{lang} {key}"


def test_evidence_and_problem_tables_agree_with_the_templates() -> None:
    evidence = raw(Path(draft.__file__).parent / "evidence.json")
    problems = raw(DRAFTS_DIR / "problems.json")
    ids = evidence["items"]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[a-z_]+", i) for i in ids)
    assert set(evidence["kinds"]) == set(draft.PROBLEMS) == set(problems["kinds"])
    for kind, items in evidence["kinds"].items():
        assert items and set(items) <= set(ids), kind
        assert items == [i for i in ids if i in items], f"{kind}: listed in the checklist's order"
    for lang in LANGS:
        assert set(raw(DRAFTS_DIR / f"{lang}.json")["evidence"]) == set(ids), lang
        assert set(raw(DRAFTS_DIR / f"{lang}.json")["reasons"]) == set(draft.PROBLEMS), lang
    for kind, row in problems["kinds"].items():
        low, high = row["range"]
        assert 1 <= low <= row["percent"] <= high <= 100, kind
        assert row["outcomes"] and set(row["outcomes"]) <= set(draft.OUTCOMES), kind
    assert set(problems["default_by_status"].values()) <= set(draft.PROBLEMS)

