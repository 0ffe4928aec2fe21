"""`xxgk series`: the series workbook read back equals `inspect --json` of every sample; agency
identity, duplicates, manifest, format breaks and charts."""

import json
import re
import zipfile

import pandas
import pytest
from openpyxl import load_workbook

from converter import read_report
from converter.corpus.series import agency_key, assemble, build_series
from converter.write.excel import StatusLook

from .conftest import REPORTS, SAMPLES, run, run_to_file
from .regenerate_expected import expected as expected_counts
from .test_report_workbook import fill_of

PINGTAN = sorted((SAMPLES / "pingtan-series").glob("*.txt"))
WIDE, LONG, UNMAPPED = "宽表 Series", "长表 Long", "未映射 Unmapped"
# In a series, 平潭's 2020 现行有效件数 (2019 format: not collected) is back-cast from its 2021 report
# (in force − issued + repealed), status approx (issue 13); every other value is inspect's.
BACKCAST = {
    (str(PINGTAN[2]), "art20.regulation.in_force"): (0, "approx"),
    (str(PINGTAN[2]), "art20.normative.in_force"): (665 - 69 + 3, "approx"),
}


def _in_series(file: str, observation: dict) -> tuple:
    """(value, status) of a report's value as the series shows it."""
    return BACKCAST.get((file, observation["id"]), (observation["value"], observation["status"]))


@pytest.fixture(scope="module")
def workbook_path(tmp_path_factory):
    return run_to_file(tmp_path_factory, "series", "series.xlsx")


@pytest.fixture(scope="module")
def expected():
    """inspect --json of every sample, by file name as the workbook writes it."""
    out = {}
    for path in REPORTS:
        result = run("inspect", "--json", path)
        out[str(path)] = json.loads(result.stdout)
    return out


@pytest.fixture(scope="module")
def wide(workbook_path):
    return load_workbook(workbook_path)[WIDE]


def test_long_sheet_holds_every_value_of_every_report(workbook_path, expected):
    frame = pandas.read_excel(workbook_path, sheet_name=LONG, dtype=object)
    frame = frame[frame["表 table"] != "文字 narrative"]  # the prose figures: test_narrative.py
    assert len(frame) == sum(len(r["observations"]) for r in expected.values())
    got = {
        (row["源文件 source file"], row["编号 id"]): (
            None if pandas.isna(row["数值 value"]) else row["数值 value"],
            row["状态 status"],
            row["年度 year"],
            row["格式 format"],
        )
        for _, row in frame.iterrows()
    }
    want = {
        (file, o["id"]): (*_in_series(file, o), r["year"], r["format"])
        for file, r in expected.items()
        for o in r["observations"]
    }
    assert got == want


def test_build_series_is_the_long_sheet(workbook_path, mappings):
    frame = build_series(REPORTS, mappings=mappings)
    sheet = pandas.read_excel(workbook_path, sheet_name=LONG, dtype=object)
    assert list(frame.columns) == [
        "agency",
        "agency_key",
        "year",
        "format",
        "id",
        "table",
        "indicator",
        "unit",
        "value",
        "status",
        "meaning",
        "combination",
        "file",
        "printed_label",
        "line",
        "note",
    ]
    assert len(frame) == len(sheet)
    assert list(frame["id"]) == list(sheet["编号 id"]) and list(frame["status"]) == list(sheet["状态 status"])
    values = [None if pandas.isna(v) else v for v in frame["value"]]
    assert values == [None if pandas.isna(v) else v for v in sheet["数值 value"]]


