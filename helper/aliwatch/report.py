"""`aliwatch report`: an anonymised copy of a saved AliExpress page, for bug reports.

The copy keeps the page byte for byte except where personal data sits. Names, phones, addresses, e-mails,
tracking numbers and long ids are replaced by fakes of the same shape (letters by letters of the same
script, digits by digits, length kept), the same value by the same fake everywhere (text, links,
attributes, comments), so order ids still match their links and the page analyses the same. Script bodies
are dropped (they can hold session tokens); styles, store names, product titles and AliExpress's own
wording are kept.

The page is read by a small tokenizer and never re-serialised by a parser, so nothing but personal data
changes. Where personal data sits is read by meaning from a light tree built on those tokens: contact and
address blocks (`data-pl="contact_info"`…), the value after a personal label ("Contact Name:", "Телефон",
"Zip code" in a `<dt>`), tracking-number columns, the header greeting; plus patterns anywhere (e-mails,
`+` phone numbers, masked names like `A***`, runs of 9+ digits)."""
from __future__ import annotations

import argparse
import hashlib
import html as htmllib
import re
import secrets
import sys
import unicodedata
from dataclasses import dataclass, field
from itertools import count

# --- what is personal ------------------------------------------------------------------------------------


def _personal_labels() -> tuple[frozenset[str], frozenset[str]]:
    """(labels whose value is personal, tracking labels that head a column of personal cells), from every
    phrase table's `personal_labels`: adding a language adds its labels. A label is a whole text node (NFKC,
    case-folded, trailing colon dropped) or the start of one ("Mobile: 5550100000"). Status-like labels
    ("Estado", "State") are left out on purpose: their value is what the parser reads."""
    from aliwatch import phrases

    value: set[str] = set()
    column: set[str] = set()
    for lang in phrases.available():
        labels = phrases.table(lang).get("personal_labels", {})
        value.update(_label_key(x) for x in labels.get("value", []))
        column.update(_label_key(x) for x in labels.get("column", []))
    return frozenset(value | column), frozenset(column)


# Blocks whose whole text is personal (labels inside them excepted).
_PERSONAL_DATA_PL = re.compile(r"contact_?(?:info|name|person|phone)|address|receiver|consignee|recipient"
                               r"|buyer_?(?:name|info)|phone|mobile|e-?mail", re.IGNORECASE)
_PERSONAL_CLASS = re.compile(r"contact[-_]info|receiver|consignee|recipient|buyer[-_]info|user[-_]address"
                             r"|address[-_](?:info|detail|text|content)", re.IGNORECASE)
_GREETING_CLASS = re.compile(r"welcome|account[-_]?name|nick[-_]?name|user[-_]?nick|greeting", re.IGNORECASE)
# Form fields holding personal data, by name or id.
_PERSONAL_FIELD = re.compile(r"name|phone|mobile|e-?mail|address|zip|post(?:al)?code|receiver|contact|tracking",
                             re.IGNORECASE)
# Attributes that repeat a personal element's text.
_PERSONAL_ATTRS = frozenset({"value", "title", "alt", "aria-label", "data-clipboard-text", "data-copy",
                             "data-value", "data-text"})
# Names of fields, meta tags and URL parameters whose value is a secret or a user id: emptied.
_SECRET_NAME = re.compile(r"token|csrf|xsrf|session|secret|passw|auth|cookie|^(?:sid|sign|uid|userid|user_id"
                          r"|memberid|member_id|mid|loginid|login_id|nick|nickname|buyerid|buyer_id|ali_apache_id"
                          r"|ali_apache_track|ali_beacon_id|cna|email|phone|mobile)$", re.IGNORECASE)
