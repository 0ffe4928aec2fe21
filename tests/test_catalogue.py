"""The words people read, as data: the catalogue of finding codes (mappings/findings.csv) and the
official layout's titles, headers and charted series (mappings/layout.csv)."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import openpyxl
import pytest

from converter import load_mappings, read_report, write_report_workbook
from converter.corpus.audit import report_rows
from converter.errors import MappingError
from converter.mapping import default_directory
from converter.model import UNMAPPED_CODES, Report, unmapped_entry

from .conftest import SAMPLES, run

PACKAGE = Path(__file__).resolve().parent.parent / "converter"
BAOFENG = SAMPLES / "2023-baofeng-commerce-2021format-tabs.txt"
# Audit kinds that are not findings of a report: a file that could not be read at all.
AUDIT_ONLY = {"unreadable-file"}


def _finding_codes() -> dict[str, str]:
    """Every code passed to Finding(...) anywhere in converter/, with where it is."""
    codes = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Finding":
                code = node.args[0] if node.args else next(k.value for k in node.keywords if k.arg == "code")
                assert isinstance(code, ast.Constant), f"{path}:{node.lineno}: a finding code must be written out"
                codes.setdefault(code.value, f"{path}:{node.lineno}")
    return codes


@pytest.fixture
def copy(tmp_path):
    """A copy of the shipped mapping tables, to edit."""
    return Path(shutil.copytree(default_directory(), tmp_path / "mappings"))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_code_the_program_uses_is_in_the_catalogue(mappings):
    used = set(_finding_codes()) | set(UNMAPPED_CODES) | AUDIT_ONLY
    assert sorted(used - set(mappings.finding_kinds)) == []


def test_every_catalogue_code_is_used(mappings):
    used = set(_finding_codes()) | set(UNMAPPED_CODES) | AUDIT_ONLY
    assert sorted(set(mappings.finding_kinds) - used) == []


def test_the_walk_finds_codes_in_every_stage():
    codes = _finding_codes()
    assert {"mojibake", "row-misfit", "sum-mismatch", "ledger-unbalanced", "duplicate-agency-year"} <= set(codes)


def test_every_catalogue_row_is_complete(mappings):
    for kind in mappings.finding_kinds.values():
        assert kind.severity in ("error", "warning", "info")
        assert kind.title_zh and kind.action_zh and kind.title_en
    assert mappings.finding_kinds["sum-mismatch"].severity == "error"
    assert mappings.finding_kinds["sum-mismatch"].title_zh == "勾稽关系不符"


def test_a_broken_catalogue_is_told_with_file_and_line(copy):
    path = copy / "findings.csv"
    _edit(path, "sum-mismatch,error,", "sum-mismatch,fatal,")
    end = len(path.read_text(encoding="utf-8-sig").splitlines())  # the two rows are appended after the last
    with path.open("a", encoding="utf-8") as handle:
        handle.write("mojibake,warning,乱码,再看一遍,Garbled\nBad Code,info,,,\n")
    with pytest.raises(MappingError) as raised:
        load_mappings(copy)
    problems = "\n".join(raised.value.problems)
    assert f"{path}:2: severity must be one of error, warning, info, not 'fatal'" in problems
    assert f"{path}:{end + 1}: code mojibake is listed twice" in problems
    assert f"{path}:{end + 2}: code 'Bad Code' is not lower-case words" in problems
    assert f"{path}:{end + 2}: Bad Code has no title_zh, action_zh, title_en" in problems


def test_unmapped_entries_carry_the_code_their_reader_gives():
    base = dict(label="x", section="table 三", column="1", unit="", raw="3", value=3, line=9)
    assert unmapped_entry(**base, reason="本年累计: not the annual figure")["code"] == "unmapped-field"  # the default
    # the code is what the reader says, whatever the wording of the reason
    assert unmapped_entry(**base, reason="row has 3 value(s) where 7 were expected")["code"] == "unmapped-field"
    assert unmapped_entry(**base, reason="anything", code="row-misfit")["code"] == "row-misfit"


def test_the_readers_give_each_unmapped_number_its_code(mappings, tmp_path):
    lines = (SAMPLES / "2023-baofeng-commerce-2021format-tabs.txt").read_text(encoding="utf-8").splitlines()
    lines.insert(40, "本年新增的某项指标\t1\t2\t3\t4\t5\t6\t21")  # an unknown label in table 三
    lines.insert(22, "规章\t0\t0")  # a misfit row in table 二 (two values where three are expected)
    path = tmp_path / "r.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    codes = {u["code"] for u in read_report(path, mappings=mappings).unmapped}
    assert {"unknown-label", "row-misfit"} <= codes


def test_the_audit_classifies_by_code_not_by_wording():
    report = Report(Path("r.txt"), "0" * 64, "utf-8", "某局", 2020, "legacy")
    shared = dict(label="甲", section="legacy table", column="1", unit="件", raw="3", value=3, line=4)
    report.unmapped = [
        unmapped_entry(**shared, reason="row has the wording of a misfit", code="unmapped-field"),
        unmapped_entry(**shared, reason="a reworded reason", code="row-misfit"),
    ]
    assert [row.kind for row in report_rows(report)] == ["unmapped-field", "row-misfit"]


def test_every_sample_entry_has_a_known_code(mappings):
    for path in sorted(SAMPLES.rglob("*.txt")):
        for entry in read_report(path, mappings=mappings).unmapped:
            assert entry["code"] in UNMAPPED_CODES and entry["code"] in mappings.finding_kinds


def test_the_official_layout_names_every_table_and_charts_known_cells(mappings):
    layout = mappings.official
    assert list(layout.table_titles) == ["二", "三", "四"]
    assert layout.table_titles["三"] == "三、收到和处理政府信息公开申请情况"
    assert layout.headers["table_three_applicants"] == "申请人情况"
    assert layout.charted and all(cell_id in mappings.schema for cell_id, _, _ in layout.charted)


def test_a_broken_layout_is_told_with_file_and_line(copy):
    path = copy / "layout.csv"
    _edit(path, "table_title,四,", "table_title,五,")
    _edit(path, "chart,apply.new.total,", "chart,apply.nothing,")
    _edit(path, "header,table_two_row,", "heading,table_two_row,")
    with pytest.raises(MappingError) as raised:
        load_mappings(copy)
    problems = "\n".join(raised.value.problems)
    assert f"{path}:4: key must be one of 二, 三, 四, not '五'" in problems
    assert f"{path}: no table_title row for 四" in problems
    assert f"{path}:10: chart names unknown 2021 cell id 'apply.nothing'" in problems
    assert f"{path}:5: part must be one of table_title, header, derived_title, chart, not 'heading'" in problems
    assert f"{path}: no header row for table_two_row" in problems


def test_the_report_workbook_prints_the_layout_from_the_tables(copy, tmp_path):
    _edit(copy / "layout.csv", "二、主动公开政府信息情况", "二、主动公开（改写）")
    _edit(copy / "layout.csv", "申请人情况", "申请人情况（改写）")
    edited = load_mappings(copy)
    path = write_report_workbook(read_report(BAOFENG, mappings=edited), edited, tmp_path / "r.xlsx")
    texts = {c.value for row in openpyxl.load_workbook(path).worksheets[0].iter_rows() for c in row}
    assert {"二、主动公开（改写）", "申请人情况（改写）"} <= texts
    assert "二、主动公开政府信息情况" not in texts


def test_the_series_workbook_charts_the_series_of_the_tables(copy, tmp_path):
    layout = copy / "layout.csv"
    lines = layout.read_text(encoding="utf-8").splitlines(keepends=True)
    layout.write_text("".join(x for x in lines if not x.startswith("chart,art20.")), encoding="utf-8")
    _edit(copy / "layout.csv", "本年新收申请 applications received", "新收申请（改写）")
    out = tmp_path / "s.xlsx"
    result = run("series", SAMPLES, "-o", out, "--mappings", copy)
    assert result.exit_code == 0, result.stderr
    book = openpyxl.load_workbook(out)
    charts = next(ws for ws in book.worksheets if ws.title.startswith("图表"))
    headers = [tuple(c.value for c in row) for row in charts.iter_rows() if row[0].value == "年度 year"]
    assert headers and all(
        h[:3] == ("年度 year", "新收申请（改写）", "本年办理结果总计 applications handled") for h in headers
    )
    assert all(h[3] is None for h in headers if len(h) > 3)
