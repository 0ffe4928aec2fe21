"""Every sample, saved as a web page, a Word document, an Excel workbook and a PDF, gives the
observations of its text: same ids, values and statuses; each value says where it stood."""

from __future__ import annotations

import pytest

from converter import read_report
from converter.read import read_source

from .conftest import SAMPLES, SHANGHAI_TEXT
from .fixtures.documents import document_for, to_docx, to_html, to_pdf, to_xlsx

TEXT_SAMPLES = sorted(SAMPLES.glob("*.txt")) + sorted(SAMPLES.glob("pingtan-series/*.txt")) + [SHANGHAI_TEXT]

# name -> (file suffix, builder, expected input kind, expected encoding)
KINDS = {
    "html-utf8": (".html", lambda blocks: to_html(blocks), "html", "utf-8"),
    "html-gbk": (".htm", lambda blocks: to_html(blocks, charset="gbk", encoding="gb18030"), "html", "gb18030"),
    "html-no-charset": (".html", lambda blocks: to_html(blocks, charset=None, encoding="gb18030"), "html", "gb18030"),
    "docx": (".docx", to_docx, "docx", "utf-8"),
    "xlsx": (".xlsx", to_xlsx, "xlsx", "utf-8"),
    "pdf": (".pdf", to_pdf, "pdf", "pdf text layer"),
}


def observations(report):
    return {i: (o.value, o.status) for i, o in report.observations.items()}


def raw_tokens(report):
    return {i: [s.raw for s in o.sources] for i, o in report.observations.items()}


@pytest.fixture(scope="module", params=TEXT_SAMPLES, ids=lambda p: p.stem[:40])
def sample(request, mappings):
    path = request.param
    report = read_report(path, mappings=mappings)
    return report, document_for(report, mappings, path.read_bytes().decode("utf-8"))


@pytest.mark.parametrize("kind", KINDS)
def test_same_observations_as_the_text(sample, kind, mappings, tmp_path):
    original, blocks = sample
    suffix, build, input_kind, encoding = KINDS[kind]
    path = tmp_path / f"report{suffix}"
    data = build(blocks)
    path.write_bytes(data)
    report = read_report(path, mappings=mappings)
    assert observations(report) == observations(original)
    assert raw_tokens(report) == raw_tokens(original)  # 3.0 stored in Excel is printed 3
    assert (report.input_kind, report.encoding, report.format) == (input_kind, encoding, original.format)
    assert report.year == original.year and report.agency
    assert report.ledger == original.ledger
    assert [(u["label"], u["raw"]) for u in report.unmapped] == [(u["label"], u["raw"]) for u in original.unmapped]
    assert sorted(f.code for f in report.findings if f.code != "mojibake") == sorted(
        f.code for f in original.findings if f.code not in ("mojibake", "agency-not-found", "year-not-found")
    )
    _provenance_points_at_the_value(report, data, input_kind)


def _provenance_points_at_the_value(report, data, input_kind):
    """Each printed value names its input kind, its page (PDF) or sheet (Excel), and the line holding it."""
    lines = read_source(data).lines
    for source in (s for o in report.observations.values() for s in o.sources if s.raw):
        assert source.input_kind == input_kind
        assert (source.page is not None) == (input_kind == "pdf")
        assert source.sheet == ("年度报告" if input_kind == "xlsx" else None)
        assert source.raw in lines[source.line - 1].split("\t")
    first = next(s for o in report.to_dict()["observations"] for s in o["sources"] if s["raw"])
    assert first["input_kind"] == input_kind and {"page", "sheet"} <= set(first)
