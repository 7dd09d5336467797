"""The page as tokens (tags, text, comments, raw text), never re-serialised, and a light tree over them to
read where personal data sits."""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass, field

from aliwatch.report.personal import _COMMA


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
