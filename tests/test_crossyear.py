"""Checks across years (issue 13): one agency's report of year N against its report of year N-1, in the
series and in the audit; a gap or a duplicate is incomplete, never a failure; the 2020 back-cast."""

import pandas
import pytest

from converter import read_report
from converter.corpus.audit import crossyear_rows
from converter.corpus.crossyear import check_facts, year_facts
from converter.corpus.series import assemble

from .conftest import SAMPLES, run

PINGTAN = SAMPLES / "pingtan-series"
P2018, P2019, P2020, P2021 = sorted(PINGTAN.glob("*.txt"))
CARRIED_IN = "二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0"
NORMATIVE = "行政规范性文件\t69\t3\t665"


def _next_year(tmp_path, name: str, *, carried_in=(1, 0, 0, 0, 0, 0, 1), in_force=665 + 69 - 3):
    """平潭's 2021 report again as if for 2022: its 上年结转 and 现行有效件数 as given (by default the ones
    that follow from 2021: 1 carried out, 665 in force + 69 issued - 3 repealed)."""
    text = P2021.read_text(encoding="utf-8")
    assert CARRIED_IN in text and NORMATIVE in text
    text = text.replace(CARRIED_IN, "二、上年结转政府信息公开申请数量\t" + "\t".join(map(str, carried_in)))
    text = text.replace(NORMATIVE, f"行政规范性文件\t69\t3\t{in_force}")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _series(mappings, *paths_and_years):
    reports = [read_report(path, mappings=mappings, year=year) for path, year in paths_and_years]
    return assemble(reports, mappings)


def test_carry_over_mismatch_gives_one_finding_per_affected_column(tmp_path, mappings):
    later = _next_year(tmp_path, "2022.txt", carried_in=(3, 0, 0, 0, 0, 0, 3))
    series = _series(mappings, (P2021, 2021), (later, 2022))
    failed = [c for c in series.crossyear if c.status == "failed"]
    assert [(c.rule, c.left_value, c.right_value, c.difference) for c in failed] == [
        ("carry-over[natural_person]", 3, 1, 2),
        ("carry-over[total]", 3, 1, 2),
    ]
    finding = failed[1].finding()
    assert finding.code == "year-to-year-mismatch" and finding.id == "carry-over[total]"
    for part in ("2022年报告（2022.txt）", "apply.carried_in.total（2022年） = 3", "由2021年报告", P2021.name):
        assert part in finding.message, part
    assert "apply.carried_out.total（2021年） = 1（差额 2）" in finding.message
    passed = {c.rule for c in series.crossyear if c.status == "passed"}
    assert {"regulation-in-force", "normative-in-force", "carry-over[commercial]"} <= passed


def test_in_force_mismatch(tmp_path, mappings):
    later = _next_year(tmp_path, "2022.txt", in_force=700)
    series = _series(mappings, (P2021, 2021), (later, 2022))
    [failed] = [c for c in series.crossyear if c.status == "failed"]
    assert (failed.rule, failed.left_value, failed.right_value, failed.difference) == (
        "normative-in-force",
        700,
        665 + 69 - 3,
        700 - 731,
    )
    assert failed.right == (
        "art20.normative.in_force（2021年）",
        "art20.normative.issued（2022年）",
        "−art20.normative.repealed（2022年）",
    )


def test_consistent_series_gives_no_mismatch(tmp_path, mappings):
    series = _series(mappings, (P2019, None), (P2020, None), (P2021, None), (_next_year(tmp_path, "2022.txt"), 2022))
    assert series.crossyear and {c.status for c in series.crossyear} == {"passed"}
    assert {c.years for c in series.crossyear} == {"2019→2020", "2020→2021", "2021→2022"}


def test_gap_year_and_duplicate_are_incomplete_never_failed(tmp_path, mappings):
    wrong = _next_year(tmp_path, "2023.txt", carried_in=(9, 0, 0, 0, 0, 0, 9))
    series = _series(mappings, (P2021, 2021), (wrong, 2023))
    assert series.crossyear and {c.status for c in series.crossyear} == {"incomplete"}
    assert all("缺少2022年的报告" in c.reason for c in series.crossyear)
    twice = _series(mappings, (P2021, 2021), (wrong, 2022), (_next_year(tmp_path, "b.txt"), 2022))
    assert twice.crossyear and {c.status for c in twice.crossyear} == {"incomplete"}
    assert all("不止一份报告" in c.reason for c in twice.crossyear)


def test_2020_in_force_back_cast_from_2021_is_derived_and_approx(mappings):
    series = _series(mappings, (P2020, None), (P2021, None))
    entry = next(e for e in series.reports() if e.year == 2020)
    kept = entry.observations["art20.normative.in_force"]
    assert (kept.value, kept.status, kept.relation) == (665 - 69 + 3, "approx", "derived, approx")
    assert "由下一年（2021年）的报告推算，不是原表印出的数" in kept.note and P2021.name in kept.note
    assert entry.status_counts()["approx"] == read_report(P2020).status_counts()["approx"] + 2
    # the report itself never claims it: read alone, its 2019 format has no 现行有效件数
    assert read_report(P2020).observations["art20.normative.in_force"].status == "not_collected"


