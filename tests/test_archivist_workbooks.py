"""Workbooks people filter, sort and print: every list sheet filtered with a frozen header, the wide view
naming its agency on every row in pinyin order with a column for every year, status marks readable
without colour, straight-line charts with gaps, print setup, and a stated size for read-only readers."""

import re
import zipfile

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from pypinyin import lazy_pinyin

from converter.write.excel import BLANK_MARKS, VALUE_MARKS, StatusLook

from .conftest import SAMPLES, run, run_to_file

WIDE = "宽表 Series"
LIST_SHEETS = ("宽表 Series", "长表 Long", "未映射 Unmapped", "勾稽关系 Rules", "来源 Sources", "提示 Findings")
PINGTAN = sorted((SAMPLES / "pingtan-series").glob("*.txt"))


@pytest.fixture(scope="module")
def series_path(tmp_path_factory):
    return run_to_file(tmp_path_factory, "series", "series.xlsx")


@pytest.fixture(scope="module")
def book(series_path):
    return load_workbook(series_path)


@pytest.fixture(scope="module")
def gap_path(tmp_path_factory):
    """平潭 without its 2019 report: 2018, then a year with no report, then 2020 and 2021."""
    folder = tmp_path_factory.mktemp("gap")
    for path in PINGTAN:
        if not path.name.startswith("2019"):
            (folder / path.name).write_bytes(path.read_bytes())
    out = folder / "s.xlsx"
    assert run("series", folder, "-o", out).exit_code == 0
    return out


def test_every_list_sheet_is_filtered_over_its_extent_with_a_frozen_header(book):
    for name in LIST_SHEETS:
        sheet = book[name]
        assert sheet.auto_filter.ref == f"A1:{sheet.dimensions.split(':')[1]}", name
        assert re.fullmatch(r"[A-Z]+2", sheet.freeze_panes), name
        assert sheet.print_title_rows == "$1:$1", name
    assert book[WIDE].freeze_panes == "E2"  # agency, group, indicator and unit stay in view
    assert book[WIDE].print_title_cols == "$A:$D"


def test_sheets_state_their_size_for_read_only_readers(series_path, book):
    read_only = load_workbook(series_path, read_only=True)
    for name in book.sheetnames:
        full = book[name]
        assert read_only[name].calculate_dimension() == f"A1:{full.dimensions.split(':')[1]}", name
        assert (read_only[name].max_row, read_only[name].max_column) == (full.max_row, full.max_column), name