def _blocks(wide):
    """{agency: {"rows": {id: row}, "format": row, "file": row}} from the wide sheet, where every row names
    its agency (column A), its indicator (column C) and its id (column 编号 id)."""
    header = {c.value: c.column for c in wide[1] if c.value}
    id_column = header["编号 id"]
    blocks = {}
    for row in wide.iter_rows(min_row=2):
        agency, indicator, cell_id = row[0].value, row[2].value, row[id_column - 1].value
        block = blocks.setdefault(agency, {"rows": {}, "format": None, "file": None})
        if indicator == "格式 format":
            block["format"] = row[0].row
        elif indicator == "文件 file":
            block["file"] = row[0].row
        elif cell_id:
            block["rows"][cell_id] = row[0].row
    return header, blocks


def test_wide_sheet_values_colours_and_comments(wide, workbook_path, expected, mappings):
    header, blocks = _blocks(wide)
    colours = {s: style.fill for s, style in mappings.statuses.items()}
    sources = pandas.read_excel(workbook_path, sheet_name="来源 Sources", dtype=object)
    column_of = dict(zip(sources["文件 file"], sources["列 column"]))  # a second report of a year has its own column
    checked = 0
    for file, report in expected.items():
        block = blocks[_series_name(report, expected, mappings.normalizer)]
        column = header[column_of[file]]
        assert wide.cell(block["file"], column).value == file.rsplit("/", 1)[-1]
        for obs in report["observations"]:
            cell = wide.cell(block["rows"][obs["id"]], column)
            value, status = _in_series(file, obs)
            assert cell.value == StatusLook.shown(value, status), (file, obs["id"])
            assert fill_of(cell) == colours[status]
            assert cell.comment.text.startswith(f"编号 id: {obs['id']}\n")
            checked += 1
    assert checked == sum(len(r["observations"]) for r in expected.values())


def _series_name(report, expected, normalizer):
    """The agency name a block shows: the name printed in that agency's latest report."""
    key = agency_key(report["agency"], normalizer)
    same = [r for r in expected.values() if agency_key(r["agency"], normalizer) == key]
    return max(same, key=lambda r: r["year"])["agency"]


def test_format_breaks_are_marked_down_the_pingtan_block(wide):
    header, blocks = _blocks(wide)
    block = blocks["平潭综合实验区"]
    formats = {
        year: wide.cell(block["format"], header[year]).value for year in ("2017", "2018", "2019", "2020", "2021")
    }
    assert formats == {
        "2017": "无报告 no report",
        "2018": "legacy",
        "2019": "2019 ◀ 格式变化 break: legacy → 2019",
        "2020": "2019",
        "2021": "2021 ◀ 格式变化 break: 2019 → 2021",
    }
    for year in ("2019", "2021"):
        column = header[year]
        edges = {
            wide.cell(r, column).border.left.style for r in range(block["format"], max(block["rows"].values()) + 1)
        }
        assert edges == {"thick"}
        assert fill_of(wide.cell(block["format"], column)) == "FFC7CE"
    assert {wide.cell(block["rows"]["apply.new.total"], header["2020"]).border.left.style} == {None}


def test_unmapped_sheet_has_one_row_per_field_and_a_column_per_year(workbook_path, expected):
    frame = pandas.read_excel(workbook_path, sheet_name=UNMAPPED, dtype=object)
    for report in expected.values():
        if not report["unmapped"]:
            continue
        rows = frame[frame["机构 agency"] == report["agency"]]
        values = {
            (
                r["栏目 section"] if isinstance(r["栏目 section"], str) else "",
                r["标签 printed label"],
                r["列 column"] if isinstance(r["列 column"], str) else "",
            ): r[str(report["year"])]
            for _, r in rows.iterrows()
        }
        for entry in report["unmapped"]:
            got = values[(entry["section"], entry["label"], entry["column"])]
            want = entry["value"] if entry["value"] is not None else (entry["raw"] or None)
            assert (None if pandas.isna(got) else got) == want, entry
    jinxiang = frame[frame["机构 agency"] == "金乡县商务局"]
    assert len(jinxiang) == expected_counts(SAMPLES / "2017-jinxiang-commerce-legacy-table.txt")["unmapped"]


