"""Reading the PAGE argument of a subcommand (a file, or '-' for stdin) the way browsers save pages:

- HTML ("Webpage, HTML only" and "Webpage, complete", whose `_files` folder is never needed): decoded by
  its byte-order mark, else the charset it declares (`<meta charset=windows-1251>` on legacy .ru pages),
  else UTF-8;
- MHTML (Chrome's "Save as single file", .mhtml/.mht): the MIME message's text/html part, its
  quoted-printable or base64 undone and its charset applied; its Snapshot-Content-Location is the page's
  address;
- anything else (PDF, zip, images, other binary data, an empty file) is refused with a stable code, so a
  wrong file is never analysed as an empty AliExpress page.

One place for these errors: each command prints `aliwatch: PAGE: message (code)` and exits 2."""
from __future__ import annotations

import codecs
import re
import sys
from dataclasses import dataclass

SNIFF = 4096  # bytes looked at for a signature, a declared charset, or NULs
# Magic numbers of the files people pick by mistake: (prefix, what it is).
_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (or a .docx/.xlsx/.odt, which are zips)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# <meta charset="x"> and <meta http-equiv="Content-Type" content="text/html; charset=x">, in any order.
_META_CHARSET = re.compile(rb"<meta\b[^>]{0,512}?\bcharset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})", re.IGNORECASE)
# An MHTML file starts with its MIME headers; the first lines say so.
_MHTML_HEAD = re.compile(rb"\A(?:[\x21-\x39\x3b-\x7e]+:[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*){1,40}?", re.ASCII)
_MULTIPART = re.compile(rb"^content-type:\s*multipart/related", re.IGNORECASE | re.MULTILINE)


class PageError(ValueError):
    """A PAGE that cannot be read as a web page. `code` is stable (scripts may match on it)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Page:
    text: str
    charset: str  # how the HTML was encoded (report writes its copy back in it)
    format: str  # "html" or "mhtml"
    url: str | None = None  # from an MHTML's headers


def declared_charset(data: bytes) -> str | None:
    """The charset the HTML declares in its first bytes, if Python knows it."""
    m = _META_CHARSET.search(data[:SNIFF])
    if not m:
        return None
    name = m[1].decode("ascii").strip().lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(data: bytes) -> tuple[str, str]:
    """(text, charset): byte-order mark, then the declared charset, then UTF-8 (bad bytes replaced)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name
    charset = declared_charset(data) or "utf-8"
    if charset in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):  # declared in ASCII bytes: it is not
        charset = "utf-8"
    return data.decode(charset, errors="replace"), charset


def _is_mhtml(data: bytes) -> bool:
    head = data[:SNIFF]
    return bool(_MHTML_HEAD.match(head)) and bool(_MULTIPART.search(head))


def read_mhtml(data: bytes) -> Page:
    """The text/html part of an MHTML file (the page itself; the rest are its images and styles)."""
    import email
    from email import policy

    message = email.message_from_bytes(data, policy=policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset()
            try:
                charset = codecs.lookup(charset).name if charset else None
            except LookupError:
                charset = None
            if charset:
                text = payload.decode(charset, errors="replace")
            else:
                text, charset = decode_html(payload)
            url = message.get("Snapshot-Content-Location") or part.get("Content-Location")
            return Page(text, charset, "mhtml", str(url).strip() if url else None)
    raise PageError("no_html_part", "is an MHTML file without an HTML page in it")


def parse_page_bytes(data: bytes) -> Page:
    """Raises PageError for what is not a saved web page."""
    if not data.strip():
        raise PageError("empty_page", "is empty")
    for prefix, what in _SIGNATURES:
        if data.startswith(prefix):
            raise PageError("unsupported_format", f"is {what}, not a saved web page")
    if _is_mhtml(data):
        return read_mhtml(data)
    if not any(data.startswith(bom) for bom, _ in _BOMS) and b"\x00" in data[:SNIFF]:
        raise PageError("unsupported_format", "is binary data, not a saved web page")
    text, charset = decode_html(data)
    return Page(text, charset, "html")


def read_page(path: str) -> bytes | None:
    """The file's bytes, or None after a one-line error on stderr (the caller exits 2)."""
    try:
        if path == "-":
            return sys.stdin.buffer.read()
        with open(path, "rb") as f:
            return f.read()
    except OSError as exc:
        print(f"aliwatch: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return None


def load_page(path: str) -> Page | None:
    """The page read from `path`, or None after a one-line error on stderr (the caller exits 2)."""
    data = read_page(path)
    if data is None:
        return None
    try:
        return parse_page_bytes(data)
    except PageError as exc:
        name = "stdin" if path == "-" else path
        print(f"aliwatch: {name} {exc.message} ({exc.code})", file=sys.stderr)
        return None
