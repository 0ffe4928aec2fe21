"""An archivist's edit of mappings/ needs no code change and breaks no test (CONTRIBUTING.md, recipes
"Add a legacy edition" and "Add a rule", followed here once).

A copy of the shipped tables gets what the README tells archivists to add -- a new row of a legacy table
with its decision, an alias of a printed label, a new legacy edition (its row and decision) and a plain
sum rule -- and the suite's core checks run against the copy: the tables load, every sample reads to the
same expected counts, every rule that applies is evaluated and the consistent reports pass it, the new
rows are read where a report prints them, and generated reports read back as their truth says.
"""

from __future__ import annotations

import filecmp
import random
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from converter import load_mappings, read_report
from converter.generate import Generator, Spec
from converter.mapping import check_mappings, default_directory

from .conftest import REPORTS, SAMPLES
from .properties import applicable_rules
from .regenerate_expected import counts, expected
from .test_generated import assert_matches_truth, read_back

JINXIANG = SAMPLES / "2017-jinxiang-commerce-legacy-table.txt"
NEW_ROW = "（三）档案员新增的指标数"
ALIAS = "档案员新增的别名"
EDITION_ROW = "档案员新增版本的主动公开数"
RULE = "archivist-review"
# Rows appended to the shipped tables, as an archivist would add them in a spreadsheet.
ADDED = {
    "legacy_rows.csv": [
        f"L900,national,L01,{NEW_ROW},条,An archivist's new row of the national table.",
        f"T1.01,archivist-2010,,{EDITION_ROW},条,The row of an archivist's new legacy edition.",
    ],
    "map_legacy.csv": [
        f"L900,{NEW_ROW},none,,,,,档案员新增的行：2021年表格没有对应项。,An archivist's new row: no 2021 home.",
        f"T1.01,{EDITION_ROW},exact,single,review.upheld,,1,新版本的行：与结果维持同一指标。,The new edition's row: 结果维持.",
    ],
    "label_aliases.csv": [f"{ALIAS},L02,Another wording of (一)主动公开政府信息数."],
    "rules.csv": [
        f"{RULE},schema,=,review.total,review.upheld review.corrected review.other review.pending,0,"
        "档案员新增的普通合计规则。"
    ],
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    folder = Path(shutil.copytree(default_directory(), tmp_path_factory.mktemp("edit") / "mappings"))
    for name, rows in ADDED.items():
        text = (folder / name).read_text(encoding="utf-8-sig")
        (folder / name).write_text(text.rstrip("\n") + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def edited(folder):
    return load_mappings(folder)


def test_the_edit_touches_only_the_tables(folder):
    comparison = filecmp.dircmp(default_directory(), folder, ignore=["__pycache__"])
    assert comparison.left_only == comparison.right_only == []
    assert sorted(comparison.diff_files) == sorted(ADDED)
    assert all(name.endswith(".csv") for name in comparison.diff_files)


def test_the_edited_tables_load_with_the_new_rows(folder, edited):
    assert check_mappings(folder) == []
    assert edited.maps["legacy"]["L900"].meaning == "none"
    assert edited.maps["legacy"]["T1.01"].target == "review.upheld"
    assert edited.legacy_rows["T1.01"].variant == "archivist-2010"
    assert edited.aliases[edited.normalizer.key(ALIAS)] == "L02"
    assert RULE in {r.name for r in edited.rules}
    assert set(edited.maps["legacy"]) == set(edited.legacy_rows)  # every legacy row has a decision


@pytest.mark.parametrize("sample", REPORTS, ids=lambda p: p.name)
def test_every_sample_reads_to_its_expected_counts(edited, sample):
    report = read_report(sample, mappings=edited)
    assert counts(report) == expected(sample)
    assert {c.rule for c in report.checks} >= applicable_rules(report, edited)
    assert {c.rule for c in report.source_checks} >= applicable_rules(report, edited, "legacy")


@pytest.mark.parametrize("sample", [p for p in REPORTS if "2021format" in p.name], ids=lambda p: p.name)
def test_the_new_rule_holds_on_every_consistent_report(edited, sample):
    report = read_report(sample, mappings=edited)
    [check] = [c for c in report.checks if c.rule == RULE]
    assert check.status == "passed" and check.left_value == check.right_value


def test_the_new_row_and_the_alias_are_read(edited, tmp_path):
    lines = JINXIANG.read_text(encoding="utf-8").splitlines()
    assert lines[40].startswith("(一)主动公开政府信息数")
    lines[40] = ALIAS + " | 条 | 72 |"
    lines.insert(48, f"{NEW_ROW} | 条 | 7 |")  # after block (二) of 一、主动公开情况
    path = tmp_path / "edited.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = read_report(path, mappings=edited)
    fields = {f.key: f for f in report.source_fields}
    assert (fields["L02"].value, fields["L02"].row_label) == (72, ALIAS)
    [entry] = [u for u in report.unmapped if u["key"] == "L900"]
    assert (entry["value"], entry["code"], entry["reason"]) == (7, "unmapped-field", edited.maps["legacy"]["L900"].note)
    assert not [f for f in report.findings if f.code == "unknown-label"]
    assert report.ledger["balanced"]


def test_the_new_edition_is_read(edited, tmp_path):
    path = tmp_path / "edition.txt"
    path.write_text(
        "某县档案局2010年政府信息公开工作年度报告\n"
        "某县档案局2010年度政府信息公开工作情况统计表\n"
        "统 计 指 标 | 单位 | 统计数 |\n"
        f"{EDITION_ROW} | 条 | 5 |\n",
        encoding="utf-8",
    )
    report = read_report(path, mappings=edited)
    assert (report.format, report.year) == ("legacy", 2010)
    upheld = report.observations["review.upheld"]
    assert (upheld.value, upheld.status, [s.key for s in upheld.sources]) == (Decimal(5), "exact", ["T1.01"])


@pytest.mark.parametrize("index", range(0, 75, 3))
def test_generated_reports_read_as_their_truth_with_the_edit(edited, tmp_path, index):
    """The generator prints the new row and the alias in national tables; its truth checks the new rule."""
    made = Generator(edited).report(11, index, formats=("legacy", "2021"))
    assert_matches_truth(read_back(made, tmp_path, edited), made.truth)


def test_generated_national_tables_print_the_new_row_and_the_alias(edited, tmp_path):
    generator, printed = Generator(edited), b""
    for seed in range(12):
        spec = Spec(
            "legacy",
            "national",
            2016,
            ("金乡县", "", "商务局"),
            "pipes",
            "simplified",
            "utf-8",
            "text",
            ("aliases",),
            truncated=False,
            broken_rule=seed % 2 == 0,
        )
        made = generator.from_spec(spec, random.Random(seed))
        assert_matches_truth(read_back(made, tmp_path, edited), made.truth)
        printed += made.data
    assert NEW_ROW.encode() in printed and ALIAS.encode() in printed
