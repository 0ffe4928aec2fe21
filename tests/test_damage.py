"""Damaged reports: a table cut off, a number changed, a value printed as a dash."""

from decimal import Decimal

import pytest

from converter import read_report

from .conftest import SAMPLES

BAOFENG = SAMPLES / "2023-baofeng-commerce-2021format-tabs.txt"
WULANCHABU = SAMPLES / "2023-wulanchabu-commerce-2021format-one-cell-per-line.txt"


def _write(tmp_path, lines):
    path = tmp_path / "damaged.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_table_cut_mid_row(tmp_path, mappings):
    lines = WULANCHABU.read_text(encoding="utf-8").splitlines()
    # line 147 is 「6.属于四类过程性信息」; keep its first three values (lines 148-150) and stop there
    report = read_report(_write(tmp_path, lines[:150]), mappings=mappings)
    obs = report.observations
    assert obs["apply.withheld.internal_affairs.total"].status == "reported"
    assert [obs[f"apply.withheld.process_info.{c}"].value for c in ("natural_person", "commercial", "research")] == [
        0,
        0,
        0,
    ]
    for cell in (
        "apply.withheld.process_info.nonprofit",
        "apply.withheld.process_info.total",
        "apply.total.total",
        "apply.carried_out.total",
        "review.upheld",
        "litigation.all.total",
    ):
        assert (obs[cell].value, obs[cell].status) == (None, "missing"), cell
    counts = report.status_counts()
    assert counts["reported"] == 10 + 9 * 7 + 3
    truncated = [f for f in report.findings if f.code == "truncated-table"]
    assert [f.message for f in truncated] == [
        "table 三 stops after line 150 inside row 「6.属于四类过程性信息」 (3 of 7 values read); "
        "15 of 25 rows not reached; the rest are missing",
    ]
    assert any(f.code == "table-not-found" for f in report.findings)  # table 四 is gone entirely


def test_table_cut_between_rows(tmp_path, mappings):
    lines = BAOFENG.read_text(encoding="utf-8").splitlines()
    report = read_report(_write(tmp_path, lines[:50]), mappings=mappings)  # through 「6.属于四类过程性信息」
    truncated = [f.message for f in report.findings if f.code == "truncated-table"]
    assert truncated == ["table 三 stops after line 50: 10 of 25 rows read; the rest are missing"]
    assert report.observations["apply.withheld.process_info.other_org"].value == 0
    assert report.observations["apply.withheld.enforcement_file.natural_person"].status == "missing"


def _changed(tmp_path, line_number, old, new):
    lines = BAOFENG.read_text(encoding="utf-8").splitlines()
    assert old in lines[line_number - 1]
    lines[line_number - 1] = lines[line_number - 1].replace(old, new, 1)
    return _write(tmp_path, lines)


def test_one_changed_number_gives_exactly_its_rule_findings(tmp_path, mappings):
    # line 43: 「(一) 予以公开」; its first value is the 自然人 column
    report = read_report(_changed(tmp_path, 43, "予以公开\t0", "予以公开\t5"), mappings=mappings)
    assert report.observations["apply.granted.natural_person"].value == 5
    mismatches = sorted((f.id, f.message) for f in report.findings if f.code == "sum-mismatch")
    assert [m[0] for m in mismatches] == ["results-total[natural_person]", "row-total[granted]"]
    assert (
        "左边 「（七）总计 · 自然人」 = 0 应等于右边 「（一）予以公开 · 自然人」 … "
        "「（六）其他处理 小计 · 自然人」 共 6 个单元格之和 = 5（差额 -5）" in mismatches[0][1]
    )
    assert "左边 「（一）予以公开 · 总计」 = 0 应等于右边" in mismatches[1][1] and "（差额 -5）" in mismatches[1][1]
    failed = [c for c in report.checks if c.status == "failed"]
    assert [(c.left_value, c.right_value, c.difference) for c in failed] == [(0, 5, -5), (0, 5, -5)]