_SECRET_PARAM = re.compile(r"(^|[?&;|])([\w.\-]+)=([^&#;|\s\"']*)")
# Numeric attributes the parser reads as numbers (legacy `lefttime` countdowns in ms), and markup-only ones.
_KEEP_ATTR = re.compile(r"^(?:class|style|width|height|size|colspan|rowspan|tabindex)$|lefttime|datetime"
                        r"|(?:^|[-_])(?:time|date|left|count|countdown|price|amount|spm)(?:$|[-_])"
                        r"|^(?:data-)?(?:product|item)_?ids?$", re.IGNORECASE)
# Product ids are public catalogue numbers (kept, like product titles).
_ITEM_CONTEXT = re.compile(r"(?:/item/|(?:product|item)_?ids?=)$", re.IGNORECASE)
# Mail of AliExpress itself is wording, not the user's.
_KEEP_MAIL = re.compile(r"@(?:[\w-]+\.)*(?:aliexpress|alibaba|alibaba-inc|alicdn)\.com$", re.IGNORECASE)

# Starts only where a run starts: a long run without "@" (a base64 image) is scanned once, not once per char.
_EMAIL = r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
_PHONE = r"\+(?:[0-9][ \u00a0.()\-]{0,2}){6,14}[0-9]"  # international numbers: 7-15 digits after the +
_MASKED = r"(?<![\w*])[^\W_]{0,4}\*{2,}[^\W_]{0,4}(?![\w*])"  # "A***", "b***r", "****1234"
_TRACKING = r"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{9,}[A-Z]{0,2}(?![A-Za-z0-9])"  # LP00137720945518, UB123456789CN
# Order, dispute and store ids, bare phones. Not after a hex digit: "…fc73388149161065fb9q.jpg" is an image hash.
_LONG_DIGITS = r"(?<![0-9A-Fa-f])[0-9]{9,}(?![0-9])"
# aliexpress.ru prints order ids in groups: "5386 2471 0935 1128" gets the same fake as 5386247109351128.
_GROUPED_ID = r"(?<![0-9])[0-9]{2,4}(?:[ \u00a0][0-9]{4}){3}(?![0-9])"
_GENERIC = (f"(?P<email>{_EMAIL})|(?P<phone>{_PHONE})|(?P<tracking>{_TRACKING})|(?P<masked>{_MASKED})"
            f"|(?P<grouped>{_GROUPED_ID})|(?P<digits>{_LONG_DIGITS})")
_GENERIC_RE = re.compile(_GENERIC)
# What a fake replaces in personal text: digit runs and letter runs; a tracking number keeps its letters.
_RUNS = re.compile(f"(?P<tracking>{_TRACKING})|[0-9]+|[^\\W_0-9]+")
_DIGIT_RUN = re.compile(r"[0-9]+")
_COMMA = re.compile(r"[,，、]")
_NEEDS_QUOTE = re.compile(r"[\s\"'=<>`]|^$")
_SAVED_FROM = re.compile(r"^<!--(\s*saved from url=)\((\d+)\)(\S+?)(\s*-->)$", re.IGNORECASE | re.DOTALL)

# --- tokens ------------------------------------------------------------------------------------------------

TEXT, START, END, COMMENT, OTHER, SCRIPT, STYLE, RAWTEXT = range(8)
_TOKEN = re.compile(r"""
    (?P<comment><!--.*?(?:--!?>|\Z))
  | (?P<other><![^>]*>?|<\?[^>]*>?)
  | (?P<tag></?[A-Za-z][^\s/>]*(?:[\s/]+|[^\s/>=][^\s/>=]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?|=)*>?)
  | (?P<text>[^<]+|<)
""", re.DOTALL | re.VERBOSE)
_TAG_NAME = re.compile(r"</?([^\s/>]+)")
_ATTR = re.compile(r"""([^\s/>=][^\s/>=]*)(?:(\s*=\s*)("[^"]*"|'[^']*'|[^\s>]+))?""")
# Elements whose content is not markup. Script bodies are dropped, style bodies kept as they are, the rest
# is text (title and textarea decode entities; the others do not).
_RAW = {"script": SCRIPT, "style": STYLE, "title": TEXT, "textarea": TEXT, "xmp": RAWTEXT, "iframe": RAWTEXT,
        "noembed": RAWTEXT, "noframes": RAWTEXT, "plaintext": RAWTEXT}