def test_rules_sources_findings_and_legend(workbook_path, expected, mappings):
    rules = pandas.read_excel(workbook_path, sheet_name="勾稽关系 Rules", dtype=object)
    across = rules[rules["适用于 checked on"] == "跨年 across years"]
    assert len(rules) - len(across) == sum(len(r["checks"]) + len(r["source_checks"]) for r in expected.values())
    # 平潭 carries 0 out of 2019 and 2020 and 0 into 2020 and 2021: 7 applicant columns, two pairs of years
    assert sorted(set(across["年度 year"])) == ["2019→2020", "2020→2021"] and len(across) == 14
    assert set(across["结果 result"]) == {"passed"} and set(across["规则 rule"].str[:10]) == {"carry-over"}
    failed = rules[rules["结果 result"] == "failed"]
    assert sorted(zip(failed["年度 year"], failed["规则 rule"], failed["差额 difference"])) == [
        (2020, "results-total[natural_person]", -6),
        (2020, "results-total[total]", -6),
    ]
    sources = pandas.read_excel(workbook_path, sheet_name="来源 Sources", dtype=object)
    assert sorted(sources["文件 file"]) == sorted(expected)
    assert dict(zip(sources["文件 file"], sources["SHA-256"])) == {f: r["sha256"] for f, r in expected.items()}
    findings = pandas.read_excel(workbook_path, sheet_name="提示 Findings", dtype=object)
    per_report = findings[findings["代码 code"] != "duplicate-agency-year"]
    assert len(per_report) == sum(len(r["findings"]) for r in expected.values())
    assert sorted(zip(per_report["文件 file"], per_report["代码 code"])) == sorted(
        (file, f["code"]) for file, r in expected.items() for f in r["findings"]
    )
    legend = pandas.read_excel(workbook_path, sheet_name="图例 Legend", dtype=object)
    assert list(legend["状态 status"][:7]) == list(mappings.statuses)
    assert list(legend["中文 Chinese"][:7]) == [s.name_zh for s in mappings.statuses.values()]
    assert list(legend["English"][:7]) == [s.name_en for s in mappings.statuses.values()]
    sheet = load_workbook(workbook_path)["图例 Legend"]
    assert [fill_of(sheet.cell(r, 4)) for r in range(2, 9)] == [s.fill for s in mappings.statuses.values()]


def test_line_chart_of_key_series_for_every_agency_with_several_reports(workbook_path, wide):
    _, blocks = _blocks(wide)
    sources = pandas.read_excel(workbook_path, sheet_name="来源 Sources", dtype=object)
    several = sorted(a for a, n in sources["机构 agency"].value_counts().items() if n >= 2)
    with zipfile.ZipFile(workbook_path) as archive:
        charts = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 2 * len(several) >= 2  # applications and licensing decisions apart: not one axis
    assert all("<lineChart>" in xml and '<dispBlanksAs val="gap"/>' in xml for xml in charts)
    sheet = load_workbook(workbook_path)["图表 Charts"]
    title_row = next(c.row for c in sheet["A"] if c.value == "平潭综合实验区")
    applications, licensing = (x for x in charts if "平潭综合实验区" in x)
    header, first, last = title_row + 1, title_row + 2, title_row + 5
    for reference in (
        f"'图表 Charts'!B{header}",
        f"'图表 Charts'!C{header}",
        f"'图表 Charts'!$A${first}:$A${last}",
        f"'图表 Charts'!$B${first}:$B${last}",
    ):
        assert reference in applications
    assert f"'图表 Charts'!D{header}" in licensing and f"'图表 Charts'!D{header}" not in applications
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=first, max_row=last, max_col=4)]
    assert rows == [["2018", 0, 0, None], ["2019", 23, 23, 181], ["2020", 21, 21, 278], ["2021", 70, 69, 2293]]


