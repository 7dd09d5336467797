"""Saved pages as users save them (issue #9's page reader, commands/pages.py): a legacy .ru page in
windows-1251, Chrome's "Save as single file" MHTML, "Webpage, complete" with its _files folder, and files
that are no web page at all. Each file is written here the way a browser writes it, then read by a real
`aliwatch` process."""
from __future__ import annotations

import json
import os
import quopri
import subprocess
import sys
import zipfile
from email.utils import formatdate
from pathlib import Path

import pytest

from aliwatch.commands.pages import PageError, parse_page_bytes

FIXTURES = Path(__file__).parent / "fixtures"


def case(name: str) -> tuple[str, dict]:
    return (FIXTURES / name / "page.html").read_text("utf-8"), json.loads((FIXTURES / name / "truth.json").read_text("utf-8"))


def analyze(path: Path, truth: dict, *extra: str, url: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALIWATCH_")}
    args = [sys.executable, "-m", "aliwatch", "analyze", str(path), "--now", truth["now"], "--tz", truth["tz"], "--json"]
    if url:
        args += ["--url", truth["url"]]
    return subprocess.run(args + list(extra), capture_output=True, text=True, env=env, timeout=120)


def orders(proc: subprocess.CompletedProcess) -> dict[str, tuple]:
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    return {o["order_id"]: (o["status"], o["status_text"], [(d["kind"], d["at"]) for d in o["deadlines"]])
            for o in result["orders"]}


def as_truth(truth: dict) -> dict[str, str]:
    return {oid: o["status"] for oid, o in truth["orders"].items()}


# --- declared charsets -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("declaration", [
    '<meta charset="windows-1251">',
    "<meta charset=windows-1251>",
    '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">',
    "<META HTTP-EQUIV=Content-Type CONTENT='text/html;charset=cp1251'>",
])
def test_a_windows_1251_page_reads_like_its_utf8_original(tmp_path: Path, declaration: str) -> None:
    html, truth = case("list_ru_mixed")
    legacy = html.replace('<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">', declaration)
    assert legacy != html
    data = legacy.encode("windows-1251", errors="xmlcharrefreplace")
    assert "Ожидает".encode("windows-1251") in data or "Заказ".encode("windows-1251") in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really not UTF-8
    page = tmp_path / "Заказы.html"
    page.write_bytes(data)
    original = tmp_path / "original.html"
    original.write_text(html, "utf-8")

    read = orders(analyze(page, truth))
    assert read == orders(analyze(original, truth))
    assert {oid: status for oid, (status, _, _) in read.items()} == as_truth(truth)
    assert all("\ufffd" not in text for _, text, _ in read.values())  # no mojibake in what the badge quotes