_VOID = frozenset("area base basefont bgsound br col embed frame hr img input keygen link meta param source "
                  "track wbr".split())
# An open element that a new start tag closes implicitly (HTML's optional end tags).
_CLOSES = {"li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "p": {"p"}, "option": {"option"},
           "tr": {"tr", "td", "th"}, "td": {"td", "th"}, "th": {"td", "th"},
           **{k: {"thead", "tbody", "tfoot", "tr", "td", "th"} for k in ("thead", "tbody", "tfoot")}}
_MAX_VALUE = 600  # visible characters: longer than any name, phone or address a label introduces
_NOT_LABEL_PARENT = frozenset({"a", "button", "option", "select", "textarea", "title"})
_FORM = frozenset({"input", "select", "textarea", "button"})


@dataclass
class _Tok:
    kind: int
    raw: str
    name: str = ""  # tags: lower-case element name
    attrs: dict[str, str] = field(default_factory=dict)  # start tags: name -> decoded value


def _tokens(page: str) -> list[_Tok]:
    toks: list[_Tok] = []
    pos, n = 0, len(page)
    while pos < n:
        m = _TOKEN.match(page, pos)
        kind, raw = m.lastgroup, m.group()
        pos = m.end()
        if kind == "text":
            if toks and toks[-1].kind == TEXT and not toks[-1].name:
                toks[-1].raw += raw  # "a < b" is one text node
            else:
                toks.append(_Tok(TEXT, raw))
        elif kind == "comment":
            toks.append(_Tok(COMMENT, raw))
        elif kind == "other":
            toks.append(_Tok(OTHER, raw))
        else:
            name = _TAG_NAME.match(raw).group(1).lower()
            if raw.startswith("</"):
                toks.append(_Tok(END, raw, name))
                continue
            attrs = {}
            for a in _ATTR.finditer(raw, 1 + len(name)):
                value = a.group(3) or ""
                if value[:1] in ("'", '"'):
                    value = value[1:-1]
                attrs.setdefault(a.group(1).lower(), htmllib.unescape(value))
            toks.append(_Tok(START, raw, name, attrs))
            body_kind = _RAW.get(name)
            if body_kind is not None and not raw.endswith("/>"):
                end = len(page) if name == "plaintext" else _end_of(page, name, pos)
                # name marks a body token, so a following text token is never merged into it
                toks.append(_Tok(body_kind, page[pos:end], "#body"))
                pos = end
    return toks


def _after_comma(text: str) -> tuple[int, int] | None:
    """The span of what follows a greeting's first comma, blanks stripped ("Hi, b***r" → "b***r"); None when
    nothing does. Plain string work: a lazy `\\s*(\\S.*?)\\s*$` was quadratic on a long blank run."""
    m = _COMMA.search(text)
    if not m:
        return None
    rest = text[m.end():]
    start = m.end() + len(rest) - len(rest.lstrip())
    end = m.end() + len(rest.rstrip())
    return (start, end) if end > start else None


def _end_of(page: str, name: str, pos: int) -> int:
    m = re.compile(rf"</{name}(?=[\s/>]|\Z)", re.IGNORECASE).search(page, pos)
    return m.start() if m else len(page)


# --- a light tree over the tokens, to read where personal data sits ------------------------------------

@dataclass(eq=False)
class _El:
    name: str
    attrs: dict[str, str]
    parent: _El | None
    tag: int = -1  # index of its start tag token
    pos: int = 0  # its index in parent.children
    prev: _El | None = None  # the element before it under the same parent
    children: list = field(default_factory=list)  # _El, or int: the index of a text token
    last: _El | None = None  # while building: the last element child


