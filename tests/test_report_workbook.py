"""`xxgk convert`: each sample's workbook read back with openpyxl and pandas equals `inspect --json`."""

import json
import re

import pandas
import pytest
from openpyxl import load_workbook

from converter.write.excel import BLANK_MARKS, VALUE_MARKS, StatusLook

from .conftest import REPORTS, SAMPLES, run
from .regenerate_expected import expected as expected_counts

JINXIANG = SAMPLES / "2017-jinxiang-commerce-legacy-table.txt"
SHANGHAI = SAMPLES / "2019-shanghai-gov-office-2019format-saved-page.html"


def inspect_json(path):
    result = run("inspect", "--json", path)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """Every sample converted in one run; {sample: (workbook path, inspect --json)}."""
    folder = tmp_path_factory.mktemp("converted")
    result = run("convert", SAMPLES, "-o", folder)
    assert result.exit_code == 0, result.stderr
    return {path: (folder / f"{path.stem}.xlsx", inspect_json(path)) for path in REPORTS}


@pytest.fixture(scope="module")
def colours(mappings):
    return {status: style.fill for status, style in mappings.statuses.items()}


def fill_of(cell):
    return cell.fill.fgColor.rgb[-6:]


@pytest.mark.parametrize("sample", REPORTS, ids=lambda p: p.stem)
def test_values_sheet_equals_inspect_json(converted, sample, colours):
    path, expected = converted[sample]
    frame = pandas.read_excel(path, sheet_name="全部数值 Values", dtype=object)
    assert list(frame["编号 id"]) == [o["id"] for o in expected["observations"]]
    for (_, row), obs in zip(frame.iterrows(), expected["observations"]):
        value = row["数值 value"]
        assert (None if pandas.isna(value) else value) == obs["value"], obs["id"]
        assert row["状态 status"] == obs["status"]
        assert (row["关系 relation"] if isinstance(row["关系 relation"], str) else "") == obs["relation"]
    sheet = load_workbook(path)["全部数值 Values"]
    status_fills = {sheet.cell(r, 6).value: fill_of(sheet.cell(r, 6)) for r in range(2, sheet.max_row + 1)}
    assert status_fills == {s: colours[s] for s in status_fills}


@pytest.mark.parametrize("sample", REPORTS, ids=lambda p: p.stem)
def test_tables_sheet_cells_show_value_status_and_provenance(converted, sample, colours):
    """Every observation appears once in the official layout, with its colour and a comment naming it."""
    path, expected = converted[sample]
    sheet = load_workbook(path)["2021格式 Tables"]
    by_id = {o["id"]: o for o in expected["observations"]}
    seen = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.comment is None:
                continue
            cell_id = re.match(r"编号 id: (\S+)", cell.comment.text).group(1)
            obs = by_id[cell_id]
            # no value: the status's text mark (— not collected, ? missing), never 0
            assert cell.value == StatusLook.shown(obs["value"], obs["status"]), cell_id
            assert obs["value"] is not None or cell.value in BLANK_MARKS.values()
            assert cell.number_format.endswith(
                f'" {VALUE_MARKS[obs["status"]]}"' if VALUE_MARKS.get(obs["status"]) else ("General", "#")
            )
            assert fill_of(cell) == colours[obs["status"]], cell_id
            assert f"({obs['status']})" in cell.comment.text
            if obs["line"]:
                assert f"line {obs['line']}" in cell.comment.text
            seen[cell_id] = cell.coordinate
    assert set(seen) == set(by_id)  # the 200 printed cells and the 62 derived ones, each once


def test_official_layout_headers_are_merged(converted):
    path, _ = converted[SAMPLES / "2023-baofeng-commerce-2021format-tabs.txt"]
    sheet = load_workbook(path)["2021格式 Tables"]
    merged = {str(r): sheet[str(r).split(":")[0]].value for r in sheet.merged_cells.ranges}
    expected = {
        "A5:D5": "第二十条第（一）项",
        "B10:D10": "本年处理决定数量",
        "A21:C23": "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        "D21:J21": "申请人情况",
        "D22:D23": "自然人",
        "E22:I22": "法人或其他组织",
        "J22:J23": "总计",
        "A24:C24": "一、本年新收政府信息公开申请数量",
        "A26:A47": "三、本年度办理结果",
        "B28:B35": "（三）不予公开",
        "B47:C47": "（七）总计",
        "A56:E57": "行政复议",
        "F56:O56": "行政诉讼",
        "F57:J57": "未经复议直接起诉",
        "K57:O57": "复议后起诉",
    }
    assert {k: merged.get(k) for k in expected} == expected
    assert sheet["A4"].value == "二、主动公开政府信息情况"
    assert sheet["A58"].value == "结果维持" and sheet["O58"].value == "总计"


