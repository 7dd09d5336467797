"""Every shared fixture page against its truth.json, compared as tests/fixtures/README.md says."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from aliwatch.analysis import analyze_html
from helpers.fixtures import fixture_cases, load_case


def _analyze(name: str) -> tuple[dict, dict]:
    html, truth = load_case(name)
    result = analyze_html(html, url=truth["url"], now=datetime.fromisoformat(truth["now"]), tz=truth["tz"],
                          lang=truth["lang"])
    return result, truth


def _same_moment(reported: str, expected: str, tz: str) -> bool:
    at = datetime.fromisoformat(reported)
    if "T" in expected:
        return abs((at - datetime.fromisoformat(expected)).total_seconds()) <= 1
    return at.astimezone(ZoneInfo(tz)).date().isoformat() == expected


def test_every_shared_case_is_copied():
    assert len(fixture_cases()) >= 16


@pytest.mark.parametrize("name", fixture_cases())
def test_fixture_matches_truth(name):
    result, truth = _analyze(name)
    assert result["page"] == truth["page"]
    got = {o["order_id"]: o for o in result["orders"]}
    assert set(got) == set(truth["orders"]), "the set of order ids must equal the truth's"
    for oid, want in truth["orders"].items():
        order = got[oid]
        assert order["status"] == want["status"], oid
        if "deadlines" in want:
            kinds = {d["kind"]: d["at"] for d in order["deadlines"]}
            assert set(kinds) == set(want["deadlines"]), f"{oid}: deadline kinds {sorted(kinds)}"
            for kind, when in want["deadlines"].items():
                assert _same_moment(kinds[kind], when, truth["tz"]), f"{oid} {kind}: {kinds[kind]} vs {when}"
        codes = {w["code"]: w for w in order["warnings"]}
        for code in want.get("warnings", []):
            assert code in codes, f"{oid}: missing warning {code}"
        for code in want.get("absent_warnings", []):
            assert code not in codes, f"{oid}: unexpected warning {code}"
        for code, sev in want.get("severities", {}).items():
            assert codes[code]["severity"] == sev, f"{oid} {code}"
        if order["status"] == "unknown":
            assert any(p["code"] == "unknown_status" for p in order["problems"])
    if truth["page"] == "unknown":
        assert result["orders"] == [] and result["problems"]