def _tree(toks: list[_Tok]) -> tuple[_El, list[_El], dict[int, int]]:
    """(root, elements in document order, text token -> its index in its parent's children)."""
    root = _El("#root", {}, None)
    stack, elements, text_pos = [root], [], {}
    for i, tok in enumerate(toks):
        if tok.kind == TEXT:
            text_pos[i] = len(stack[-1].children)
            stack[-1].children.append(i)
        elif tok.kind == START:
            closes = _CLOSES.get(tok.name)
            while closes and len(stack) > 1 and stack[-1].name in closes:
                stack.pop()
            parent = stack[-1]
            el = _El(tok.name, tok.attrs, parent, i, len(parent.children), parent.last)
            parent.children.append(el)
            parent.last = el
            elements.append(el)
            if tok.name not in _VOID and not tok.raw.endswith("/>"):
                stack.append(el)
        elif tok.kind == END:
            for j in range(len(stack) - 1, 0, -1):
                if stack[j].name == tok.name:
                    del stack[j:]
                    break
    return root, elements, text_pos


def _label_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split()).rstrip(":：").strip()


_LABELS, _COLUMN_LABELS = _personal_labels()


class _Reader:
    """Marks the text tokens (whole, or spans of them) and the elements that hold personal data."""

    def __init__(self, toks: list[_Tok], text_pos: dict[int, int]) -> None:
        self.toks = toks
        self.text_pos = text_pos
        self.plain = {i: htmllib.unescape(t.raw) for i, t in enumerate(toks) if t.kind == TEXT}
        self.whole: set[int] = set()
        self.spans: dict[int, list[tuple[int, int]]] = {}
        self.personal_tags: set[int] = set()  # start tags whose attributes repeat personal text
        self._rows: set[_El] = set()  # rows that held a personal label and its value
        self._marked: set[_El] = set()
        self._greeted: set[_El] = set()

    def read(self, root: _El, elements: list[_El]) -> None:
        for el in elements:  # document order: a continuation row comes after the row it continues
            classes = el.attrs.get("class", "")
            if _PERSONAL_DATA_PL.search(el.attrs.get("data-pl", "")) or _PERSONAL_CLASS.search(classes):
                self._mark(el)
            elif _GREETING_CLASS.search(classes):
                for i in self._texts_once(el, self._greeted):
                    self._greeting(i)
            if el.name == "input" and _PERSONAL_FIELD.search(el.attrs.get("name", "") + " " + el.attrs.get("id", "")):
                self.personal_tags.add(el.tag)
            self._blank_label(el)
            for child in el.children:
                if isinstance(child, int):
                    self._label(child, el)
        for child in root.children:
            if isinstance(child, int):
                self._label(child, root)

    # A personal label, and the value that follows it.
    def _label(self, i: int, parent: _El) -> None:
        if parent.name in _NOT_LABEL_PARENT:
            return
        text = self.plain[i]
        key = _label_key(text)
        if key in _LABELS:
            cell = parent if parent.name == "th" or parent.parent is None else parent.parent
            if key in _COLUMN_LABELS and self._column(cell):
                return
            self._value_after(i, parent)
            return
        # "Mobile: 5550100000" in one text node. Found without a regex: on a long run of spaces every
        # pattern for "label, colon, value" backtracks quadratically.
        colon = next((k for k, c in enumerate(text[:64]) if c in ":："), -1)
        if colon > 0 and _label_key(text[:colon]) in _LABELS:
            start = colon + 1 + (len(text) - colon - 1 - len(text[colon + 1:].lstrip()))
            end = len(text[:start]) + len(text[start:].rstrip())
            if end > start:
                self.spans.setdefault(i, []).append((start, end))

    def _value_after(self, node: int | _El, container: _El) -> None:
        # Climb through wrappers that hold only the label (<label>Contact Name:</label><span>value</span>).
        for _ in range(3):
            sib = self._next_sibling(node, container)
            if sib is not None:
                if sib is not False and self._small(sib):
                    self._mark(sib)
                    self._rows.add(container)
                return
            if container.parent is None or container.name in ("a", "button", "body", "html"):
                return
            node, container = container, container.parent

    def _next_sibling(self, node: int | _El, container: _El):
        """The next non-blank sibling; False when what follows is a form field or another label (no value)."""
        start = self.text_pos[node] if isinstance(node, int) else node.pos
        for child in container.children[start + 1:]:
            if isinstance(child, int):
                if self.plain[child].strip():
                    return child
                continue
            if child.name in _FORM:
                return False
            text = self._text(child, 100)
            if not text.strip():
                continue
            return False if _label_key(text) in _LABELS else child
        return None

    def _blank_label(self, el: _El) -> None:
        """A label cell left blank continues the personal row above it (the legacy address's second line)."""
        if not (el.name in ("label", "dt", "th") or "label" in el.attrs.get("class", "")):
            return
        row = el.parent
        if row is None or row.parent is None or self._text(el, 1).strip():
            return
        if row.prev is not None and row.prev in self._rows:
            sib = self._next_sibling(el, row)
            if sib not in (None, False) and self._small(sib):
                self._mark(sib)
                self._rows.add(row)

    def _small(self, value: int | _El) -> bool:
        """A label's value is a name, a number, an address: a block longer than any of them that follows a
        label is the page going on (a broken layout), and replacing it would lose what the parser reads."""
        return isinstance(value, int) or len("".join(self._text(value, _MAX_VALUE + 1).split())) <= _MAX_VALUE

    def _column(self, cell: _El) -> bool:
        """A tracking-number column header: mark that column's cells in the table body. False if not a header."""
        row = cell.parent
        if cell.name != "th" or row is None or row.name != "tr":
            return False
        cells = [c for c in row.children if isinstance(c, _El) and c.name in ("th", "td")]
        if any(c.name == "td" for c in cells):
            return False  # a row header: its value is the next cell
        index = cells.index(cell)
        table = row
        while table is not None and table.name != "table":
            table = table.parent
        if table is None:
            return False
        for tr in self._rows_of(table):
            tds = [c for c in tr.children if isinstance(c, _El) and c.name in ("th", "td")]
            if tr is not row and index < len(tds) and tds[index].name == "td":
                self._mark(tds[index])
        return True

    def _rows_of(self, table: _El):
        for child in table.children:
            if isinstance(child, _El):
                if child.name == "tr":
                    yield child
                elif child.name in ("thead", "tbody", "tfoot"):
                    yield from self._rows_of(child)

    def _greeting(self, i: int) -> None:
        text = self.plain[i]
        span = _after_comma(text)
        if span:
            self.spans.setdefault(i, []).append(span)
        elif text.strip() and "*" not in text:
            self.whole.add(i)  # no comma and nothing masked: the whole greeting may be the name

    def _mark(self, node: int | _El) -> None:
        if isinstance(node, int):
            self.whole.add(node)
            return
        for i in self._texts_once(node, self._marked):
            if _label_key(self.plain[i]) not in _LABELS:
                self.whole.add(i)

    def _texts_once(self, el: _El, visited: set[_El]) -> list[int]:
        """The text tokens under el, skipping subtrees already visited: nested blocks cost one walk.
        Start tags met on the way are recorded as personal when `visited` is the marked set."""
        out, stack = [], [el]  # without recursion: pages nest deeper than Python's stack
        while stack:
            cur = stack.pop()
            if cur in visited:
                continue
            visited.add(cur)
            if visited is self._marked and cur.tag >= 0:
                self.personal_tags.add(cur.tag)
            for child in cur.children:
                if isinstance(child, int):
                    out.append(child)
                else:
                    stack.append(child)
        return out

    def _text(self, el: _El, enough: int) -> str:
        """el's text, or its start once it has `enough` visible characters (all a label test needs)."""
        out, seen, stack = [], 0, [iter(el.children)]
        while stack and seen < enough:
            for child in stack[-1]:
                if isinstance(child, int):
                    out.append(self.plain[child])
                    seen += len(self.plain[child].strip())
                    if seen >= enough:
                        break
                else:
                    stack.append(iter(child.children))
                    break
            else:
                stack.pop()
        return "".join(out)

    def values(self) -> set[str]:
        """The personal strings found, for replacing the same string wherever else it appears."""
        out = {self.plain[i].strip() for i in self.whole}
        for i, spans in self.spans.items():
            out.update(self.plain[i][a:b].strip() for a, b in spans)
        return out


