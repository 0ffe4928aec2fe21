"""`xxgk audit`: one row per thing to look at, summaries by kind and by label; batches with bad files."""

from collections import Counter

import pandas
import pytest

from converter import read_report
from converter.corpus.audit import audit_rows, count_kinds
from converter.corpus.batch import Job, read_all
from converter.model import json_number

from .conftest import REPORTS, SAMPLES, run, run_to_file

JINXIANG = SAMPLES / "2017-jinxiang-commerce-legacy-table.txt"
CURRENT = [p for p in REPORTS if "2021format" in p.name]
AUDIT, BY_KIND, BY_LABEL = "审核清单 Audit", "按类别 By kind", "按标签 By label"


@pytest.fixture(scope="module")
def audit_book(tmp_path_factory):
    return run_to_file(tmp_path_factory, "audit", "audit.xlsx")


@pytest.fixture(scope="module")
def rows(audit_book):
    frame = pandas.read_excel(audit_book, sheet_name=AUDIT, dtype=object)
    return frame.astype(object).where(frame.notna(), None)


def test_every_unmapped_field_of_jinxiang_is_listed(rows, mappings):
    report = read_report(JINXIANG, mappings=mappings)
    mine = rows[rows["文件 file"] == str(JINXIANG)]
    unmapped = mine[mine["类别 kind"] == "unmapped-field"]
    assert len(unmapped) == len(report.unmapped) == 40
    for (_, row), entry in zip(unmapped.iterrows(), report.unmapped):
        assert (row["原表标签 printed label"], row["栏目 section"], row["编号 id"], row["原表行 line"]) == (
            entry["label"] or None,
            entry["section"] or None,
            entry["key"] or None,
            entry["line"],
        )  # '' reads back empty
        assert row["数值 value"] == json_number(entry["value"])
        assert row["说明 message"] == entry["reason"]
        assert (row["机构 agency"], row["年度 year"], row["格式 format"]) == ("金乡县商务局", 2017, "legacy")
    others = mine[mine["类别 kind"] != "unmapped-field"]
    assert list(others["类别 kind"]) == [f.code for f in report.findings]
    assert list(others["说明 message"]) == [f.message for f in report.findings]


def test_nothing_spurious_for_the_current_format_seeds(rows):
    current = rows[rows["文件 file"].isin([str(p) for p in CURRENT])]
    # The only thing to look at in the 2021-format samples: text garbled before 嘉兴's file was saved.
    assert list(zip(current["文件 file"], current["类别 kind"], current["原表行 line"])) == [
        (str(SAMPLES / "2024-jiaxing-commerce-2021format-traditional-pinyin-pipes.txt"), "mojibake", 9)
    ]


def test_rows_are_the_reports_unmapped_and_findings(rows, mappings):
    expected = Counter()
    for path in REPORTS:
        report = read_report(path, mappings=mappings)
        expected.update((str(path), "unmapped-field") for _ in report.unmapped)
        expected.update((str(path), f.code) for f in report.findings)
    assert Counter(zip(rows["文件 file"], rows["类别 kind"])) == expected


def test_summary_counts_by_kind_and_by_label(audit_book, rows):
    kinds = pandas.read_excel(audit_book, sheet_name=BY_KIND, dtype=object)
    counted = Counter(rows["类别 kind"])
    files = rows.groupby("类别 kind")["文件 file"].nunique()
    assert {k: (n, f) for k, n, f in kinds.values} == {k: (counted[k], files[k]) for k in counted}
    labels = pandas.read_excel(audit_book, sheet_name=BY_LABEL, dtype=object)
    top = labels.iloc[0]
    two_thousand_nineteen = [p for p in REPORTS if "2019format" in p.name]
    assert (top["原表标签 printed label"], top["栏目 section"], top["报告数 reports"], top["条数 rows"]) == (
        "其他对外管理服务事项",
        "第二十条第（五）项",
        len(two_thousand_nineteen),
        3 * len(two_thousand_nineteen),
    )
    assert list(labels["报告数 reports"]) == sorted(labels["报告数 reports"], reverse=True)
    unmapped = rows[rows["类别 kind"] == "unmapped-field"]
    assert labels["条数 rows"].sum() == len(unmapped[unmapped["原表标签 printed label"].notna()])


