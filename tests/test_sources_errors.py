"""Files that are not what their names say, and files that cannot be read: the content decides,
and what cannot be read is one line `Error: <file>: <what>` with a non-zero exit."""

from __future__ import annotations

import io
import zipfile

import pytest
from click.testing import CliRunner

from converter import InputError, read_report
from converter.cli import cli

from .conftest import SAMPLES
from .fixtures.documents import document_for, to_docx, to_pdf

BAOFENG = SAMPLES / "2023-baofeng-commerce-2021format-tabs.txt"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def ole(stream: str) -> bytes:
    """The start of a compound file whose directory names one stream."""
    return OLE + stream.encode("utf-16-le") + b"\x00" * 512


@pytest.fixture(scope="module")
def baofeng(mappings):
    report = read_report(BAOFENG, mappings=mappings)
    return report, document_for(report, mappings, BAOFENG.read_text(encoding="utf-8"))


def cli_error(path) -> str:
    result = CliRunner().invoke(cli, ["inspect", str(path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    return lines[0]


def damaged_docx(good: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    return buffer.getvalue()


def zip_of(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, content, message",
    [
        (
            "locked.xlsx",
            lambda: ole("EncryptedPackage"),
            "this is a password-protected Word or Excel file; open it in "
            "Word, Excel or LibreOffice and save it as an unprotected copy "
            "(.docx or .xlsx), which can be read",
        ),
        (
            "report.docx",
            lambda: b"PK\x03\x04" + bytes(range(256)) * 4,
            "the file is a damaged ZIP container (a .docx or .xlsx cut short?) and cannot be opened (File is not a zip file)",
        ),
        (
            "report.pdf",
            lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF garbage",
            "the PDF is damaged and cannot be read (PSEOF)",
        ),
        (
            "report.txt",
            lambda: b"{\\rtf1\\ansi report}",
            "this is an RTF document; open it in Word or LibreOffice and save it as .docx, which can be read",
        ),
        (
            "slides.docx",
            lambda: zip_of("[Content_Types].xml", "ppt/presentation.xml"),
            "this is a PowerPoint presentation (.pptx), not a report document",
        ),
        (
            "reports.zip.txt",
            lambda: zip_of("a.txt", "b.txt"),
            "this is a ZIP archive, not a Word or Excel document; unpack it and read the files inside",
        ),
    ],
)
def test_unreadable_files_are_one_line_errors(name, content, message, tmp_path):
    path = tmp_path / name
    path.write_bytes(content())
    with pytest.raises(InputError) as error:
        read_report(path)
    assert str(error.value) == message
    assert cli_error(path) == f"Error: {path}: {message}"


def test_damaged_word_document(baofeng, tmp_path):
    path = tmp_path / "report.docx"
    path.write_bytes(damaged_docx(to_docx(baofeng[1])))
    assert cli_error(path).startswith(f"Error: {path}: the Word document is damaged: word/document.xml cannot be read")


def test_cut_short_container(baofeng, tmp_path):
    data = to_docx(baofeng[1])
    path = tmp_path / "report.docx"
    path.write_bytes(data[: len(data) // 2])
    assert cli_error(path).startswith(f"Error: {path}: the file is a damaged ZIP container")


def test_a_txt_that_is_a_word_document_is_read_as_one(baofeng, mappings, tmp_path):
    original, blocks = baofeng
    path = tmp_path / "report.txt"
    path.write_bytes(to_docx(blocks))
    report = read_report(path, mappings=mappings)
    assert report.input_kind == "docx"
    assert {i: o.value for i, o in report.observations.items()} == {
        i: o.value for i, o in original.observations.items()
    }


@pytest.mark.parametrize("name", ["report.html", "report.pdf", "report.docx"])
def test_text_under_another_name_is_read_as_text(name, mappings, tmp_path):
    path = tmp_path / name
    path.write_bytes(BAOFENG.read_bytes())
    assert read_report(path, mappings=mappings).input_kind == "text"


def test_a_scanned_page_among_text_pages_is_a_finding(baofeng, mappings, tmp_path):
    original, blocks = baofeng
    path = tmp_path / "report.pdf"
    path.write_bytes(to_pdf(blocks, scanned_page=True))
    report = read_report(path, mappings=mappings)
    assert {i: o.value for i, o in report.observations.items()} == {
        i: o.value for i, o in original.observations.items()
    }
    [finding] = [f for f in report.findings if f.code == "page-needs-ocr"]
    pages = max(s.page for o in report.observations.values() for s in o.sources if s.page)
    assert f"PDF page(s) {pages + 1} hold no text" in finding.message and "OCR" in finding.message


def test_password_protected_pdf(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, encrypt=StandardEncryption("secret", canPrint=0))
    canvas.drawString(100, 700, "report")
    canvas.save()
    path = tmp_path / "locked.pdf"
    path.write_bytes(buffer.getvalue())
    assert cli_error(path) == (
        f"Error: {path}: the PDF is protected by a password; open it and save an unprotected copy"
    )
