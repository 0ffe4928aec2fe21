"""Old Excel (.xls), OpenDocument (.ods) and old Word (.doc) files give the observations of the same
report as text; the kind is told from the content; without LibreOffice a .doc is a one-line error."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from converter import InputError, read_report
from converter.read import read_source
from converter.read.xls import read_xls

from .conftest import FIXTURES, SAMPLES, SHANGHAI_TEXT
from .fixtures.documents import document_for, to_docx, to_html, to_xlsx
from .test_sources_errors import cli_error
from .test_sources_formats import TEXT_SAMPLES, observations, raw_tokens

OLD = FIXTURES / "old"
# committed .xls (tests/fixtures/old/README.md) -> the text report it was made from
XLS = {
    "2017-jinxiang-legacy.xls": SAMPLES / "2017-jinxiang-commerce-legacy-table.txt",
    "2019-shanghai-2019format.xls": SHANGHAI_TEXT,
    "2023-baofeng-2021format.xls": SAMPLES / "2023-baofeng-commerce-2021format-tabs.txt",
}
SOFFICE = shutil.which("soffice")
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui"
)


def same_report(report, original, input_kind):
    assert observations(report) == observations(original)
    assert raw_tokens(report) == raw_tokens(original)
    assert (report.input_kind, report.format, report.year) == (input_kind, original.format, original.year)
    assert report.ledger == original.ledger
    assert [(u["label"], u["raw"]) for u in report.unmapped] == [(u["label"], u["raw"]) for u in original.unmapped]
    for source in (s for o in report.observations.values() for s in o.sources if s.raw):
        assert source.input_kind == input_kind


@pytest.mark.parametrize("name", XLS)
def test_xls_gives_the_observations_of_the_text(name, mappings, tmp_path):
    original = read_report(XLS[name], mappings=mappings)
    path = tmp_path / "report.dat"  # the name says nothing: the content does
    path.write_bytes((OLD / name).read_bytes())
    report = read_report(path, mappings=mappings)
    same_report(report, original, "xls")
    assert {s.sheet for o in report.observations.values() for s in o.sources if s.raw} == {"年度报告"}


def test_xls_rows_are_the_xlsx_rows(mappings):
    """The same workbook as .xlsx and .xls: the same lines, merged cells once, numbers printed alike."""
    text = XLS["2023-baofeng-2021format.xls"]
    report = read_report(text, mappings=mappings)
    xlsx = read_source(to_xlsx(document_for(report, mappings, text.read_text(encoding="utf-8"))))
    xls = read_xls((OLD / "2023-baofeng-2021format.xls").read_bytes())
    assert xls.lines == xlsx.lines
    assert [(c.text, c.kind, c.value, c.line) for c in xls.cells] == [
        (c.text, c.kind, c.value, c.line) for c in xlsx.cells
    ]


def test_damaged_xls_is_one_line(tmp_path):
    data = bytearray((OLD / "2017-jinxiang-legacy.xls").read_bytes())
    data[1024:4096] = b"\xff" * 3072  # the workbook stream overwritten, the directory kept
    path = tmp_path / "report.xls"
    path.write_bytes(bytes(data))
    assert cli_error(path).startswith(f"Error: {path}: the old Excel workbook (.xls) is damaged and cannot be opened")


def soffice_convert(data: bytes, suffix: str, target: str, tmp_path) -> bytes:
    source = tmp_path / f"made{suffix}"
    source.write_bytes(data)
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless"]
        + (["--infilter=HTML (StarWriter)"] if suffix == ".html" else [])  # a page into Writer, not Writer/Web
        + ["--convert-to", target]
        + ["--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (tmp_path / f"made.{target}").read_bytes()


# LibreOffice's Word 97 export turns the irregular single tables that tests/fixtures/documents.py
# builds for the non-2021 samples (rows of many widths, merged by python-docx) into plain paragraphs,
# so their .doc is made from the same document saved as a web page; the official 2021 forms and the
# legacy table go through .docx as well.
MADE_FROM = [(text, ".html") for text in TEXT_SAMPLES] + [
    (XLS[name], ".docx") for name in XLS if "shanghai" not in name
]


@needs_libreoffice
@pytest.mark.parametrize("text, made_from", MADE_FROM, ids=lambda v: v.stem[:40] if hasattr(v, "stem") else v)
def test_doc_made_by_libreoffice_gives_the_observations_of_the_text(text, made_from, mappings, tmp_path):
    original = read_report(text, mappings=mappings)
    blocks = document_for(original, mappings, text.read_text(encoding="utf-8"))
    document = to_docx(blocks) if made_from == ".docx" else to_html(blocks)
    path = tmp_path / "report.bin"
    path.write_bytes(soffice_convert(document, made_from, "doc", tmp_path))
    assert path.read_bytes().startswith(b"\xd0\xcf\x11\xe0")
    same_report(read_report(path, mappings=mappings), original, "doc")


@needs_libreoffice
def test_ods_made_by_libreoffice_gives_the_observations_of_the_text(mappings, tmp_path):
    text = XLS["2017-jinxiang-legacy.xls"]
    original = read_report(text, mappings=mappings)
    xlsx = to_xlsx(document_for(original, mappings, text.read_text(encoding="utf-8")))
    path = tmp_path / "report.ods"
    path.write_bytes(soffice_convert(xlsx, ".xlsx", "ods", tmp_path))
    same_report(read_report(path, mappings=mappings), original, "ods")
    assert read_source(path.read_bytes()).lines == read_source(xlsx).lines  # merged cells once, as in .xlsx


def test_doc_without_libreoffice_is_one_line(monkeypatch, tmp_path):
    """With LibreOffice hidden from PATH, a .doc is one line saying how to install it."""
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    path = tmp_path / "report.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "WordDocument".encode("utf-16-le"))
    with pytest.raises(InputError, match="install LibreOffice"):
        read_report(path)
    line = cli_error(path)
    assert line.startswith(f"Error: {path}: this is an old Word document (.doc); install LibreOffice to read it")
    assert "apt-get install libreoffice-writer-nogui" in line


@needs_libreoffice
def test_doc_that_libreoffice_cannot_convert_is_one_line(tmp_path):
    path = tmp_path / "report.doc"
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "WordDocument".encode("utf-16-le") + b"\x00" * 512
    )
    assert "LibreOffice could not convert this old Word document (.doc)" in cli_error(path)


def test_conversion_is_bounded_in_time(monkeypatch, tmp_path):
    """A LibreOffice that hangs is killed after the limit, and the file is a one-line error."""
    from converter.read import doc

    hanging = tmp_path / "soffice"
    hanging.write_text("#!/bin/sh\nsleep 60\n")
    hanging.chmod(0o755)
    monkeypatch.setattr(doc, "TIMEOUT_SECONDS", 1)
    with pytest.raises(InputError, match="did not finish converting this old Word document"):
        doc.convert_to_docx(str(hanging), b"\xd0\xcf\x11\xe0", "doc")


@pytest.mark.parametrize(
    "stream, kind",
    [("WordDocument", "doc"), ("Workbook", "xls"), ("Book", "xls"), ("CONTENTS", "wps")],
)
def test_old_office_kind_from_stream_names(stream, kind):
    from converter.read import _ole_kind

    assert _ole_kind(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + stream.encode("utf-16-le")) == kind
