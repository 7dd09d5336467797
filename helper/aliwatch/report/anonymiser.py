"""The anonymiser: a page in, the same page out with its personal data replaced (see the package doc)."""

from __future__ import annotations

import hashlib
import html as htmllib
import re
import secrets
from dataclasses import dataclass

from aliwatch.report.fakes import _Faker
from aliwatch.report.personal import (_GENERIC, _GENERIC_RE, _ITEM_CONTEXT, _KEEP_ATTR, _KEEP_MAIL, _NEEDS_QUOTE,
                                      _PERSONAL_ATTRS, _SAVED_FROM, _SECRET_NAME, _SECRET_PARAM)
from aliwatch.report.reader import _Reader
from aliwatch.report.tokens import _ATTR, COMMENT, RAWTEXT, SCRIPT, START, TEXT, _Tok, _tokens, _tree

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
