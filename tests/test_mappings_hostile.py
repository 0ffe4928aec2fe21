"""Mapping tables that would make a command loop or crash are refused by `xxgk mappings check`,
each problem with file:line; and no command loops or crashes on tables that pass the check."""

import csv
import shutil
import signal
from contextlib import contextmanager

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from converter.cli import cli
from converter.corpus.audit import report_rows
from converter.corpus.entries import Sharer, keep
from converter.corpus.series import assemble
from converter.errors import InputError, MappingError
from converter.mapping import check_mappings, default_directory, load_mappings
from converter.pipeline import read_report
from converter.write.audit import write_audit
from converter.write.report_workbook import write_report_workbook
from converter.write.series_workbook import write_series_workbook
from converter.write.summary import summarize

from .conftest import SAMPLES


def _copy(tmp_path):
    directory = tmp_path / "mappings"
    shutil.copytree(default_directory(), directory, ignore=shutil.ignore_patterns("__pycache__"))
    return directory


def _rows(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def _write(path, rows):
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)


def _edit(path, change):
    rows = _rows(path)
    change(rows)
    _write(path, rows)


def _find(rows, first):
    return next(i for i, r in enumerate(rows) if r[0] == first)


def _problems_about(directory, name):
    return [p for p in check_mappings(directory) if f"{name}:" in p]


def test_a_parent_cycle_in_legacy_rows_is_found_with_its_line(tmp_path):
    directory = _copy(tmp_path)
    path = directory / "legacy_rows.csv"
    rows = _rows(path)
    top = rows[_find(rows, "L01")]
    child = rows[_find(rows, "L02")]
    assert child[2] == "L01"
    top[2] = "L03"  # L01 -> L03 -> L02 -> L01
    _write(path, rows)
    [problem] = _problems_about(directory, "legacy_rows.csv")
    assert problem.startswith(f"{path}:{_find(rows, 'L01') + 1}: the parents of L01 go round in a circle")
    assert "L01 → L03 → L02 → L01" in problem


def test_a_row_that_is_its_own_parent_is_found(tmp_path):
    directory = _copy(tmp_path)
    path = directory / "legacy_rows.csv"
    _edit(path, lambda rows: rows[_find(rows, "L04")].__setitem__(2, "L04"))
    [problem] = _problems_about(directory, "legacy_rows.csv")
    assert "the parents of L04 go round in a circle (L04 → L04)" in problem


def _derived(rows):
    return [i for i, r in enumerate(rows) if len(r) > 7 and r[6] == "derived"]


def test_a_derived_cell_naming_itself_is_found(tmp_path):
    directory = _copy(tmp_path)
    path = directory / "schema.csv"
    rows = _rows(path)
    index = _derived(rows)[0]
    rows[index][7] += " " + rows[index][0]
    _write(path, rows)
    problems = _problems_about(directory, "schema.csv")
    assert f"{path}:{index + 1}: derived cell {rows[index][0]} names itself among its parts" in problems


def test_a_forward_reference_and_a_cycle_among_derived_cells_are_found(tmp_path):
    directory = _copy(tmp_path)
    path = directory / "schema.csv"
    rows = _rows(path)
    first, later = _derived(rows)[0], _derived(rows)[-1]
    rows[first][7] = rows[later][0]  # the first derived cell now uses the last one …
    rows[later][7] = rows[first][0]  # … which uses the first: a cycle
    _write(path, rows)
    problems = _problems_about(directory, "schema.csv")
    assert any(
        p.startswith(f"{path}:{first + 1}: derived cell {rows[first][0]} uses {rows[later][0]}, a derived cell listed")
        for p in problems
    )


def test_a_derived_cell_without_parts_and_an_unknown_part_are_found(tmp_path):
    directory = _copy(tmp_path)
    path = directory / "schema.csv"
    rows = _rows(path)
    a, b = _derived(rows)[:2]
    rows[a][7] = ""
    rows[b][7] = "apply.nowhere.total"
    _write(path, rows)
    problems = _problems_about(directory, "schema.csv")
    assert f"{path}:{a + 1}: derived cell {rows[a][0]} has no parts (a sum of nothing would be 0)" in problems
    assert f"{path}:{b + 1}: derived cell {rows[b][0]} names unknown id apply.nowhere.total" in problems


@pytest.mark.parametrize("priority", ["²", "１", "99999999999999999999", "-1", "1.5"])
def test_a_priority_that_is_not_a_small_whole_number_is_a_problem(tmp_path, priority):
    directory = _copy(tmp_path)
    path = directory / "map_2019.csv"
    _edit(path, lambda rows: rows[1].__setitem__(rows[0].index("priority"), priority))
    problems = _problems_about(directory, "map_2019.csv")
    assert any(p.startswith(f"{path}:2: ") and "is not a small whole number" in p for p in problems)