def test_the_report_of_a_windows_1251_page_stays_windows_1251(tmp_path: Path) -> None:
    html, truth = case("list_ru_mixed")
    legacy = html.replace('charset=UTF-8', 'charset=windows-1251').encode("windows-1251", errors="xmlcharrefreplace")
    page, copy = tmp_path / "page.html", tmp_path / "copy.html"
    page.write_bytes(legacy)
    r = subprocess.run([sys.executable, "-m", "aliwatch", "report", str(page), "-o", str(copy), "--seed", "1"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    text = copy.read_bytes().decode("windows-1251")  # its meta tag still tells the truth
    assert "charset=windows-1251" in text and "\ufffd" not in text
    first = next(iter(truth["orders"]))
    assert first not in text  # ids replaced, as in any report
    assert {s for s, *_ in orders(analyze(copy, truth)).values()} == set(as_truth(truth).values())
    piped = subprocess.run([sys.executable, "-m", "aliwatch", "report", str(page), "-o", "-", "--seed", "1"],
                           capture_output=True, timeout=120)
    assert piped.returncode == 0 and piped.stdout == copy.read_bytes()  # stdout carries the same bytes


def test_a_byte_order_mark_wins_and_a_bogus_charset_falls_back_to_utf8() -> None:
    assert parse_page_bytes("\ufeff<p>Ждёт</p>".encode("utf-8")).text == "<p>Ждёт</p>"
    assert parse_page_bytes("<p>Ждёт</p>".encode("utf-16")).text == "<p>Ждёт</p>"  # NULs, but a BOM: text
    page = parse_page_bytes('<meta charset="x-no-such-thing"><p>Ждёт</p>'.encode("utf-8"))
    assert page.charset == "utf-8" and "Ждёт" in page.text


# --- MHTML ("Save as single file") ------------------------------------------------------------------------------

BOUNDARY = "----MultipartBoundary--2X3b8Vn0vzy8u6w1fQvRnnQ4aBk3yqyj6SRdGm5PmS----"


def mhtml(html: str, url: str, charset: str = "utf-8") -> bytes:
    """What Chrome writes: MIME headers, the page quoted-printable in its charset, then its resources."""
    body = quopri.encodestring(html.encode(charset), quotetabs=False).decode("ascii")
    image = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=="
    parts = [
        "From: <Saved by Blink>",
        f"Snapshot-Content-Location: {url}",
        "Subject: =?utf-8?Q?My_orders?=",
        f"Date: {formatdate()}",
        "MIME-Version: 1.0",
        "Content-Type: multipart/related;",
        '\ttype="text/html";',
        f'\tboundary="{BOUNDARY}"',
        "",
        "",
        f"--{BOUNDARY}",
        f"Content-Type: text/html; charset={charset}",
        "Content-ID: <frame-6F0B6C0F3E1C8A9D@mhtml.blink>",
        "Content-Transfer-Encoding: quoted-printable",
        f"Content-Location: {url}",
        "",
        body,
        f"--{BOUNDARY}",
        "Content-Type: text/css",
        "Content-Transfer-Encoding: quoted-printable",
        "Content-Location: https://ae01.alicdn.com/orders.css",
        "",
        "body{font-family:Arial}",
        f"--{BOUNDARY}",
        "Content-Type: image/png",
        "Content-Transfer-Encoding: base64",
        "Content-Location: https://ae01.alicdn.com/logo.png",
        "",
        image,
        f"--{BOUNDARY}--",
        "",
    ]
    return "\r\n".join(parts).encode("ascii")


@pytest.mark.parametrize("name, charset", [("detail_en_awaiting_delivery", "utf-8"),
                                           ("list_ru_mixed", "utf-8"), ("list_ru_mixed", "windows-1251")])
def test_chrome_single_file_mhtml_reads_like_the_html(tmp_path: Path, name: str, charset: str) -> None:
    html, truth = case(name)
    declared = html.replace("charset=UTF-8", f"charset={charset}")  # Chrome keeps the page's own meta tag
    data = mhtml(declared, truth["url"], charset)
    assert b"=D0" in data or b"=E2" in data or b"=3D" in data  # really quoted-printable
    page = tmp_path / "Orders.mhtml"
    page.write_bytes(data)
    original = tmp_path / "original.html"
    original.write_text(html, "utf-8")
    # The MHTML names its own address, so --url is not needed for it.
    read = orders(analyze(page, truth, url=False))
    assert read == orders(analyze(original, truth))
    assert {oid: s for oid, (s, _, _) in read.items()} == as_truth(truth)


def test_an_mhtml_without_a_page_says_so(tmp_path: Path) -> None:
    data = mhtml("<p>x</p>", "https://www.aliexpress.com/").replace(b"Content-Type: text/html", b"Content-Type: text/plain")
    page = tmp_path / "odd.mhtml"
    page.write_bytes(data)
    r = analyze(page, {"now": "2026-11-26T09:00:00+00:00", "tz": "UTC", "url": ""}, url=False)
    assert r.returncode == 2 and "(no_html_part)" in r.stderr, r.stderr


# --- "Webpage, complete" ---------------------------------------------------------------------------------------

def test_webpage_complete_reads_as_html_with_its_files_folder(tmp_path: Path) -> None:
    """Chrome and Firefox write Orders.html plus Orders_files/ and point the page's links into it."""
    html, truth = case("list_en_mixed")
    files = tmp_path / "Orders_files"
    files.mkdir()
    (files / "index.css").write_text("body { margin: 0 }", "utf-8")
    (files / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    (files / "saved_resource.js").write_text("window.x = 1;", "utf-8")
    saved = html.replace("<head>", '<head><link rel="stylesheet" href="./Orders_files/index.css">'
                                   '<script src="./Orders_files/saved_resource.js"></script>', 1)
    saved = saved.replace("<body>", '<body><img src="./Orders_files/logo.png" alt="AliExpress">', 1)
    assert saved != html
    page = tmp_path / "Orders.html"
    page.write_text(saved, "utf-8")
    read = orders(analyze(page, truth))
    assert {oid: s for oid, (s, _, _) in read.items()} == as_truth(truth)
    # Without its folder (moved or deleted) the page reads the same: nothing in it is needed.
    for f in files.iterdir():
        f.unlink()
    files.rmdir()
    assert orders(analyze(page, truth)) == read


# --- not a web page --------------------------------------------------------------------------------------------

def _zip(path: Path) -> bytes:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("Orders.html", "<html></html>")
    return path.read_bytes()


@pytest.mark.parametrize("name, make, said", [
    ("orders.pdf", lambda p: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog>> endobj\ntrailer\n%%EOF\n", "a PDF document"),
    ("orders.zip", _zip, "a zip archive"),
    ("orders.png", lambda p: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40, "a PNG image"),
    ("orders.jpg", lambda p: b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40, "a JPEG image"),
    ("orders.html.gz", lambda p: b"\x1f\x8b\x08\x00" + b"\x00" * 40, "a gzip archive"),
    ("orders.bin", lambda p: bytes(range(256)) * 4, "binary data"),
])
def test_other_formats_are_named_not_read_as_not_aliexpress(tmp_path: Path, name: str, make, said: str) -> None:
    path = tmp_path / name
    path.write_bytes(make(path))
    for cmd in (["analyze", str(path)], ["add", str(path)], ["report", str(path), "-o", str(tmp_path / "x.html")]):
        r = subprocess.run([sys.executable, "-m", "aliwatch", *cmd], capture_output=True, text=True, timeout=120,
                           env={**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")})
        assert r.returncode == 2, (cmd, r.stdout, r.stderr)
        assert f"{path} is {said}" in r.stderr and "(unsupported_format)" in r.stderr, r.stderr
        assert "not_aliexpress" not in r.stdout + r.stderr
    with pytest.raises(PageError) as err:
        parse_page_bytes(path.read_bytes())
    assert err.value.code == "unsupported_format"