def test_changed_grand_total_breaks_three_rules(tmp_path, mappings):
    # line 64: 「(七) 总计」; its seventh value is the 总计 column
    lines = BAOFENG.read_text(encoding="utf-8").splitlines()
    cells = lines[63].split("\t")
    cells[7] = "2"
    lines[63] = "\t".join(cells)
    report = read_report(_write(tmp_path, lines), mappings=mappings)
    assert report.observations["apply.total.total"].value == 2
    ids = sorted(f.id for f in report.findings if f.code == "sum-mismatch")
    assert ids == ["balance[total]", "results-total[total]", "row-total[total]"]


@pytest.mark.parametrize("mark", ["—", "-", "/", "_", "无", ""])
def test_no_value_marks_are_missing_not_zero(tmp_path, mappings, mark):
    lines = BAOFENG.read_text(encoding="utf-8").splitlines()
    lines[26] = f"行政许可\t{mark}\t\t"  # line 27
    lines[40] = lines[40].replace("\t0\t0\t", f"\t0\t{mark}\t", 1) if mark else lines[40]  # 本年新收, 商业企业
    report = read_report(_write(tmp_path, lines), mappings=mappings)
    licensing = report.observations["art20.licensing.decisions"]
    assert (licensing.value, licensing.status) == (None, "missing")
    if mark:
        assert [f.line for f in report.findings if f.code == "missing-value"] == [27, 41]
        commercial = report.observations["apply.new.commercial"]
        assert (commercial.value, commercial.status) == (None, "missing")
        assert report.observations["apply.new.legal_person"].status == "missing"
        incomplete = [f for f in report.findings if f.code == "rule-incomplete"]
        assert {f.id for f in incomplete} == {"balance", "row-total"}
    else:  # a row whose only value cell is blank: nothing printed at all
        assert report.observations["art20.penalty.decisions"].value == Decimal(0)


def test_row_with_too_many_values_is_left_missing(tmp_path, mappings):
    lines = BAOFENG.read_text(encoding="utf-8").splitlines()
    lines[22] = "规章\t0\t0\t0\t7"  # line 23: four values where three are expected
    report = read_report(_write(tmp_path, lines), mappings=mappings)
    assert [report.observations[f"art20.regulation.{c}"].status for c in ("issued", "repealed", "in_force")] == [
        "missing"
    ] * 3
    assert [f.code for f in report.findings if f.line == 23] == ["row-misfit"]
    assert [(u["raw"], u["reason"]) for u in report.unmapped] == [
        ("0", "row has 4 value(s) where 3 were expected")
    ] * 3 + [("7", "row has 4 value(s) where 3 were expected")]


def test_unknown_label_inside_a_table(tmp_path, mappings):
    lines = BAOFENG.read_text(encoding="utf-8").splitlines()
    lines.insert(41, "一、本年新收政府信息公开申请数量（其中网上申请）\t\t4\t0\t0\t0\t0\t0\t4")
    report = read_report(_write(tmp_path, lines), mappings=mappings)
    unknown = [f for f in report.findings if f.code == "unknown-label"]
    assert len(unknown) == 1 and "closest known label: 「一、本年新收政府信息公开申请数量」" in unknown[0].message
    assert [u["value"] for u in report.unmapped] == [4, 0, 0, 0, 0, 0, 4]
    assert report.status_counts()["reported"] == 200


def test_numbers_outside_rows_are_listed_not_dropped(tmp_path, mappings):
    lines = BAOFENG.read_text(encoding="utf-8").splitlines()
    lines.insert(72, "7")  # after table 四's 15 values (line 72), before 五
    lines.insert(21, "3")  # in table 二, before its first caption (line 21)
    report = read_report(_write(tmp_path, lines), mappings=mappings)
    strays = [(u["raw"], u["line"], u["reason"]) for u in report.unmapped]
    assert strays == [("3", 22, "stray-value"), ("7", 74, "stray-value")]
    assert [f.line for f in report.findings if f.code == "stray-value"] == [22, 74]
    assert report.ledger == {
        "source_numbers": 202,
        "mapped": 200,
        "unmapped": 2,
        "ambiguous": 0,
        "unplaced": 0,
        "balanced": True,
    }
    assert report.status_counts()["reported"] == 200
