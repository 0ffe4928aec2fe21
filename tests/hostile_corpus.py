"""A corpus of hostile and damaged report files, built for tests/test_hostile.py.

Each bad file must give exactly one `Error:` line and leave the rest of the batch alone; each
good file (the samples, and copies of them under awkward names or encodings) must be read.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from .conftest import SAMPLES
from .fixtures.documents import from_lines, to_docx, to_xlsx

BAOFENG = SAMPLES / "2023-baofeng-commerce-2021format-tabs.txt"
JINXIANG = SAMPLES / "2017-jinxiang-commerce-legacy-table.txt"


@dataclass
class Corpus:
    root: Path
    good: list[Path] = field(default_factory=list)
    bad: list[Path] = field(default_factory=list)  # each must give exactly one Error line
    extra: list[Path] = field(default_factory=list)  # given on the command line besides the folder

    def add(self, name: str | bytes, data: bytes, *, good: bool, folder: Path | None = None) -> Path:
        folder = folder or self.root / "reports"
        folder.mkdir(parents=True, exist_ok=True)
        path = Path(os.fsdecode(os.path.join(os.fsencode(folder), os.fsencode(name))))
        path.write_bytes(data)
        (self.good if good else self.bad).append(path)
        return path


def build(root: Path) -> Corpus:
    corpus = Corpus(root)
    _samples(corpus)
    _names(corpus)
    _texts(corpus)
    _workbooks(corpus)
    _word(corpus)
    _pdfs(corpus)
    _special_files(corpus)
    return corpus


# --- good reports -------------------------------------------------------------------------------


def _samples(corpus: Corpus) -> None:
    target = corpus.root / "reports" / "samples"
    shutil.copytree(SAMPLES, target, ignore=shutil.ignore_patterns("*.md"))
    corpus.good += sorted(p for p in target.rglob("*") if p.is_file())


def _names(corpus: Corpus) -> None:
    text = BAOFENG.read_bytes()
    corpus.add("宝丰".encode("gbk") + b"-gbk-name.txt", text, good=True)  # not UTF-8: undecodable bytes
    corpus.add("escape-\x1b]0;pwned\x07-name.txt", text, good=True)
    corpus.add("bad\nError: forged line.txt", b"\x00\x01\x02binary", good=False)
    corpus.add("损坏".encode("gbk") + b"-gbk-name.docx", b"PK\x03\x04 cut short", good=False)


def _texts(corpus: Corpus) -> None:
    text = BAOFENG.read_text(encoding="utf-8")
    corpus.add(
        "escape-in-text.txt", text.replace("宝丰县商务局", "宝丰县\x1b]0;pwned\x07商务局\x1b[2J").encode(), good=True
    )
    corpus.add("cut-in-last-character.txt", text.rstrip().encode() + "表".encode()[:2], good=True)
    corpus.add("utf16-without-bom.txt", text.encode("utf-16-le"), good=True)
    corpus.add("binary.txt", bytes(range(256)) * 40, good=False)
    corpus.add("empty.txt", b"", good=False)
    corpus.add("too-large.txt", b"1 " * (9 << 20), good=False)  # 18 MB: over the text limit
    corpus.add("one-long-line.txt", "政府信息公开工作年度报告\n".encode() + b"1 " * 150_000, good=False)
    corpus.add("deep.html", b"<html><body>" + b"<div>" * 3000 + "报告".encode() + b"</div>" * 3000, good=False)


# --- Excel --------------------------------------------------------------------------------------


def _workbooks(corpus: Corpus) -> None:
    good = to_xlsx(from_lines(JINXIANG.read_text(encoding="utf-8").splitlines()))
    corpus.add("good-workbook.xlsx", good, good=True)
    sheet = _member(good, "xl/worksheets/sheet1.xml")
    cases = {
        "sheet-cut-short.xlsx": {"xl/worksheets/sheet1.xml": sheet[: len(sheet) // 2]},
        "styles-damaged.xlsx": {"xl/styles.xml": b"<styleSheet><fonts><font><b/></fon"},
        "styles-nonsense.xlsx": {
            "xl/styles.xml": b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<cellXfs count="1"><xf numFmtId="abc" fontId="x"/></cellXfs></styleSheet>'
        },
        "core-damaged.xlsx": {"docProps/core.xml": b"<cp:coreProperties><dc:creator>x"},
        "workbook-damaged.xlsx": {"xl/workbook.xml": b"\x00\x01<workbook"},
        "doctype-entities.xlsx": {
            "xl/worksheets/sheet1.xml": b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY x SYSTEM "file:///etc/passwd">]>'
            + sheet.split(b"?>", 1)[-1]
        },
    }
    for name, parts in cases.items():
        corpus.add(name, _replace(good, parts), good=False)
    corpus.add("cell-in-the-far-corner.xlsx", _far_corner(value="x"), good=False)  # a grid of 17 billion cells
    corpus.add("styled-far-corner.xlsx", _far_corner(value=None), good=True)  # only a style there: read


def _far_corner(*, value) -> bytes:
    """The legacy sample in a sheet, and one cell at XFD1048576 (with a value, or only a style)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    for row, line in enumerate(JINXIANG.read_text(encoding="utf-8").splitlines(), start=1):
        for column, piece in enumerate(line.split("|"), start=1):
            sheet.cell(row, column, piece.strip())
    sheet["XFD1048576"].font = Font(bold=True)
    sheet["XFD1048576"].value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def _replace(data: bytes, parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, parts.get(info.filename, source.read(info)))
    return out.getvalue()


# --- Word ---------------------------------------------------------------------------------------