def test_printed_summary_and_csv(tmp_path, rows):
    result = run("audit", SAMPLES)
    assert result.exit_code == 0
    assert result.stdout.startswith(
        f"Audit of {len(REPORTS)} files ({len(REPORTS)} read, 0 unreadable): "
        f"{len(rows)} things to look at\n  by kind:\n"
    )
    assert "「其他对外管理服务事项」 (第二十条第（五）项)" in result.stdout
    out = tmp_path / "audit.csv"
    assert run("audit", SAMPLES, "-o", out, "--quiet").exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads the Chinese right
    csv = pandas.read_csv(out, dtype=object, encoding="utf-8-sig")
    assert list(csv.columns) == list(rows.columns) and len(csv) == len(rows)


def test_audit_to_an_unknown_kind_of_file_is_a_usage_error(tmp_path):
    result = run("audit", JINXIANG, "-o", tmp_path / "audit.json")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"Error: -o {tmp_path / 'audit.json'}: the audit is written as .xlsx or .csv"


# --- a folder mixing good reports and every kind of bad input ------------------------------------

BAD_INPUTS = {
    "empty.txt": (b"", "the file is empty"),
    "binary.txt": (bytes(range(256)) * 8, "the file is binary, not text"),
    "latin1.txt": (
        "Rapport annuel: café crème brûlée. ".encode("latin-1") * 20,
        "the encoding is not UTF-8, UTF-16, GB18030/GBK or Big5",
    ),
    "minutes.txt": (
        "会议纪要\n今天讨论了三件事。\n".encode(),
        "no statistical table of a known format was found (is this a 政府信息公开工作年度报告?)",
    ),
    "no-table.txt": (
        "宝丰县商务局2023年政府信息公开工作年度报告\n一、总体情况\n本年度我局认真贯彻落实。\n".encode(),
        "it looks like a 政府信息公开工作年度报告, but no statistical table of a known format was found "
        "in it (the tables may be images, attachments or on another page)",
    ),
}


@pytest.fixture
def mixed(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    for name, (data, _) in BAD_INPUTS.items():
        (folder / name).write_bytes(data)
    good = [SAMPLES / "2023-baofeng-commerce-2021format-tabs.txt", JINXIANG]
    for path in good:
        (folder / path.name).write_bytes(path.read_bytes())
    lines = (SAMPLES / "2023-baofeng-commerce-2021format-tabs.txt").read_text(encoding="utf-8").splitlines()
    cut = next(i for i, t in enumerate(lines) if "属于四类过程性信息" in t)
    (folder / "truncated.txt").write_text("\n".join(lines[:cut]) + "\n" + lines[cut][:20], encoding="utf-8")
    return folder


@pytest.mark.parametrize("command", ["inspect", "audit", "convert", "series"])
def test_mixed_folder_good_files_go_through_each_bad_one_gets_its_line(mixed, tmp_path, command):
    missing = tmp_path / "no-such-report.txt"
    extra = {"convert": ["-o", tmp_path / "out"], "series": ["-o", tmp_path / "series.xlsx"]}.get(command, [])
    result = run(command, mixed, missing, *extra)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    expected = [f"Error: {mixed / name}: {message}" for name, (_, message) in sorted(BAD_INPUTS.items())]
    expected.append(f"Error: {missing}: no such file")
    assert sorted(errors) == sorted(expected)
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.splitlines()[-1] == "9 files: 3 read (legacy 1, 2021 2), 6 failed"
    if command == "convert":
        assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
            "2017-jinxiang-commerce-legacy-table.xlsx",
            "2023-baofeng-commerce-2021format-tabs.xlsx",
            "truncated.xlsx",
        ]
    if command == "series":
        assert (tmp_path / "series.xlsx").is_file()
    if command == "audit":
        assert "Audit of 9 files (3 read, 6 unreadable)" in result.stdout
        assert "unreadable-file" in result.stdout and "truncated-table" in result.stdout


def test_jobs_two_gives_the_same_results_as_jobs_one(mixed, mappings):
    jobs = [Job(p) for p in sorted(mixed.iterdir())]
    one = list(read_all(jobs, mappings, workers=1))
    two = list(read_all(jobs, mappings, workers=2))
    assert [o.job for o in one] == [o.job for o in two]
    assert [o.error for o in one] == [o.error for o in two]
    assert [o.report.to_dict() if o.report else None for o in one] == [
        o.report.to_dict() if o.report else None for o in two
    ]
    assert audit_rows(one) == audit_rows(two)
    assert dict((k, n) for k, n, _ in count_kinds(audit_rows(one)))["unreadable-file"] == 5


def test_jobs_option_gives_identical_output(mixed):
    first = run("inspect", "--json", mixed, "--jobs", "1")
    second = run("inspect", "--json", mixed, "--jobs", "2")
    assert first.exit_code == second.exit_code == 1
    assert first.stdout == second.stdout and first.stderr == second.stderr
