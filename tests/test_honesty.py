"""Issue 13: a mapping says whether the meaning is the same and how many fields make the cell; the disputed
decisions; rules with an operator that use the rows a form has; notes and messages in Chinese."""

import csv
import re
import shutil

import pytest
from openpyxl import load_workbook

from converter import read_report
from converter.mapping import check_mappings, default_directory

from .conftest import SAMPLES, run

JINXIANG = SAMPLES / "2017-jinxiang-commerce-legacy-table.txt"
SHANGHAI_PAGE = SAMPLES / "2019-shanghai-gov-office-2019format-saved-page.html"

# Seed 004 with applications: every legacy rule still adds up (received 20 = 5 + 15, replies 20, refusals 4).
APPLICATIONS = {
    "(一)收到申请数": 20,
    "1.当面申请数": 5,
    "3.网络申请数": 15,
    "(二)申请办结数": 20,
    "1.按时办结数": 20,
    "(三)申请答复数": 20,
    "1.属于已主动公开范围数": 3,
    "2.同意公开答复数": 8,
    "3.同意部分公开答复数": 2,
    "4.不同意公开答复数": 4,
    "其中:涉及国家秘密": 1,
    "涉及商业秘密": 1,
    "涉及个人隐私": 1,
    "法律法规规定的其他情形": 1,
    "5.不属于本行政机关公开数": 1,
    "6.申请信息不存在数": 2,
    "四、行政复议数量": 2,
    "(一)维持具体行政行为数": 1,
    "(二)被依法纠错数": 1,
}


def _with_values(tmp_path, values: dict, *, drop=(), add=()) -> object:
    """Seed 004 with the given legacy rows' values (the first row so labelled), rows dropped or added."""
    lines = JINXIANG.read_text(encoding="utf-8").splitlines()
    done = set()
    for index, line in enumerate(lines):
        label = line.split(" | ")[0]
        if label in values and label not in done:
            lines[index] = re.sub(r"\| (\S+) \| [\d.]+ \|$", rf"| \1 | {values[label]} |", line)
            done.add(label)
    assert done == set(values)
    lines = [line for line in lines if line.split(" | ")[0] not in drop]
    for after, line in add:
        lines.insert(next(i for i, text in enumerate(lines) if text.startswith(after)) + 1, line)
    path = tmp_path / "jinxiang-with-applications.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return read_report(path)


@pytest.fixture
def applications(tmp_path):
    return _with_values(tmp_path, APPLICATIONS)


def _cell(report, cell_id):
    obs = report.observations[cell_id]
    return obs.value, obs.status, obs.relation


def test_sums_placed_by_practice_are_approx_not_summed(applications):
    assert _cell(applications, "apply.granted.total") == (3 + 8, "approx", "summed, approx")
    assert _cell(applications, "apply.withheld.third_party.total") == (1 + 1, "approx", "summed, approx")
    assert _cell(applications, "apply.unable.not_held.total") == (1 + 2, "approx", "summed, approx")
    assert _cell(applications, "apply.withheld.state_secret.total") == (1, "exact", "single, exact")
    assert _cell(applications, "apply.withheld.total") == (4, "approx", "aggregate, approx")
    assert _cell(applications, "review.upheld") == (1, "approx", "single, approx")  # 复议 label omits 驳回
    assert "summed" not in {o.status for o in applications.observations.values()}


def test_catch_all_refusal_is_unmapped_and_the_subtotal_keeps_it(applications):
    assert _cell(applications, "apply.withheld.prohibited_by_law.total")[:2] == (None, "not_collected")
    [entry] = [u for u in applications.unmapped if u["key"] == "L38"]
    assert entry["value"] == 1 and "兜底" in entry["reason"]
    [check] = [c for c in applications.checks if c.rule == "withheld-subtotal[total]"]
    # 不同意公开答复数 4 >= 国家秘密 1 + 商业秘密 1 + 个人隐私 1 + 三安全 0: the catch-all is in the difference
    assert (check.left_value, check.right_value, check.difference, check.status) == (4, 3, 1, "passed")
    assert {c.status for c in applications.source_checks} == {"passed"}
    assert applications.findings == []


def test_public_total_of_2019_is_unmapped_and_in_force_not_collected():
    report = read_report(SHANGHAI_PAGE)
    assert report.format == "2019"
    public = {u["key"]: u for u in report.unmapped if u["key"].endswith(".public_total")}
    assert {k: u["value"] for k, u in public.items()} == {
        "y2019.art20.regulation.public_total": 524,
        "y2019.art20.normative.public_total": 368,
    }
    assert all("不是现行有效件数" in u["reason"] for u in public.values())
    for kind in ("regulation", "normative"):
        assert _cell(report, f"art20.{kind}.in_force")[:2] == (None, "not_collected")


def test_local_forms_agree_with_the_national_table(mappings):
    decisions = mappings.maps["legacy"]
    for source in ("L38", "L41", "V1.24", "V3.24", "V1.31", "V3.28"):
        assert decisions[source].meaning == "none" and not decisions[source].target, source
    for source in ("V1.30", "V3.31"):  # kept: a specific ground in these forms, and the note says why
        assert decisions[source].meaning == "approx" and "具体理由" in decisions[source].note


def test_every_mapping_note_is_chinese(mappings):
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for fmt, decisions in mappings.maps.items():
        for decision in decisions.values():
            assert len(cjk.findall(decision.note)) >= 4, (fmt, decision.source, decision.note)
    assert all(len(cjk.findall(rule.note)) >= 4 for rule in mappings.rules + mappings.series_rules)


# --- rules with an operator, on the rows the form has