# --- fakes ----------------------------------------------------------------------------------------------

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


# --- the anonymiser -------------------------------------------------------------------------------------

@dataclass
class Stats:
    ids: int = 0  # distinct long digit runs replaced (order, dispute, store ids, phones, tracking digits)
    personal: int = 0  # text nodes with personal data replaced
    scripts: int = 0  # script bodies dropped
    secrets: int = 0  # tokens and user ids emptied in attributes and links


class Anonymiser:
    """One page's replacements. Use one instance for a page and its URL, so both get the same fakes."""

    def __init__(self, seed: str | None = None) -> None:
        salt = hashlib.sha256(seed.encode("utf-8")).digest() if seed is not None else secrets.token_bytes(32)
        self.fakes = _Faker(salt, set())
        self.stats = Stats()
        self._values_re: re.Pattern | None = None

    # Generic patterns and the page's personal strings, in one pass so nothing is replaced twice.
    def _generic(self, text: str) -> str:
        rx = self._values_re or _GENERIC_RE
        return rx.sub(lambda m: self._one(m, text), text)

    def _one(self, m: re.Match, text: str) -> str:
        kind, found = m.lastgroup, m.group()
        if kind == "email" and _KEEP_MAIL.search(found):
            return found
        if kind == "phone" and sum(c.isdigit() for c in found) < 7:
            return found
        if kind == "masked" and not any(c.isalnum() for c in found):
            return found
        if kind == "grouped":
            fake = iter(self.fakes.digit_run("".join(c for c in found if c.isdigit())))
            return "".join(next(fake) if c.isdigit() else c for c in found)
        if kind == "digits":
            if _ITEM_CONTEXT.search(text[max(0, m.start() - 12):m.start()]):
                return found
            return self.fakes.digit_run(found)
        return self.fakes.text(found)  # a tracking number keeps its letters there too

    def _blank_secrets(self, value: str) -> str:
        def blank(m: re.Match) -> str:
            if m.group(3) and _SECRET_NAME.search(m.group(2)):
                self.stats.secrets += 1
                return f"{m.group(1)}{m.group(2)}="
            return m.group()

        return _SECRET_PARAM.sub(blank, value) if "=" in value else value

    def url(self, url: str) -> str:
        """A page address with the same fakes as the page (call after page())."""
        return self._generic(self._blank_secrets(url))

    def page(self, page: str, url: str | None = None) -> str:
        """The anonymised page. With `url`, a page without a "saved from" stamp gets one (with the
        anonymised address), so `aliwatch analyze` finds the page kind in the copy alone."""
        self.fakes.originals.update(re.findall(r"[0-9]{9,}", page))
        if url:
            self.fakes.originals.update(re.findall(r"[0-9]{9,}", url))
        toks = _tokens(page)
        root, elements, text_pos = _tree(toks)
        reader = _Reader(toks, text_pos)
        reader.read(root, elements)
        self._values_re = _with_values(reader.values())
        out = [self._emit(i, tok, reader) for i, tok in enumerate(toks)]
        if url and not any(t.kind == COMMENT and _SAVED_FROM.match(t.raw) for t in toks[:20]):
            anon = self.url(url)
            out.insert(0, f"<!-- saved from url=({len(anon):04d}){anon} -->\n")
        self.stats.ids = self.fakes.ids()
        return "".join(out)

    def _emit(self, i: int, tok: _Tok, reader: _Reader) -> str:
        if tok.kind == TEXT:
            return self._text(reader.plain[i], tok.raw, i in reader.whole, reader.spans.get(i))
        if tok.kind == START:
            return self._tag(tok, i in reader.personal_tags)
        if tok.kind == SCRIPT:
            self.stats.scripts += bool(tok.raw.strip())
            return ""
        if tok.kind == COMMENT:
            saved = _SAVED_FROM.match(tok.raw)
            if saved:
                anon = self.url(saved.group(3))
                return f"<!--{saved.group(1)}({len(anon):0{len(saved.group(2))}d}){anon}{saved.group(4)}"
            return self._generic(self._blank_secrets(tok.raw))
        if tok.kind == RAWTEXT:
            return self._generic(tok.raw)
        return tok.raw  # END, OTHER (doctype), STYLE

    def _text(self, plain: str, raw: str, whole: bool, spans: list[tuple[int, int]] | None) -> str:
        if not (whole or spans):
            # Patterns never match inside a character reference, so the raw text is rewritten as it is:
            # bytes that are not replaced stay exactly as they were.
            return self._generic(raw)
        if whole:
            new = self.fakes.text(plain)
        else:
            parts, last = [], 0
            for a, b in sorted(spans):
                if a < last:
                    continue
                parts += [self._generic(plain[last:a]), self.fakes.text(plain[a:b])]
                last = b
            new = "".join(parts) + self._generic(plain[last:])
        if new == plain:
            return raw
        self.stats.personal += 1
        return htmllib.escape(new, quote=False)

    def _tag(self, tok: _Tok, personal: bool) -> str:
        name_end = 1 + len(tok.name)
        secret_field = tok.name in ("input", "meta") and any(
            _SECRET_NAME.search(tok.attrs.get(a, "")) for a in ("name", "id", "property", "http-equiv"))

        def attr(m: re.Match) -> str:
            if m.group(3) is None:
                return m.group()
            name, value = m.group(1).lower(), m.group(3)
            quote = value[0] if value[0] in "'\"" else ""
            raw = value[1:-1] if quote else value
            if secret_field and name in ("value", "content") or _SECRET_NAME.search(name) and raw:
                self.stats.secrets += 1
                new = ""
            elif _KEEP_ATTR.search(name):
                return m.group()
            elif personal and name in _PERSONAL_ATTRS:
                new = htmllib.escape(self.fakes.text(htmllib.unescape(raw)), quote=False)
            else:
                new = self._generic(self._blank_secrets(raw))  # on the raw value, as for text
            if new == raw:
                return m.group()
            if not quote and _NEEDS_QUOTE.search(new):
                quote = '"'
            if quote:
                new = new.replace(quote, "&quot;" if quote == '"' else "&#39;")
            return f"{m.group(1)}{m.group(2)}{quote}{new}{quote}"

        return tok.raw[:name_end] + _ATTR.sub(attr, tok.raw[name_end:])