def test_the_wide_view_names_agency_and_key_on_every_row_in_pinyin_order(book, mappings):
    sheet = book[WIDE]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["机构 agency", "分组 group", "指标 indicator", "单位 unit"]
    assert header[-3:] == ["编号 id", "表 table", "机构键 agency key"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert all(row[0] and row[-1] for row in rows)
    agencies = list(dict.fromkeys(row[0] for row in rows))
    assert agencies == sorted(agencies, key=lambda name: lazy_pinyin(name))
    assert agencies.index("宝丰县商务局") < agencies.index("金乡县商务局") < agencies.index("平潭综合实验区")
    # no blank separator or title rows: a filter on one agency keeps all of its rows
    per_agency = {a: sum(1 for row in rows if row[0] == a) for a in agencies}
    assert min(per_agency.values()) >= 2 + len(mappings.schema)


def test_every_year_between_first_and_last_has_a_column_and_a_gap_in_the_chart(gap_path):
    book = load_workbook(gap_path)
    sheet = book[WIDE]
    header = [c.value for c in sheet[1]]
    assert header[4:-3] == ["2018", "2019", "2020", "2021"]
    format_row = next(row for row in sheet.iter_rows(values_only=True) if row[2] == "格式 format")
    assert format_row[4:8] == (
        "legacy",
        "无报告 no report",
        "2019 ◀ 格式变化 break: legacy → 2019",
        "2021 ◀ 格式变化 break: 2019 → 2021",
    )
    charts = book["图表 Charts"]
    years = [row for row in charts.iter_rows(values_only=True) if row[0] and str(row[0]).startswith("20")]
    assert years[1] == ("2019 无报告 no report", None, None, None)  # a gap, never 0
    assert [y[0] for y in years] == ["2018", "2019 无报告 no report", "2020", "2021"]
    unmapped = [c.value for c in book["未映射 Unmapped"][1]]
    assert unmapped[-4:] == ["2018", "2019", "2020", "2021"]  # the absent year has its column there too


def test_charts_are_straight_lines_with_gaps_and_text_years(series_path):
    with zipfile.ZipFile(series_path) as archive:
        charts = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/charts/chart")]
    assert charts
    for xml in charts:
        series = re.findall(r"<ser>.*?</ser>", xml)
        assert series and all('<smooth val="0"/>' in s and "<strRef>" in s.split("<cat>")[1] for s in series)
        assert '<dispBlanksAs val="gap"/>' in xml


def test_status_reads_without_colour(book, mappings):
    sheet = book[WIDE]
    id_column = [c.value for c in sheet[1]].index("编号 id")
    seen = set()
    for row in sheet.iter_rows(min_row=2):
        if not row[id_column].value:
            continue
        for cell in row[4:id_column]:
            comment = cell.comment.text if cell.comment else ""
            status = re.search(r"\((\w+)\)\n", comment)
            if not status:
                continue
            status = status.group(1)
            seen.add(status)
            if VALUE_MARKS.get(status) and cell.value is not None and not isinstance(cell.value, str):
                assert cell.number_format == f'General" {VALUE_MARKS[status]}"'
            if status in BLANK_MARKS:
                assert cell.value == BLANK_MARKS[status]
    assert {"reported", "approx", "not_collected"} <= seen
    legend = book["图例 Legend"]
    header = [c.value for c in legend[1]]
    mark = header.index("标记 mark")
    marks = {row[0].value: row[mark] for row in legend.iter_rows(min_row=2, max_row=1 + len(mappings.statuses))}
    assert marks["approx"].value == 12 and marks["approx"].number_format == StatusLook.number_format("approx")
    assert marks["missing"].value == "?" and marks["not_collected"].value == "—"
    assert any("标记 mark" == row[0] for row in legend.iter_rows(values_only=True))


def test_print_setup_landscape_one_page_wide(book, series_path):
    for name in book.sheetnames:
        setup = book[name].page_setup
        assert setup.orientation == "landscape", name
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), name
        assert book[name].sheet_properties.pageSetUpPr.fitToPage, name
    with zipfile.ZipFile(series_path) as archive:
        names = archive.read("xl/workbook.xml").decode()
    assert (
        "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">'宽表 Series'!$1:$1,'宽表 Series'!$A:$D" in names
    )
    # printed: labels and years; the id, table and key columns are for the screen
    wide = book[WIDE]
    last_year = get_column_letter([c.value for c in wide[1]].index("编号 id"))
    assert wide.print_area == f"'宽表 Series'!$A$1:${last_year}${wide.max_row}"


def test_report_workbook_and_audit_print_and_filter(tmp_path):
    report = tmp_path / "r.xlsx"
    assert run("convert", SAMPLES / "2017-jinxiang-commerce-legacy-table.txt", "-o", report).exit_code == 0
    book = load_workbook(report)
    for name in book.sheetnames:
        assert book[name].page_setup.orientation == "landscape", name
    for name in ("全部数值 Values", "未映射 Unmapped", "勾稽关系 Rules", "提示 Findings"):
        assert book[name].print_title_rows == "$1:$1" and book[name].auto_filter.ref, name
    audit = tmp_path / "a.xlsx"
    assert run("audit", SAMPLES, "-o", audit).exit_code == 0
    full, read_only = load_workbook(audit), load_workbook(audit, read_only=True)
    for name in full.sheetnames:
        assert read_only[name].calculate_dimension() == full[name].dimensions
        assert full[name].auto_filter.ref == full[name].dimensions
        assert full[name].print_title_rows == "$1:$1"


def test_writing_reports_its_progress_to_the_end(tmp_path, mappings):
    from converter import read_report
    from converter.corpus.series import assemble
    from converter.write.series_workbook import WRITE_STEPS, write_series_workbook

    series = assemble([read_report(p, mappings=mappings) for p in PINGTAN], mappings)
    steps = []
    write_series_workbook(series, mappings, tmp_path / "s.xlsx", steps.append)
    assert sum(steps) == WRITE_STEPS * len(PINGTAN)