def test_channels_may_add_up_to_more_than_the_total(tmp_path):
    # an item published on two channels counts once in the total: 72 <= 40 + 0 + 20 + 15
    report = _with_values(tmp_path, {"1.政府网站公开政府信息数": 40})
    [check] = [c for c in report.source_checks if c.rule == "legacy-channels"]
    assert (check.left_value, check.right_value, check.status) == (72, 75, "passed")


def test_channels_summing_to_less_fail_with_both_sides_and_the_difference(tmp_path):
    report = _with_values(tmp_path, {}, add=[("4.其他方式公开政府信息数", "政府公报公开政府信息数 | 条 | 0 |")])
    [check] = [c for c in report.source_checks if c.rule == "legacy-channels"]
    assert check.right == ("L06", "L07", "L08", "L09", "L70")  # 政府公报 included when the form has it
    text = JINXIANG.read_text(encoding="utf-8").replace(
        "1.政府网站公开政府信息数 | 条 | 37 |", "1.政府网站公开政府信息数 | 条 | 30 |"
    )
    path = tmp_path / "fewer.txt"
    path.write_text(text, encoding="utf-8")
    report = read_report(path)
    [check] = [c for c in report.source_checks if c.rule == "legacy-channels"]
    assert (check.left_value, check.right_value, check.difference, check.status) == (72, 65, 7, "failed")
    [finding] = [f for f in report.findings if f.id == "legacy-channels"]
    assert (
        "左边 「(一)主动公开政府信息数(不同渠道和方式公开相同信息计1条)」 = 72 应不大于右边 「1.政府网站公开政府信息数」"
        in finding.message
    )
    assert "= 65（差额 7）" in finding.message  # the printed labels a reader finds in the table, then the numbers


def test_a_rule_uses_the_rows_the_form_has(tmp_path):
    report = _with_values(tmp_path, APPLICATIONS, drop=("2.传真申请数",))
    [check] = [c for c in report.source_checks if c.rule == "legacy-received"]
    assert check.right == ("L20", "L22", "L23", "L24") and (check.left_value, check.status) == (20, "passed")


# --- the tables' checks


def _broken_copy(tmp_path, name, change):
    directory = tmp_path / "mappings"
    shutil.copytree(default_directory(), directory, ignore=shutil.ignore_patterns("__pycache__"))
    path = directory / name
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    change(rows)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return directory


def test_both_flags_are_checked_with_file_and_line(tmp_path):
    def change(rows):
        row = next(r for r in rows if r[0] == "L37")  # meaning none, yet a target
        row[4] = "apply.other.misc.total"
        row = next(r for r in rows if r[0] == "L36")  # aggregate into a printed cell
        row[3] = "aggregate"

    problems = check_mappings(_broken_copy(tmp_path, "map_legacy.csv", change))
    expected = [
        "map_legacy.csv:42: combination aggregate must point at a derived cell, not the printed cell "
        "apply.withheld.three_safety.total",
        "map_legacy.csv:43: meaning none but a target or combination (apply.other.misc.total) is given",
    ]
    assert [p.split("/mappings/")[1] for p in problems] == expected


# --- every note, reason and message a workbook or the audit shows reads in Chinese

_CJK = re.compile(r"[\u4e00-\u9fff]")
_QUOTED = re.compile(r"「[^」]*」")
_TEXT_COLUMNS = ("说明 note", "原因 reason", "说明 message")


def _english_texts(path) -> list[tuple[str, str]]:
    """(sheet, text) of every note, reason or message cell with fewer than two Chinese characters outside
    「quoted labels」."""
    found = []
    for sheet in load_workbook(path, read_only=True).worksheets:
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None) or ()
        columns = [i for i, title in enumerate(header) if title in _TEXT_COLUMNS]
        for row in rows:
            for i in columns:
                text = row[i] if i < len(row) else None
                if isinstance(text, str) and text and len(_CJK.findall(_QUOTED.sub("", text))) < 2:
                    found.append((sheet.title, text))
    return found


def test_workbooks_and_audit_show_chinese(tmp_path):
    from .conftest import FIXTURES

    out = tmp_path / "out"
    out.mkdir()
    assert run("series", SAMPLES, "-o", out / "series.xlsx").exit_code == 0
    assert run("convert", SAMPLES, "-o", out / "converted").exit_code == 0
    shanghai = FIXTURES / "2019-shanghai-gov-office-2019format-tabs-from-html.txt"
    crawl = FIXTURES / "real" / "pingtan-crawl"  # glued pages: split-inferred and ambiguous-digits findings
    audit = run("audit", SAMPLES, shanghai, crawl, "-o", out / "audit.xlsx")
    assert audit.exit_code == 1 and audit.stderr.count("Error:") == 2  # two crawled pages hold no table
    books = [out / "series.xlsx", out / "audit.xlsx", *sorted((out / "converted").glob("*.xlsx"))]
    assert len(books) == 12
    assert {str(b.name): _english_texts(b) for b in books} == {str(b.name): [] for b in books}


def test_a_table_cut_short_is_not_a_shorter_form(tmp_path):
    """Rows absent after the last printed row may have been lost with a page: the rule does not apply."""
    lines = JINXIANG.read_text(encoding="utf-8").splitlines()
    end = next(i for i, line in enumerate(lines) if line.startswith("六、被举报投诉数量"))
    lines[end] = "六、被举报投诉数量 | 件 | 1 |"
    path = tmp_path / "cut.txt"
    path.write_text("\n".join(lines[: end + 2]), encoding="utf-8")  # the page ends after (一)维持具体行政行为数
    report = read_report(path)
    assert "legacy-complaints" not in {c.rule for c in report.source_checks}
    assert "legacy-channels" in {c.rule for c in report.source_checks}  # rows follow it: L70 is not in this form
    assert not [f for f in report.findings if f.code == "sum-mismatch"]
