"""Where personal data sits in a page's tokens: contact and address blocks, the value after a personal label,
tracking-number columns, the header greeting, form fields and secrets."""

from __future__ import annotations

import html as htmllib

from aliwatch.report.personal import (_COLUMN_LABELS, _GREETING_CLASS, _LABELS, _PERSONAL_CLASS, _PERSONAL_DATA_PL,
                                      _PERSONAL_FIELD, _label_key)
from aliwatch.report.tokens import _FORM, _MAX_VALUE, _NOT_LABEL_PARENT, TEXT, _El, _Tok, _after_comma


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