def test_no_back_cast_across_a_gap(mappings):
    series = _series(mappings, (P2019, None), (P2021, None))
    entry = next(e for e in series.reports() if e.year == 2019)
    assert entry.observations["art20.normative.in_force"].status == "not_collected"


@pytest.mark.parametrize(("cumulative", "failures"), [(12106 + 2069, []), (12106, [(12106, 14175, -2069)] * 2)])
def test_legacy_cumulative_grows_by_the_year(tmp_path, mappings, cumulative, failures):
    text = P2018.read_text(encoding="utf-8")
    later = tmp_path / "2019-legacy.txt"
    later.write_text(text.replace("2069\t12106", f"2069\t{cumulative}"), encoding="utf-8")
    series = _series(mappings, (P2018, None), (later, 2019))
    checks = [c for c in series.crossyear if c.rule.startswith("legacy-cumulative")]
    assert len(checks) == 15  # every row printing 历年累计 in both years
    failed = [(c.left_value, c.right_value, c.difference) for c in checks if c.status == "failed"]
    assert failed == failures


def test_audit_lists_the_mismatch_with_both_reports(tmp_path, mappings):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "2021.txt").write_bytes(P2021.read_bytes())
    _next_year(folder, "2022.txt", carried_in=(3, 0, 0, 0, 0, 0, 3))
    facts = [
        year_facts(read_report(p, mappings=mappings, year=y), mappings)
        for p, y in ((folder / "2021.txt", 2021), (folder / "2022.txt", 2022))
    ]
    assert [c.rule for c in check_facts(facts, mappings) if c.status == "failed"] == [
        "carry-over[natural_person]",
        "carry-over[total]",
    ]
    rows = crossyear_rows(facts, mappings)
    assert [(r.kind, r.year, r.section, r.id, r.value) for r in rows] == [
        ("year-to-year-mismatch", 2022, "2021→2022", "carry-over[natural_person]", 2),
        ("year-to-year-mismatch", 2022, "2021→2022", "carry-over[total]", 2),
    ]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_audit_command_checks_across_years(tmp_path, jobs):
    folder = tmp_path / "in"
    folder.mkdir()
    text = P2021.read_text(encoding="utf-8")
    (folder / "a2021.txt").write_text(text, encoding="utf-8")
    wrong = _next_year(tmp_path, "x.txt", carried_in=(3, 0, 0, 0, 0, 0, 3)).read_text(encoding="utf-8")
    (folder / "b2022.txt").write_text(wrong.replace("2021年度政府信息公开", "2022年度政府信息公开"), encoding="utf-8")
    out = tmp_path / "audit.csv"
    result = run("audit", folder, "-o", out, "--jobs", jobs)
    assert result.exit_code == 0, result.output
    rows = pandas.read_csv(out, dtype=object)
    mismatches = rows[rows["类别 kind"] == "year-to-year-mismatch"]
    assert list(mismatches["编号 id"]) == ["carry-over[natural_person]", "carry-over[total]"]
    assert all("a2021.txt" in m and "b2022.txt" in m for m in mismatches["说明 message"])


def test_series_workbook_rules_and_findings_sheets(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a2021.txt").write_bytes(P2021.read_bytes())
    wrong = _next_year(tmp_path, "x.txt", carried_in=(3, 0, 0, 0, 0, 0, 3)).read_text(encoding="utf-8")
    (folder / "b2022.txt").write_text(wrong.replace("2021年度政府信息公开", "2022年度政府信息公开"), encoding="utf-8")
    out = tmp_path / "series.xlsx"
    result = run("series", folder, "-o", out)
    assert result.exit_code == 0
    assert "Warning: 2 year-to-year mismatch(es)" in result.stderr
    rules = pandas.read_excel(out, sheet_name="勾稽关系 Rules", dtype=object)
    across = rules[rules["适用于 checked on"] == "跨年 across years"]
    failed = across[across["结果 result"] == "failed"]
    assert list(zip(failed["年度 year"], failed["规则 rule"], failed["差额 difference"])) == [
        ("2021→2022", "carry-over[natural_person]", 2),
        ("2021→2022", "carry-over[total]", 2),
    ]
    assert set(failed["文件 file"]) == {"a2021.txt → b2022.txt"}
    findings = pandas.read_excel(out, sheet_name="提示 Findings", dtype=object)
    assert list(findings[findings["代码 code"] == "year-to-year-mismatch"]["编号 id"]) == [
        "carry-over[natural_person]",
        "carry-over[total]",
    ]
