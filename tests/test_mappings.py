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
    assert tables.printed() and tables.derived()
    assert set(tables.maps["legacy"]) == set(tables.legacy_rows)  # every legacy row has a decision
    assert set(tables.maps["2019"]) == {c.id for c in tables.layout_2019}  # and every 2019 cell
    assert all(part in tables.schema for cell in tables.derived() for part in cell.parts)


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
    # columns: source, source_label, meaning, combination, target, target_label, priority, note
    _edit(legacy, lambda rows: _row(rows, "L44").__setitem__(4, "review.bogus"))  # unknown id
    _edit(legacy, lambda rows: _row(rows, "L45").__setitem__(2, "roughly"))  # unknown meaning
    _edit(legacy, lambda rows: _row(rows, "L46").__setitem__(3, "lots"))  # unknown combination
    _edit(legacy, lambda rows: rows.remove(_row(rows, "L61")))  # a row with no decision
    _edit(legacy, lambda rows: _row(rows, "L19").__setitem__(5, "一、本年新收 · 合计"))  # label not the schema's
    _edit(
        legacy, lambda rows: _row(rows, "L33").__setitem__(4, "apply.withheld.third_party.total")
    )  # clash with L34/L35
    _edit(directory / "label_aliases.csv", lambda rows: rows.append(["举报投诉数量", "L43", "duplicate alias"]))
    _edit(directory / "label_aliases.csv", lambda rows: rows.append(["申请答复数", "L25", "clashes with L28"]))
    # columns: rule, applies_to, operator, left, right, tolerance, note
    _edit(
        directory / "rules.csv", lambda rows: _row(rows, "review-total").__setitem__(4, "review.upheld review.nothing")
    )
    _edit(directory / "rules.csv", lambda rows: _row(rows, "legacy-review").__setitem__(2, "≈"))
    # columns: rule, kind, formats, left, right, backcast, note
    series = directory / "series_rules.csv"
    _edit(series, lambda rows: _row(rows, "carry-over").__setitem__(4, "apply.carried_out.{column}"))  # no @prev
    _edit(series, lambda rows: _row(rows, "regulation-in-force").__setitem__(2, "2022"))
    _edit(series, lambda rows: _row(rows, "normative-in-force").__setitem__(3, "art20.normative.bogus"))
    return directory


def _line(path, first, *, last=False):
    """The line of the row whose first cell is `first` (the last such row if `last`): line numbers are
    looked up, not pinned, so that rows an archivist adds do not move them."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        lines = [reader.line_num for row in reader if row and row[0] == first]
    return lines[-1] if last else lines[0]


def expected_problems(directory):
    legacy, aliases = directory / "map_legacy.csv", directory / "label_aliases.csv"
    rules, series = directory / "rules.csv", directory / "series_rules.csv"
    return [
        (f"map_legacy.csv:{_line(legacy, 'L44')}:", "unknown target id review.bogus"),
        (f"map_legacy.csv:{_line(legacy, 'L45')}:", "unknown meaning 'roughly'"),
        (f"map_legacy.csv:{_line(legacy, 'L46')}:", "unknown combination 'lots'"),
        ("map_legacy.csv:", "known field L61 ((二)设置政府信息公开查阅点数) has no decision"),
        (
            f"map_legacy.csv:{_line(legacy, 'L19')}:",
            "target_label '一、本年新收 · 合计' does not match the schema's '一、本年新收政府信息公开申请数量 · 总计'",
        ),
        (
            f"map_legacy.csv:{_line(legacy, 'L33')}:",
            "target_label '三、本年度办理结果 / （三）不予公开 / 1.属于国家秘密 · 总计' does not match",
        ),
        (
            "map_legacy.csv:",
            "L33, L34, L35 all feed apply.withheld.third_party.total with the same priority but are not all 'summed'",
        ),
        (
            f"label_aliases.csv:{_line(aliases, '举报投诉数量', last=True)}:",
            "alias '举报投诉数量' already points at L51",
        ),
        (
            f"label_aliases.csv:{_line(aliases, '申请答复数', last=True)}:",
            "alias '申请答复数' clashes with the label of L28",
        ),
        (f"rules.csv:{_line(rules, 'review-total')}:", "rule review-total names unknown id review.nothing"),
        (f"rules.csv:{_line(rules, 'legacy-review')}:", "operator must be one of =, <=, >=, not '≈'"),
        (
            f"series_rules.csv:{_line(series, 'carry-over')}:",
            "rule carry-over names no cell of the earlier report (@prev)",
        ),
        (
            f"series_rules.csv:{_line(series, 'regulation-in-force')}:",
            "formats must name some of 2021, 2019, legacy, not '2022'",
        ),
        (
            f"series_rules.csv:{_line(series, 'normative-in-force')}:",
            "rule normative-in-force names unknown id art20.normative.bogus",
        ),
    ]


def test_each_kind_of_problem_with_file_and_line(broken):
    problems = check_mappings(broken)
    expected = expected_problems(broken)
    for file, text in expected:
        assert any(file in p and text in p for p in problems), text
    assert len(problems) == len(expected)
    assert all(p.startswith(str(broken)) for p in problems)


def test_check_command_lists_them_and_fails(broken):
    result = CliRunner().invoke(cli, ["mappings", "check", "--mappings", str(broken)])
    assert result.exit_code == 1
    expected = expected_problems(broken)
    for _, text in expected:
        assert text in result.output
    assert f"Error: {broken}: {len(expected)} problem(s) in the mapping tables" in result.output


def test_every_command_refuses_broken_tables(broken):
    result = CliRunner().invoke(cli, ["inspect", "--mappings", str(broken), str(SAMPLES)])
    assert result.exit_code == 1
    expected = expected_problems(broken)
    note, error = result.output.split("\n", 1)  # first the tables in use are named, then the error
    assert note.startswith(f"映射表 mapping tables: {broken} ")
    assert error.startswith(f"Error: {broken}: the mapping tables have {len(expected)} problem(s):")
    for _, text in expected:
        assert text in result.output
    with pytest.raises(MappingError):
        load_mappings(broken)


def test_check_command_on_good_tables():
    result = CliRunner().invoke(cli, ["mappings", "check"])
    assert result.exit_code == 0 and "mapping tables are consistent" in result.output


def test_tables_ship_with_the_package():
    # found beside the package when installed, or at the top of a source checkout
    assert (default_directory() / "schema.csv").is_file()
