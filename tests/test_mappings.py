"""The mapping tables: shipped ones are consistent; broken copies are refused with every problem listed."""

import csv
import shutil

import pytest
from click.testing import CliRunner

from converter import load_mappings
from converter.cli import cli
from converter.errors import MappingError
from converter.mapping import check_mappings, default_directory

from .conftest import SAMPLES


def test_shipped_tables_are_consistent():
    assert check_mappings() == []
    tables = load_mappings()
    assert len(tables.printed()) == 200 and len(tables.derived()) == 62
    assert len(tables.maps["legacy"]) == len(tables.legacy_rows) == 150  # 135 + 15 rows of the 平潭 2018 form
    assert len(tables.maps["2019"]) == len(tables.layout_2019) == 198


def _edit(path, change):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    change(rows)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)


def _row(rows, first):
    return next(r for r in rows if r[0] == first)


@pytest.fixture
def broken(tmp_path):
    return make_broken(tmp_path)


def make_broken(tmp_path):
    directory = tmp_path / "mappings"
    shutil.copytree(default_directory(), directory, ignore=shutil.ignore_patterns("__pycache__"))
    legacy = directory / "map_legacy.csv"
    _edit(legacy, lambda rows: _row(rows, "L44").__setitem__(3, "review.bogus"))  # unknown id
    _edit(legacy, lambda rows: _row(rows, "L45").__setitem__(2, "roughly"))  # unknown relation
    _edit(legacy, lambda rows: rows.remove(_row(rows, "L61")))  # a row with no decision
    _edit(legacy, lambda rows: _row(rows, "L19").__setitem__(4, "一、本年新收 · 合计"))  # label not the schema's
    _edit(
        legacy, lambda rows: _row(rows, "L33").__setitem__(3, "apply.withheld.third_party.total")
    )  # clash with L34/L35
    _edit(directory / "label_aliases.csv", lambda rows: rows.append(["举报投诉数量", "L43", "duplicate alias"]))
    _edit(directory / "label_aliases.csv", lambda rows: rows.append(["申请答复数", "L25", "clashes with L28"]))
    _edit(
        directory / "rules.csv", lambda rows: _row(rows, "review-total").__setitem__(3, "review.upheld review.nothing")
    )
    return directory


EXPECTED = [
    ("map_legacy.csv:50:", "unknown target id review.bogus"),
    ("map_legacy.csv:51:", "unknown relation 'roughly'"),
    ("map_legacy.csv:", "known field L61 ((二)设置政府信息公开查阅点数) has no decision"),
    (
        "map_legacy.csv:25:",
        "target_label '一、本年新收 · 合计' does not match the schema's '一、本年新收政府信息公开申请数量 · 总计'",
    ),
    ("map_legacy.csv:39:", "target_label '三、本年度办理结果 / （三）不予公开 / 1.属于国家秘密 · 总计' does not match"),
    (
        "map_legacy.csv:",
        "L33, L34, L35 all feed apply.withheld.third_party.total with the same priority but are not all 'summed'",
    ),
    ("label_aliases.csv:5:", "alias '举报投诉数量' already points at L51"),
    ("label_aliases.csv:6:", "alias '申请答复数' clashes with the label of L28"),
    ("rules.csv:5:", "rule review-total names unknown id review.nothing"),
]


def test_each_kind_of_problem_with_file_and_line(broken):
    problems = check_mappings(broken)
    for file, text in EXPECTED:
        assert any(file in p and text in p for p in problems), text
    assert len(problems) == len(EXPECTED)
    assert all(p.startswith(str(broken)) for p in problems)


def test_check_command_lists_them_and_fails(broken):
    result = CliRunner().invoke(cli, ["mappings", "check", "--mappings", str(broken)])
    assert result.exit_code == 1
    for _, text in EXPECTED:
        assert text in result.output
    assert f"Error: {broken}: {len(EXPECTED)} problem(s) in the mapping tables" in result.output


def test_every_command_refuses_broken_tables(broken):
    result = CliRunner().invoke(cli, ["inspect", "--mappings", str(broken), str(SAMPLES)])
    assert result.exit_code == 1
    note, error = result.output.split("\n", 1)  # first the tables in use are named, then the error
    assert note.startswith(f"映射表 mapping tables: {broken} ")
    assert error.startswith(f"Error: {broken}: the mapping tables have {len(EXPECTED)} problem(s):")
    for _, text in EXPECTED:
        assert text in result.output
    with pytest.raises(MappingError):
        load_mappings(broken)


def test_check_command_on_good_tables():
    result = CliRunner().invoke(cli, ["mappings", "check"])
    assert result.exit_code == 0 and "mapping tables are consistent" in result.output


def test_tables_ship_with_the_package():
    # found beside the package when installed, or at the top of a source checkout
    assert (default_directory() / "schema.csv").is_file()