def test_not_collected_cells_are_blank_never_zero(converted, colours):
    path, expected = converted[JINXIANG]
    not_collected = {o["id"] for o in expected["observations"] if o["status"] == "not_collected"}
    assert len(not_collected) == expected_counts(JINXIANG)["status_counts"]["not_collected"]
    sheet = load_workbook(path)["2021格式 Tables"]
    cells = [c for row in sheet.iter_rows() for c in row if c.comment and "(not_collected)" in c.comment.text]
    assert len(cells) == len(not_collected)
    # no number, never 0: the not-collected mark, readable without colour
    assert all(c.value == BLANK_MARKS["not_collected"] and fill_of(c) == colours["not_collected"] for c in cells)


@pytest.mark.parametrize("sample", [JINXIANG, SHANGHAI], ids=lambda p: p.stem)
def test_unmapped_rules_and_source_sheets(converted, sample, mappings):
    path, expected = converted[sample]
    unmapped = pandas.read_excel(path, sheet_name="未映射 Unmapped", dtype=object)
    assert len(unmapped) == len(expected["unmapped"]) > 0
    for (_, row), entry in zip(unmapped.iterrows(), expected["unmapped"]):
        assert row["标签 printed label"] == entry["label"]
        assert (None if pandas.isna(row["数值 value"]) else row["数值 value"]) == entry["value"]
        assert row["原因 reason"] == entry["reason"]
    rules = pandas.read_excel(path, sheet_name="勾稽关系 Rules", dtype=object)
    checks = expected["source_checks"] + expected["checks"]
    assert list(rules["规则 rule"]) == [c["rule"] for c in checks]
    assert list(rules["结果 result"]) == [c["status"] for c in checks]
    for column, key in (
        ("左值 left value", "left_value"),
        ("右值 right value", "right_value"),
        ("差额 difference", "difference"),
    ):
        assert [None if pandas.isna(v) else v for v in rules[column]] == [c[key] for c in checks]
    source = dict(pandas.read_excel(path, sheet_name="来源 Source", dtype=object).values)
    assert source["文件 file"] == str(sample)
    assert source["SHA-256"] == expected["sha256"]
    assert source["机构 agency"] == expected["agency"] and source["年度 year"] == expected["year"]
    assert source["格式 format"] == expected["format"]
    assert source["映射表版本 mapping tables version"] == mappings.version
    findings = pandas.read_excel(path, sheet_name="提示 Findings", dtype=object)
    assert list(findings["代码 code"]) == [f["code"] for f in expected["findings"]]


def test_failed_rule_shows_both_sides_and_difference(tmp_path):
    """宝丰 with 予以公开·自然人 changed 0 -> 5: the failures carry the numbers."""
    text = (SAMPLES / "2023-baofeng-commerce-2021format-tabs.txt").read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(text) if "予以公开" in t)
    text[line] = text[line].replace("0", "5", 1)
    changed = tmp_path / "baofeng-changed.txt"
    changed.write_text("\n".join(text), encoding="utf-8")
    out = tmp_path / "changed.xlsx"
    assert run("convert", changed, "-o", out).exit_code == 0
    rules = pandas.read_excel(out, sheet_name="勾稽关系 Rules", dtype=object)
    failed = rules[rules["结果 result"] == "failed"]
    assert sorted(failed["规则 rule"]) == ["results-total[natural_person]", "row-total[granted]"]
    assert set(failed["差额 difference"]) == {-5}
    sheet = load_workbook(out)["勾稽关系 Rules"]
    assert {fill_of(sheet.cell(r, 8)) for r in range(2, sheet.max_row + 1) if sheet.cell(r, 8).value == "failed"} == {
        "F8CBAD"
    }


def test_convert_one_file_to_a_named_workbook_and_refuse_many(tmp_path):
    target = tmp_path / "jinxiang.xlsx"
    result = run("convert", JINXIANG, "-o", target)
    assert result.exit_code == 0 and target.is_file()
    assert result.stdout.strip() == f"{JINXIANG} -> {target}"
    result = run("convert", JINXIANG, SHANGHAI, "-o", tmp_path / "two.xlsx")
    assert result.exit_code == 2
    assert "names one workbook but 2 reports were given" in result.stderr


def test_convert_batch_goes_on_after_a_bad_file(tmp_path):
    bad = tmp_path / "in" / "not-a-report.txt"
    bad.parent.mkdir()
    bad.write_text("这不是年度报告。\n", encoding="utf-8")
    (tmp_path / "in" / "jinxiang.txt").write_bytes(JINXIANG.read_bytes())
    result = run("convert", tmp_path / "in", "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: {bad}: no statistical table of a known format was found (is this a 政府信息公开工作年度报告?)",
        "2 files: 1 read (legacy 1), 1 failed",
    ]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["jinxiang.xlsx"]