def test_agency_names_compared_after_script_space_and_doubled_city(mappings):
    key = mappings.normalizer
    assert agency_key("撫順市市場監督管理局", key) == agency_key("抚顺市场监督管理局", key)
    assert agency_key("平潭 综合实验区", key) == agency_key("平潭综合实验区", key)
    assert agency_key("乌兰察布市市商务局", key) == agency_key("乌兰察布市商务局", key)
    assert agency_key("金乡县商务局", key) != agency_key("金乡县人民政府", key)


def test_traditional_and_simplified_reports_of_one_agency_form_one_series(tmp_path, mappings):
    """嘉兴 2024 printed in Traditional beside a Simplified copy labelled 2023: one agency, two years."""
    jiaxing = SAMPLES / "2024-jiaxing-commerce-2021format-traditional-pinyin-pipes.txt"
    simplified = tmp_path / "jiaxing-simplified.txt"
    simplified.write_text(mappings.normalizer.simplified(jiaxing.read_text(encoding="utf-8")), encoding="utf-8")
    reports = [read_report(jiaxing, mappings=mappings), read_report(simplified, mappings=mappings, year=2023)]
    series = assemble(reports, mappings)
    assert len(series.agencies) == 1
    agency = series.agencies[0]
    assert agency.name == "嘉兴市商务局" and agency.names == ["嘉兴市商务局"]  # the name in Simplified script
    assert [r.agency_printed for r in reports] == ["嘉興市商務局", "嘉兴市商务局"]
    assert [s.title for s in agency.columns] == ["2024", "2023"] and not agency.breaks


def test_two_reports_for_one_agency_and_year_are_both_kept(tmp_path, mappings):
    folder = tmp_path / "in"
    folder.mkdir()
    baofeng = SAMPLES / "2023-baofeng-commerce-2021format-tabs.txt"
    for name in ("a.txt", "b.txt"):
        (folder / name).write_bytes(baofeng.read_bytes())
    out = tmp_path / "s.xlsx"
    result = run("series", folder, "-o", out)
    assert result.exit_code == 0
    assert result.stderr.strip().splitlines() == [
        f"Warning: 宝丰县商务局 2023 有 2 份报告：{folder / 'a.txt'} 和 {folder / 'b.txt'}；全部保留为 2023 至 "
        "2023 (2) 列，请核对哪一份正确 / 2 reports for one agency and year, all kept: check which is right",
        "2 files: 2 read (2021 2), 0 failed",
    ]
    wide = load_workbook(out)[WIDE]
    assert [c.value for c in wide[1]][4:-3] == ["2023", "2023 (2)"]
    long = pandas.read_excel(out, sheet_name=LONG)
    assert len(long[long["表 table"] != "文字 narrative"]) == 2 * len(mappings.schema)  # every cell of both reports
    findings = pandas.read_excel(out, sheet_name="提示 Findings", dtype=object)
    assert list(findings["代码 code"]) == ["duplicate-agency-year"]


def test_manifest_overrides_agency_and_year(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x.txt").write_bytes((SAMPLES / "2023-baofeng-commerce-2021format-tabs.txt").read_bytes())
    (folder / "y.txt").write_bytes((SAMPLES / "2023-wulanchabu-commerce-2021format-one-cell-per-line.txt").read_bytes())
    manifest = folder / "manifest.csv"
    manifest.write_text("file,agency,year\nx.txt,某县商务局,2022\ny.txt,某县商务局,\n", encoding="utf-8")
    out = tmp_path / "s.xlsx"
    result = run("series", folder, "--manifest", manifest, "-o", out)
    assert result.exit_code == 0, result.stderr
    sources = pandas.read_excel(out, sheet_name="来源 Sources", dtype=object)
    assert list(zip(sources["机构 agency"], sources["年度 year"])) == [("某县商务局", 2022), ("某县商务局", 2023)]


def test_bad_manifest_is_one_line(tmp_path):
    manifest = tmp_path / "m.csv"
    manifest.write_text("name,year\nx.txt,2020\n", encoding="utf-8")
    result = run(
        "series",
        SAMPLES / "2023-baofeng-commerce-2021format-tabs.txt",
        "--manifest",
        manifest,
        "-o",
        tmp_path / "s.xlsx",
    )
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == f"Error: {manifest}: the manifest needs a header row with the columns file, agency, year"
    )
    assert not (tmp_path / "s.xlsx").exists()


