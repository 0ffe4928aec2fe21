"""Layouts of real crawled pages, built from the seeds' own values: tables without section headings,
tables flattened onto one line, tables glued without any separator, pages that start inside a table.

What the page can decide is read exactly; what it cannot (glued digits with several readings) is
missing with an ambiguous-digits finding; no value is ever invented; the ledger balances.
"""

import pytest

from converter import read_report

from .conftest import SAMPLES
from .relayout import render
from .seeds import CURRENT_SEEDS

PINGTAN_2021 = SAMPLES / "pingtan-series" / "2021-pingtan-2021format-constructed-from-published-values.txt"
REPORTS = [*(SAMPLES / name for name in sorted(CURRENT_SEEDS)), PINGTAN_2021]


def _values(report):
    return {i: (o.value, o.status) for i, o in report.observations.items()}


@pytest.fixture(scope="module", params=REPORTS, ids=lambda p: p.name[:24])
def original(request, mappings):
    return read_report(request.param, mappings=mappings)


def _read(text, tmp_path, mappings):
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    return read_report(path, mappings=mappings)


@pytest.mark.parametrize("layout", ["pipes", "tabs", "cell-per-line", "flattened"])
def test_tables_without_headings_are_found_by_their_own_cells(original, mappings, layout, tmp_path):
    report = _read(render(original, mappings, layout, headings=False), tmp_path, mappings)
    assert _values(report) == _values(original)
    assert report.ledger["balanced"] and report.ledger["source_numbers"] == original.ledger["source_numbers"]
    assert not [f for f in report.findings if f.code in ("table-not-found", "row-misfit", "unknown-label")]


def test_a_table_flattened_onto_one_line_reads_as_the_original(original, mappings, tmp_path):
    report = _read(render(original, mappings, "flattened"), tmp_path, mappings)
    assert _values(report) == _values(original)
    assert report.ledger["balanced"]


def test_glued_tables_give_exact_values_or_ambiguous_ones_never_wrong(original, mappings, tmp_path):
    report = _read(render(original, mappings, "glued"), tmp_path, mappings)
    ambiguous = {f.id for f in report.findings if f.code == "ambiguous-digits"}
    for cell_id, observation in report.observations.items():
        expected = original.observations[cell_id]
        if observation.value is not None:
            assert observation.value == expected.value, cell_id
    missing_printed = [
        f.key for f in report.source_fields if f.value is None and original.observations[f.key].value is not None
    ]
    # every printed value not read is in a row that an ambiguous-digits finding names
    rows = {key.rsplit(".", 1)[0] for key in ambiguous}
    assert all(key.rsplit(".", 1)[0] in rows for key in missing_printed), missing_printed
    assert report.ledger["balanced"], report.ledger


def test_a_glued_matrix_with_single_digit_cells_is_read_whole(mappings, tmp_path):
    original = read_report(PINGTAN_2021, mappings=mappings)
    report = _read(render(original, mappings, "glued"), tmp_path, mappings)
    # every row of table 三 of 平潭 2021 is decided by its own sums or the table's (as on the real crawled page)
    table_three = [
        k for k in original.observations if k.startswith("apply.") and original.observations[k].status == "reported"
    ]
    assert all(report.observations[k].value == original.observations[k].value for k in table_three)


def test_a_page_that_starts_inside_table_three(mappings, tmp_path):
    original = read_report(PINGTAN_2021, mappings=mappings)
    lines = render(original, mappings, "tabs").splitlines()
    start = next(i for i, line in enumerate(lines) if "不予处理" in line or "信访举报投诉类申请" in line)
    page = [lines[0]] + lines[start:]  # the title line, then the tail of 三 and table 四
    report = _read("\n".join(page) + "\n", tmp_path, mappings)
    assert report.format == "2021" and report.year == original.year
    kept = [
        k
        for k in original.observations
        if k.startswith(
            ("apply.not_processed.", "apply.other.", "apply.total.", "apply.carried_out.", "review.", "litigation.")
        )
    ]
    printed = [k for k in kept if original.observations[k].status == "reported"]
    assert printed and all(report.observations[k].value == original.observations[k].value for k in printed)
    assert report.observations["apply.new.total"].status == "missing"
    assert report.ledger["balanced"]


def test_a_page_holding_only_shared_tables_takes_its_format_from_the_year(mappings, tmp_path):
    original = read_report(PINGTAN_2021, mappings=mappings)
    lines = render(original, mappings, "tabs").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("四、政府信息公开行政复议"))
    report = _read("\n".join([lines[0].replace("2021", "2020"), *lines[start:]]) + "\n", tmp_path, mappings)
    assert report.format == "2019"
    assert "format-inferred-from-year" in {f.code for f in report.findings}
    assert report.observations["review.total"].value == original.observations["review.total"].value


def test_a_page_that_starts_at_the_last_rows_of_table_three(mappings, tmp_path):
    """3.其他 and （七）总计 share their words with header cells; a row's worth of values after them tells."""
    original = read_report(PINGTAN_2021, mappings=mappings)
    lines = render(original, mappings, "tabs").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("3.其他") or "\t3.其他" in line)
    report = _read("\n".join([lines[0], *lines[start:]]) + "\n", tmp_path, mappings)
    for cell_id in (
        "apply.other.misc.total",
        "apply.total.natural_person",
        "apply.total.total",
        "apply.carried_out.total",
    ):
        assert report.observations[cell_id].value == original.observations[cell_id].value, cell_id
    assert report.ledger["balanced"] and report.ledger["unplaced"] == 0
    assert not [f for f in report.findings if f.code == "stray-value"]