def _with_values(values: set[str]) -> re.Pattern:
    """The generic patterns plus the page's personal strings long enough to look for elsewhere."""
    kept = sorted((v for v in values if len(v) >= 5 and (sum(c.isalpha() for c in v) >= 3
                                                          or sum(c.isdigit() for c in v) >= 7)),
                  key=len, reverse=True)
    if not kept:
        return _GENERIC_RE
    alternation = "|".join(re.escape(v) for v in kept)
    return re.compile(f"(?P<value>(?<!\\w)(?:{alternation})(?!\\w))|{_GENERIC}")


def anonymise(html: str, seed: str | None = None, *, url: str | None = None) -> str:
    """The page with its personal data replaced (see the module doc). Same seed, same output; without one,
    a random salt, so two runs give different fakes."""
    return Anonymiser(seed).page(html, url)


# --- taught words -----------------------------------------------------------------------------------------

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


# --- CLI ------------------------------------------------------------------------------------------------

def run(args: argparse.Namespace) -> int:
    from aliwatch.commands.pages import load_page

    source = load_page(args.page)  # refuses empty, binary and non-page files like analyze and draft
    if source is None:
        return 2
    if args.output != "-" and args.page != "-":
        import os

        if os.path.exists(args.output) and os.path.samefile(args.page, args.output):
            print("aliwatch: the output would overwrite the page; choose another -o", file=sys.stderr)
            return 2
    # The copy is written in the page's own encoding, so its <meta charset> stays true (characters the
    # encoding lacks become character references). An MHTML file gives its HTML page only.
    anonymiser = Anonymiser(args.seed)
    out = anonymiser.page(source.text, args.url or source.url)
    words = taught_words(source.text, args.url or source.url, _stored_overrides())
    out = with_taught_words(out, words)
    try:
        if args.output == "-":
            sys.stdout.flush()
            sys.stdout.buffer.write(out.encode(source.charset, errors="xmlcharrefreplace"))
            sys.stdout.buffer.flush()
        else:
            with open(args.output, "w", encoding=source.charset, errors="xmlcharrefreplace", newline="") as f:
                f.write(out)
    except OSError as exc:
        print(f"aliwatch: cannot write {args.output}: {exc.strerror}", file=sys.stderr)
        return 2
    s = anonymiser.stats
    where = "stdout" if args.output == "-" else args.output
    print(f"aliwatch: wrote {where}: {s.ids} ids and numbers replaced, {s.personal} personal text fields, "
          f"{s.scripts} scripts emptied, {s.secrets} tokens removed. Check it before you share it.",
          file=sys.stderr)
    if words:
        print(f"aliwatch: {len(words)} word(s) you taught AliWatch are named at the top of the copy.", file=sys.stderr)
    return 0