def test_an_oversized_field_and_a_field_over_the_csv_limit_are_problems(tmp_path):
    directory = _copy(tmp_path)
    _edit(directory / "map_legacy.csv", lambda rows: rows[3].__setitem__(rows[0].index("note"), "很长" * 3000))
    _edit(directory / "label_aliases.csv", lambda rows: rows[2].__setitem__(2, "x" * 200_000))
    problems = check_mappings(directory)
    assert f"{directory / 'map_legacy.csv'}:4: column note holds over 4000 characters" in problems
    assert any(p.startswith(f"{directory / 'label_aliases.csv'}:3: ") for p in problems)


def test_a_table_in_no_spreadsheet_encoding_and_a_bad_tolerance_are_problems(tmp_path):
    directory = _copy(tmp_path)
    path = directory / "protected_names.csv"
    path.write_bytes("name,note\n乾安县,吉林\n".encode("utf-16"))  # UTF-8 and GBK are read; UTF-16 text is not
    _edit(directory / "rules.csv", lambda rows: rows[1].__setitem__(rows[0].index("tolerance"), "NaN"))
    problems = check_mappings(directory)
    assert any(p.startswith(f"{path}:") and "UTF-16" in p for p in problems)
    assert f"{directory / 'rules.csv'}:2: tolerance 'NaN' is not a number of 0 or more" in problems


def test_the_check_command_lists_a_cycle_and_exits_1(tmp_path):
    directory = _copy(tmp_path)
    _edit(directory / "legacy_rows.csv", lambda rows: rows[_find(rows, "L04")].__setitem__(2, "L04"))
    result = CliRunner().invoke(cli, ["mappings", "check", "--mappings", str(directory)])
    assert result.exit_code == 1
    assert "the parents of L04 go round in a circle" in result.output
    assert "Traceback" not in result.output + result.stderr


# ---- a property: tables that pass the check never make a command loop or crash ----

_TABLES = (
    "legacy_rows.csv",
    "schema.csv",
    "map_legacy.csv",
    "map_2019.csv",
    "rules.csv",
    "label_aliases.csv",
    "formats.csv",
    "format_2019.csv",
    "legacy_columns.csv",
    "statuses.csv",
)
_PROBES = (
    SAMPLES / "2017-jinxiang-commerce-legacy-table.txt",
    SAMPLES / "2023-baofeng-commerce-2021format-tabs.txt",
    SAMPLES / "2019-shanghai-gov-office-2019format-saved-page.html",
)


@contextmanager
def _time_limit(seconds):
    def stop(signum, frame):
        raise TimeoutError(f"no answer in {seconds} s: a loop?")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


_edits = st.lists(
    st.tuples(
        st.sampled_from(_TABLES),
        st.integers(min_value=1, max_value=400),  # row (wrapped to the table's length)
        st.integers(min_value=0, max_value=8),  # column (wrapped)
        st.sampled_from(["copy", "clear", "delete", "swap", "text"]),
        st.integers(min_value=1, max_value=400),  # the other row (copy from, swap with)
        st.sampled_from(
            ["", "L01", "L04", "0", "2", "x", "derived", "printed", "none", "exact", "summed", "missing", "2021", "三"]
        ),
    ),
    min_size=1,
    max_size=4,
)


def _apply(directory, edit):
    name, row, column, action, other, text = edit
    rows = _rows(directory / name)
    body = len(rows) - 1
    row, other = 1 + row % body, 1 + other % body
    width = len(rows[0])
    column %= width
    for r in rows:
        r += [""] * (width - len(r))
    if action == "copy":
        rows[row][column] = rows[other][column]
    elif action == "clear":
        rows[row][column] = ""
    elif action == "delete":
        del rows[row]
    elif action == "swap":
        rows[row][column], rows[other][column] = rows[other][column], rows[row][column]
    else:
        rows[row][column] = text
    _write(directory / name, rows)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=_edits)
def test_tables_that_pass_the_check_never_make_reading_or_writing_loop_or_crash(tmp_path_factory, edits):
    directory = _copy(tmp_path_factory.mktemp("edited"))
    for edit in edits:
        _apply(directory, edit)
    with _time_limit(20):
        if check_mappings(directory):
            with pytest.raises(MappingError):
                load_mappings(directory)
            return
        mappings = load_mappings(directory)
        reports = []
        for probe in _PROBES:
            try:
                reports.append(read_report(probe, mappings=mappings))
            except InputError:  # a table edited so that the format is no longer recognised
                continue
            summarize(reports[-1])
        if reports:  # and every writer takes what was read
            out = directory.parent
            write_report_workbook(reports[0], mappings, out / "report.xlsx")
            write_series_workbook(assemble([keep(r, Sharer()) for r in reports], mappings), mappings, out / "s.xlsx")
            write_audit([row for r in reports for row in report_rows(r)], mappings.normalizer, out / "audit.xlsx")


def test_a_tabular_format_without_a_heading_for_a_table_is_a_problem(tmp_path):
    directory = _copy(tmp_path)
    path = directory / "formats.csv"
    _edit(path, lambda rows: rows.remove(next(r for r in rows if r[:3] == ["2019", "table", "三"])))
    assert f"{path}: format 2019 has no heading row (kind table) for table 三" in check_mappings(directory)
