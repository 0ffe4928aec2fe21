"""Safe by default: text stays text, control characters go, sheet names fit, writes are atomic
and repeatable."""

import zipfile

import pytest
from openpyxl import load_workbook

from converter.errors import OutputError
from converter.write import excel
from converter.write.excel import clean_text, sheet_name

from .conftest import SAMPLES, run

JINXIANG = SAMPLES / "2017-jinxiang-commerce-legacy-table.txt"
BAOFENG = SAMPLES / "2023-baofeng-commerce-2021format-tabs.txt"


def sheet_xml(path):
    with zipfile.ZipFile(path) as archive:
        return "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))


def test_a_label_beginning_with_equals_round_trips_as_text(tmp_path):
    """An invented legacy row 「=SUM(A1:A9)数」 is unmapped; in the workbook it is text, not a formula."""
    lines = JINXIANG.read_text(encoding="utf-8").splitlines()
    at = next(i for i, t in enumerate(lines) if "主动公开政府信息数" in t)
    lines.insert(at + 1, "=SUM(A1:A9)数\t条\t7")
    report = tmp_path / "jinxiang-with-formula-label.txt"
    report.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "out.xlsx"
    result = run("convert", report, "-o", out, "--agency", "@某局+")
    assert result.exit_code == 0, result.stderr
    book = load_workbook(out)
    labels = [c for c in book["未映射 Unmapped"]["A"] if c.value == "=SUM(A1:A9)数"]
    assert len(labels) == 1 and labels[0].data_type == "s" and labels[0].quotePrefix
    agency = next(c for c in book["来源 Source"]["B"] if c.value == "@某局+")
    assert agency.data_type == "s"
    assert "<f>" not in sheet_xml(out)


def test_control_characters_are_removed(tmp_path):
    out = tmp_path / "out.xlsx"
    assert run("convert", BAOFENG, "-o", out, "--agency", "宝丰\x07县\x1b商务局").exit_code == 0
    source = dict((r[0].value, r[1].value) for r in load_workbook(out)["来源 Source"].iter_rows(min_row=2))
    assert source["机构 agency"] == "宝丰县商务局"
    assert clean_text("a\x00b\x0bc\td\ne") == "abc\td\ne"  # tab and newline are text; the rest are not


def test_sheet_names_are_cleaned_shortened_and_unique():
    taken = set()
    assert sheet_name("a/b\\c?d*e[f]g:h", taken) == "a b c d e f g h"
    long = "某某市某某区某某街道办事处政府信息公开工作年度报告汇总表"
    first = sheet_name(long, taken)
    second = sheet_name(long, taken)
    assert first == long[:31] and second == long[:27] + " (2)"
    assert sheet_name("'quoted'", taken) == "quoted"
    assert sheet_name("Sheet", taken) == "Sheet" and sheet_name("sheet", taken) == "sheet (2)"


def test_an_interrupted_write_leaves_no_file_and_keeps_the_old_one(tmp_path, monkeypatch):
    out = tmp_path / "series.xlsx"
    out.write_bytes(b"the previous workbook")
    real_writestr = excel._FixedTimeZip.writestr
    written = []

    def interrupted(self, *args, **kwargs):
        if len(written) == 5:
            raise KeyboardInterrupt  # as if Ctrl-C came while the workbook was being written
        written.append(args[0])
        real_writestr(self, *args, **kwargs)

    monkeypatch.setattr(excel._FixedTimeZip, "writestr", interrupted)
    result = run("series", BAOFENG, "-o", out)
    assert result.exit_code == 1 and "Aborted" in result.stderr  # click's answer to Ctrl-C
    assert out.read_bytes() == b"the previous workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["series.xlsx"]  # no partial file left beside it
    fresh = tmp_path / "fresh.xlsx"
    written.clear()
    assert run("convert", BAOFENG, "-o", fresh).exit_code == 1
    assert not fresh.exists()


def test_two_runs_give_identical_bytes(tmp_path):
    for name in ("a", "b"):
        assert run("series", SAMPLES, "-o", tmp_path / f"{name}.xlsx").exit_code == 0
        assert run("convert", JINXIANG, "-o", tmp_path / f"{name}-report.xlsx").exit_code == 0
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    assert (tmp_path / "a-report.xlsx").read_bytes() == (tmp_path / "b-report.xlsx").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.xlsx") as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert "2000-01-01T00:00:00Z" in archive.read("docProps/core.xml").decode()


def test_output_that_cannot_be_written_is_one_line(tmp_path):
    result = run("series", BAOFENG, "-o", tmp_path / "missing" / "s.xlsx")
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == f"Error: {tmp_path / 'missing' / 's.xlsx'}: the folder {tmp_path / 'missing'} does not exist"
    )
    (tmp_path / "dir.xlsx").mkdir()
    result = run("convert", BAOFENG, "-o", tmp_path / "dir.xlsx")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {tmp_path / 'dir.xlsx'}: it is a folder"  # said before reading
    with pytest.raises(OutputError, match="it is a folder"):
        excel.writable_folder(tmp_path / "dir.xlsx")
