"""Fakes of the same shape: letters by letters of the same script, digits by digits, length kept; the same
value always gets the same fake (per seed)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from itertools import count

from aliwatch.report.personal import _DIGIT_RUN, _RUNS


_ALPHABETS = {
    "LATIN": "abcdefghijklmnopqrstuvwxyz", "CYRILLIC": "абвгдежзиклмнопрстуфхцчшэюя",
    "GREEK": "αβγδεζηθικλμνξοπρστυφχψω", "ARABIC": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "HEBREW": "אבגדהוזחטיכלמנסעפצקרשת", "THAI": "กขคงจฉชซญดตถทธนบปผพฟภมยรลวสหอฮ",
}
_RANGES = [(0xAC00, 0xD7A3), (0x4E00, 0x9FFF), (0x3041, 0x3096), (0x30A1, 0x30FA)]  # Hangul, CJK, kana


def _fake_char(ch: str, n: int) -> str:
    o = ord(ch)
    for lo, hi in _RANGES:
        if lo <= o <= hi:
            return chr(lo + n % (hi - lo + 1))
    script = unicodedata.name(ch, "LATIN").split(" ", 1)[0]
    letters = _ALPHABETS.get(script, _ALPHABETS["LATIN"])
    fake = letters[n % len(letters)]
    return fake.upper() if ch.isupper() else fake


class _Faker:
    """Same value in, same fake out, for one page. Digits stay digits of the same length; a run of 9+ digits
    (an id) keeps its first digit and never becomes another id of the page or another fake."""

    def __init__(self, salt: bytes, originals: set[str]) -> None:
        self.salt = salt
        self.originals = originals
        self.digits: dict[str, str] = {}
        self.words: dict[str, str] = {}
        self._used_ids: set[str] = set()

    def _stream(self, kind: str, value: str, attempt: int, n: int) -> bytes:
        return hashlib.shake_256(self.salt + f"\0{kind}\0{value}\0{attempt}".encode("utf-8", "surrogatepass")).digest(n)

    def digit_run(self, run: str) -> str:
        fake = self.digits.get(run)
        if fake is not None:
            return fake
        long_id = len(run) >= 9
        for attempt in count():
            stream = self._stream("d", run, attempt, len(run))
            body = "".join(str(b % 10) for b in stream)
            if long_id:
                fake = run[0] + body[1:]
            elif run[0] != "0" and len(run) > 1:
                fake = str(1 + stream[0] % 9) + body[1:]
            else:
                fake = body
            if fake == run and attempt < 50:  # one digit has 1 chance in 10 of mapping to itself
                continue
            if not long_id or (fake not in self.originals and fake not in self._used_ids):
                break
        if long_id:
            self._used_ids.add(fake)
        self.digits[run] = fake
        return fake

    def ids(self) -> int:
        return len(self._used_ids)

    def word(self, word: str) -> str:
        fake = self.words.get(word)
        if fake is not None:
            return fake
        key = word.casefold()  # "Marina" and "MARINA" become the same fake, in their own case
        for attempt in range(50):
            stream = self._stream("w", key, attempt, 2 * len(word))
            fake = "".join(_fake_char(ch, int.from_bytes(stream[2 * k:2 * k + 2], "big")) for k, ch in enumerate(word))
            if fake.casefold() != key:
                break
        self.words[word] = fake
        return fake

    def text(self, text: str) -> str:
        """Every digit run and letter run replaced; spaces and punctuation kept."""
        return _RUNS.sub(self._run, text)

    def _run(self, m: re.Match) -> str:
        found = m.group()
        if m.lastgroup == "tracking":  # the carrier's letters say nothing about the buyer: keep them
            return _DIGIT_RUN.sub(lambda d: self.digit_run(d.group()), found)
        return self.digit_run(found) if found[0] in "0123456789" else self.word(found)
