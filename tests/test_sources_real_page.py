"""A real saved page: 上海市人民政府办公厅 2019 (2019 format) gives what its text extraction gives."""

from __future__ import annotations

import pytest

from converter import read_report
from converter.read import read_source

from .conftest import SAMPLES, SHANGHAI_TEXT

PAGE = SAMPLES / "2019-shanghai-gov-office-2019format-saved-page.html"
TEXT = SHANGHAI_TEXT


def observations(report):
    return {i: (o.value, o.status, o.line) for i, o in report.observations.items()}


@pytest.fixture(scope="module")
def text_report(mappings):
    return read_report(TEXT, mappings=mappings)


def test_page_gives_the_text_reports_observations_lines_and_findings(text_report, mappings):
    page = read_report(PAGE, mappings=mappings)
    assert (page.input_kind, page.encoding) == ("html", "utf-8")
    assert (page.agency, page.year, page.format) == ("上海市人民政府办公厅", 2019, "2019")
    assert observations(page) == observations(text_report)
    assert [(f.code, f.line, f.message) for f in page.findings] == [
        (f.code, f.line, f.message) for f in text_report.findings
    ]
    assert (
        page.ledger
        == text_report.ledger
        == {"source_numbers": 63, "mapped": 46, "unmapped": 17, "ambiguous": 0, "unplaced": 0, "balanced": True}
    )


def test_rendered_lines_are_the_extractions_lines():
    """Paragraphs and table rows are the lines the text extraction made (it kept one stray tab)."""
    expected = TEXT.read_text(encoding="utf-8").splitlines()
    assert expected[1].startswith("\t发布日期")
    expected[1] = expected[1].lstrip("\t")
    assert read_source(PAGE.read_bytes()).lines == expected


def test_value_cell_merged_over_two_columns_is_one_value(mappings):
    """In 表二 (五)(六) the header spans 本年增/减 over two columns, the data rows the first value:
    read once, each row still has its three values."""
    page = read_report(PAGE, mappings=mappings)
    fields = {f.key: f for f in page.source_fields}
    licensing = [fields[f"y2019.art20.licensing.{k}"] for k in ("items_last_year", "items_change", "decisions")]
    assert [(f.raw, f.column_label, f.line) for f in licensing] == [
        ("0", "上一年项目数量", 34),
        ("0", "本年增/减", 34),
        ("0", "处理决定数量", 34),
    ]
    assert not [f for f in page.findings if f.code in ("row-misfit", "stray-value", "unknown-label")]


@pytest.mark.parametrize(
    "declaration, encoding",
    [
        ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "gb18030"),
        ('<meta charset="GBK">', "gb18030"),
        ("", "gb18030"),  # no declaration: the text heuristics decide
    ],
)
def test_gbk_copies_of_the_page(declaration, encoding, text_report, mappings, tmp_path):
    fragment = PAGE.read_text(encoding="utf-8")
    path = tmp_path / "page.txt"  # a misleading name: the content decides
    path.write_bytes(
        f"<html><head>{declaration}<title>政府信息公开</title></head><body>{fragment}</body></html>".encode("gbk")
    )
    page = read_report(path, mappings=mappings)
    assert (page.input_kind, page.encoding) == ("html", encoding)
    assert {i: o[:2] for i, o in observations(page).items()} == {i: o[:2] for i, o in observations(text_report).items()}