def test_a_workbook_xxgk_wrote_into_the_folder_is_not_read_back_as_a_report(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "baofeng.txt").write_bytes((SAMPLES / "2023-baofeng-commerce-2021format-tabs.txt").read_bytes())
    for _ in range(2):
        result = run("series", folder, "-o", folder / "series.xlsx")
        assert result.exit_code == 0
        assert (
            result.stdout.strip() == f"{folder / 'series.xlsx'}: 1 reports, 1 agencies, 1 year columns, 0 format breaks"
        )


def test_a_large_series_comments_only_the_questioned_cells(tmp_path, monkeypatch):
    from converter.write import series_workbook

    monkeypatch.setattr(series_workbook, "MAX_COMMENTS", 500)  # 1,048 value cells, 380 of them questioned
    out = tmp_path / "s.xlsx"
    assert run("series", SAMPLES / "pingtan-series", "-o", out).exit_code == 0
    wide = load_workbook(out)[WIDE]
    statuses = {
        re.search(r"\((\w+)\)\n", c.comment.text).group(1) for row in wide.iter_rows() for c in row if c.comment
    }
    assert statuses == {"exact", "approx"}  # 平潭 has no summed or missing cell
    legend = pandas.read_excel(out, sheet_name="图例 Legend", header=None, dtype=object)
    assert any("only cells with status exact, approx, summed, missing carry a comment" in str(v) for v in legend[2])


def test_a_long_table_beyond_the_sheet_row_limit_goes_on_in_further_sheets(tmp_path, monkeypatch, mappings):
    from converter.write import series_workbook

    monkeypatch.setattr(series_workbook, "MAX_SHEET_ROWS", 500)  # 4 reports × 262 values = 1,048 rows
    out = tmp_path / "s.xlsx"
    assert run("series", SAMPLES / "pingtan-series", "-o", out).exit_code == 0
    book = load_workbook(out, read_only=True)
    parts = [name for name in book.sheetnames if name.startswith(LONG)]
    assert parts == [LONG, f"{LONG} 2", f"{LONG} 3"]
    frames = [pandas.read_excel(out, sheet_name=name) for name in parts]
    narrative = sum(len(f[f["表 table"] == "文字 narrative"]) for f in frames)  # 平潭's prose figures
    assert [len(f) for f in frames] == [499, 499, 50 + narrative]
    assert sum(len(f) for f in frames) == 4 * len(mappings.schema) + narrative
    legend = pandas.read_excel(out, sheet_name="图例 Legend", header=None, dtype=object)
    assert any("已分成多张工作表" in str(v) for v in legend[2])


def test_a_wide_view_beyond_the_sheet_row_limit_goes_on_in_further_sheets(tmp_path, monkeypatch, mappings):
    from converter.write import series_workbook

    monkeypatch.setattr(series_workbook, "MAX_SHEET_ROWS", 600)  # room for 2 agency blocks of 269 rows
    out = tmp_path / "s.xlsx"
    assert run("series", SAMPLES, "-o", out).exit_code == 0
    book = load_workbook(out)
    parts = [name for name in book.sheetnames if name.startswith(WIDE)]
    assert parts == [WIDE, f"{WIDE} 2", f"{WIDE} 3", f"{WIDE} 4"]  # 7 agencies, whole blocks only
    agencies = [c.value for name in parts for c in book[name]["A"] if c.font.b and c.font.sz == 12]
    assert len(agencies) == 7 and "平潭综合实验区" in agencies
