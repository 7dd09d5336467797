"""The language-guess index: first word → (language, the phrase as words, is it a status word/button/stage),
for every phrase table's status words, buttons, dispute stages, labels and event openings.

Building it loads and compiles all eleven phrase tables, which a page that says its language never needs, so
it is built ahead of time: `python3 build.py` writes `langguess_index.json` next to this module (shipped in
the wheel). At run time the file is used if its fingerprint (the bytes of the phrase tables, of text.py's
normaliser and of this module) still matches; otherwise, e.g. in a checkout whose tables changed since the
last build, the index is built in memory as before: slower, never wrong."""
from __future__ import annotations

import functools
import json
import os
import re
import zlib
from typing import Callable

_HERE = os.path.dirname(os.path.abspath(__file__))
INDEX_FILE = os.path.join(_HERE, "langguess_index.json")
WORDS = re.compile(r"[^\W\d_]+")

Index = dict[str, tuple[tuple[str, tuple[str, ...], bool], ...]]


def fold(text: str) -> str:
    from aliwatch.text import normalize

    return normalize(text).casefold()


def fingerprint() -> str:
    """What the index is made of: every phrase table, the normaliser (text.py) and this module. A CRC of their
    names and bytes (zlib is loaded anyway; hashlib would cost a cold start more than the check itself):
    it guards against stale builds, not against tampering."""
    from aliwatch import phrases

    tables = phrases._DIR  # where phrases.py reads the tables from (a test may point it at a copy)
    crc, size = 0, 0
    names = sorted(n for n in os.listdir(tables) if n.endswith(".json"))
    for path in [os.path.join(tables, n) for n in names] + [os.path.join(_HERE, "text.py"), __file__]:
        with open(path, "rb") as f:
            data = os.path.basename(path).encode() + b"\0" + f.read()
        crc, size = zlib.crc32(data, crc), size + len(data)
    return f"{crc:08x}-{size}"


def build_index() -> Index:
    """Words, not characters, so "d'expédition" and "d’expédition" are one phrase and no phrase matches
    inside a word."""
    from aliwatch import phrases

    index: dict[str, set[tuple[str, tuple[str, ...], bool]]] = {}
    for lang in phrases.available():
        table = phrases.load(lang)
        said = [(p, True) for p in (*table.status, *table.buttons, *table.stages)]
        said += [(p, False) for ps in table.labels.values() for p in ps]
        said += [(fold(re.split(r"\{|…", s.source.lstrip("^"), maxsplit=1)[0]), False) for s in table.events]
        for phrase, is_status in said:
            words = tuple(WORDS.findall(phrase))
            if words and sum(map(len, words)) >= 4:
                index.setdefault(words[0], set()).add((lang, words, is_status))
    return {w: tuple(sorted(entries)) for w, entries in sorted(index.items())}


def write_index(path: str = INDEX_FILE) -> str:
    """The build step: the index and its fingerprint as JSON (deterministic: same tables, same bytes)."""
    data = {"fingerprint": fingerprint(),
            "index": {w: [[lang, list(words), is_status] for lang, words, is_status in entries]
                      for w, entries in build_index().items()}}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
    tmp = f"{path}.{os.getpid()}.tmp"  # two builds at once (tests) each replace the file whole
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(tmp, path)
    return path


def read_index(path: str = INDEX_FILE) -> Index | None:
    """The built index, or None when there is none or it was built from other tables."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("fingerprint") != fingerprint():
        return None
    return {w: tuple((lang, tuple(words), bool(is_status)) for lang, words, is_status in entries)
            for w, entries in data["index"].items()}


def index() -> Index:
    """The index to guess with (read once: phrase_index)."""
    return read_index() or build_index()


@functools.lru_cache(maxsize=1)
def phrase_index() -> Index:
    """First word → (language, phrase words, is status) for every table (built at build time, see above)."""
    return index()


# --- choosing the table a page is read with --------------------------------------------------------------

_URL_LANG = re.compile(r"^(?:https?:)?//([a-z]{2})\.aliexpress\.")
_URL_RU = re.compile(r"^(?:https?:)?//[^/]*aliexpress\.ru")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
SAMPLE_CHARS = 20_000  # the header, the tabs and the first cards: enough words, bounded cost
_MIN_HITS = 2


def choose(hint: str | None, page_lang: str | None, url: str | None, sample: Callable[[], str]) -> tuple[str, bool]:
    """(the phrase table to read a page with, whether the page's language is known): the caller's hint,
    `<html lang>`, the URL's subdomain, then the page's own words (`sample()`, read only when needed). A page
    that names a language we have no table for is read with the closest table but not known."""
    from aliwatch import phrases

    for candidate in (hint, page_lang, lang_from_url(url)):
        resolved = phrases.resolve(candidate)
        if resolved:
            return resolved, True
    said = hint or page_lang
    guessed = lang_from_text(sample())
    if guessed:
        return guessed, not said
    return phrases.FALLBACK, False


def lang_from_url(url: str | None) -> str | None:
    if not url:
        return None
    m = _URL_LANG.match(url)
    if m and m.group(1) not in ("www",):
        return m.group(1)
    return "ru" if _URL_RU.match(url) else None


def lang_from_text(sample: str) -> str | None:
    """The table whose words the page says most often, if some of them are status words, buttons or dispute
    stages (labels alone are shared too widely: "Ordernummer" is Dutch and Swedish); failing that, the script
    (Hangul → ko, Cyrillic → ru). A tie or a near-empty page gives None: no table is better than a wrong one."""
    words = WORDS.findall(fold(sample))
    index = phrase_index()
    hits: dict[str, int] = {}
    status_hits: dict[str, int] = {}
    for i, word in enumerate(words):
        for lang, phrase, is_status in index.get(word, ()):
            if len(phrase) == 1 or tuple(words[i:i + len(phrase)]) == phrase:
                hits[lang] = hits.get(lang, 0) + 1
                status_hits[lang] = status_hits.get(lang, 0) + is_status
    ranked = sorted(hits.items(), key=lambda kv: kv[1], reverse=True) + [("", 0), ("", 0)]
    (best, n), (_, runner_up) = ranked[0], ranked[1]
    if n >= _MIN_HITS and n > runner_up and status_hits.get(best):
        return best
    if _HANGUL.search(sample):
        return "ko"
    if len(_CYRILLIC.findall(sample)) > 20:
        return "ru"
    return None


def visible_text(soup, limit: int = SAMPLE_CHARS) -> str:  # type: ignore[no-untyped-def]
    """The page's first `limit` characters of text: what bs4's `.strings` yields (the string types of the
    root's own kind, not script, style or comments), read with one exact type test per node instead of the
    generator's several isinstance checks: this runs on every cold start of a page that names no language."""
    root = soup.body or soup
    types = root.interesting_string_types or root.MAIN_CONTENT_STRING_TYPES
    exact = (types,) if isinstance(types, type) else types
    parts: list[str] = []
    size = 0
    for node in root.descendants:
        if type(node) in exact:
            parts.append(node)
            size += len(node)
            if size >= limit:
                break
    return " ".join(parts)