def _stored_overrides() -> dict:
    from aliwatch.commands.phrases import stored_overrides

    return stored_overrides()


# --- native messaging -----------------------------------------------------------------------------------

def report_messages(req_id: object, page: str, url: str | None = None, *, limit: int | None = None,
                    seed: str | None = None, overrides: dict | None = None) -> list[dict]:
    """The `report` reply: the anonymised page in as many parts as the 1 MiB a host may send needs.

    Each part is {"type": "report", "id", "part", "parts", "html", ["url"]}; the parts' `html` strings
    concatenated are the page. Raises MessageTooLarge when even a part with no html is over the limit."""
    from aliwatch.host.codec import MAX_OUTBOUND, MessageTooLarge, dumps

    limit = MAX_OUTBOUND if limit is None else limit
    anonymiser = Anonymiser(seed)
    out = with_taught_words(anonymiser.page(page, url), taught_words(page, url, overrides))
    head: dict = {"type": "report", "id": req_id}
    if url:
        head["url"] = anonymiser.url(url)
    widest = max(1, len(out))  # part numbers never exceed the characters, so this sizes them from above

    def size(chunk: str) -> int:
        return len(dumps({**head, "part": widest, "parts": widest, "html": chunk}))

    empty = size("")
    if empty > limit:
        raise MessageTooLarge(empty)
    chunks: list[str] = []
    start = 0
    while start < len(out):
        end = min(len(out), start + limit)  # a character is at least one byte
        while (n := size(out[start:end])) > limit:
            if end - start == 1:
                raise MessageTooLarge(n)  # a limit too small for one escaped character
            # Shrink in proportion to the overshoot (escapes and UTF-8 make bytes > characters).
            end = start + max(1, min(end - start - 1, (end - start) * (limit - empty) // (n - empty)))
        chunks.append(out[start:end])
        start = end
    chunks = chunks or [""]
    return [{**head, "part": k, "parts": len(chunks), "html": c} for k, c in enumerate(chunks, start=1)]