def _word(corpus: Corpus) -> None:
    good = to_docx(from_lines(JINXIANG.read_text(encoding="utf-8").splitlines()))
    corpus.add("good-document.docx", good, good=True)
    document = _member(good, "word/document.xml")
    head, rest = document.split(b"<w:body>", 1)
    deep = head + b"<w:body>" + b"<w:sdt><w:sdtContent>" * 1500 + b"</w:sdtContent></w:sdt>" * 1500 + rest
    corpus.add("nested-1500-levels.docx", _replace(good, {"word/document.xml": deep}), good=False)
    bomb = head + b"<w:body>" + b" " * (60 << 20) + rest  # 60 MB of spaces pack into some 60 KB
    corpus.add("zip-bomb.docx", _replace(good, {"word/document.xml": bomb}), good=False)
    doctype = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + document.split(b"?>", 1)[-1]
    )
    corpus.add("doctype.docx", _replace(good, {"word/document.xml": doctype}), good=False)
    corpus.add("encrypted-flag.docx", _patch_member(good, "word/document.xml", flag=0x1), good=False)
    corpus.add("deflate64.docx", _patch_member(good, "word/document.xml", method=9), good=False)
    corpus.add("zip-cut-short.docx", good[: len(good) // 2], good=False)


def _patch_member(data: bytes, name: str, *, flag: int = 0, method: int | None = None) -> bytes:
    """Set a general-purpose flag bit or the compression method of one member, in both of its headers."""
    data = bytearray(data)
    encoded = name.encode()
    # (signature, offset of the flags, of the method, of the name's length, of the name) in a local
    # file header and in a central directory entry
    for signature, flag_at, method_at, length_at, name_at in (
        (b"PK\x03\x04", 6, 8, 26, 30),
        (b"PK\x01\x02", 8, 10, 28, 46),
    ):
        for match in re.finditer(re.escape(signature), data):
            start = match.start()
            length = struct.unpack_from("<H", data, start + length_at)[0]
            if bytes(data[start + name_at : start + name_at + length]) != encoded:
                continue
            current = struct.unpack_from("<H", data, start + flag_at)[0]
            struct.pack_into("<H", data, start + flag_at, current | flag)
            if method is not None:
                struct.pack_into("<H", data, start + method_at, method)
    return bytes(data)


# --- PDF ----------------------------------------------------------------------------------------


def _pdfs(corpus: Corpus) -> None:
    page = "/Type /Page /Parent 2 0 R /MediaBox [0 0 {box} 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >>"
    text = b"BT /F1 24 Tf 72 700 Td (Report 2023) Tj ET"
    corpus.add("mediabox-not-a-number.pdf", _pdf(page.format(box="/Abc"), f"/Length {len(text)}", text), good=False)
    corpus.add("length-refers-to-itself.pdf", _pdf(page.format(box="595"), "/Length 4 0 R", text), good=False)
    huge = zlib.compress(b"0 0 m 1 1 l S\n" * (3 << 20), 9)  # 42 MB of drawing, over the content stream limit
    corpus.add(
        "content-stream-bomb.pdf",
        _pdf(page.format(box="595"), f"/Length {len(huge)} /Filter /FlateDecode", huge),
        good=False,
    )
    many = "/Type /Pages /Kids [3 0 R] /Count 100000000"
    corpus.add(
        "hundred-million-pages.pdf", _pdf(page.format(box="595"), f"/Length {len(text)}", text, pages=many), good=False
    )
    corpus.add("header-only.pdf", b"%PDF-1.7\n%%EOF\n", good=False)
    drawing = zlib.compress(text + b"\n" + b"0 0 m 1 1 l S\n" * 80_000)  # 1 MB: within the stream limit
    corpus.add(
        "drawing-bomb.pdf",
        _pdf(page.format(box="595"), f"/Length {len(drawing)} /Filter /FlateDecode", drawing),
        good=False,
    )


def _pdf(page: str, stream_attrs: str, stream: bytes, *, pages: str = "/Type /Pages /Kids [3 0 R] /Count 1") -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< {pages} >>".encode(),
        f"<< {page} >>".encode(),
        f"<< {stream_attrs} >>\nstream\n".encode() + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


# --- not files, or not ours to read ---------------------------------------------------------------


def _special_files(corpus: Corpus) -> None:
    reports = corpus.root / "reports"
    fifo = reports / "named-pipe.txt"
    os.mkfifo(fifo)
    corpus.bad.append(fifo)
    dangling = reports / "dangling-link.txt"
    dangling.symlink_to(reports / "nowhere.txt")
    corpus.bad.append(dangling)
    elsewhere = corpus.root / "elsewhere"
    elsewhere.mkdir()
    linked = elsewhere / "linked-report.txt"
    linked.write_bytes(JINXIANG.read_bytes())
    (reports / "linked-folder").symlink_to(elsewhere, target_is_directory=True)
    corpus.good.append(reports / "linked-folder" / "linked-report.txt")
    (reports / "loop").symlink_to(reports, target_is_directory=True)  # walked once, not forever
    corpus.extra.append(Path("/dev/zero"))
    corpus.bad.append(Path("/dev/zero"))
    if os.geteuid() != 0:  # root reads whatever the permissions say
        locked = reports / "locked-folder"
        locked.mkdir()
        (locked / "inside.txt").write_bytes(JINXIANG.read_bytes())
        locked.chmod(0)
        corpus.bad.append(locked)
        unreadable = corpus.add("unreadable.txt", JINXIANG.read_bytes(), good=False)
        unreadable.chmod(0)
