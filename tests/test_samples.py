"""Every value of every current-format seed, with its status, line and printed label."""

from decimal import Decimal

import pytest

from converter import read_report

from .conftest import SAMPLES
from .regenerate_expected import expected as expected_counts
from .seeds import CURRENT_SEEDS


@pytest.fixture(scope="module", params=sorted(CURRENT_SEEDS))
def seed(request, mappings):
    return request.param, CURRENT_SEEDS[request.param], read_report(SAMPLES / request.param, mappings=mappings)


def test_agency_year_format(seed):
    _, expected, report = seed
    assert (report.agency, report.year, report.format) == (expected["agency"], expected["year"], "2021")
    assert report.agency_printed == expected.get("agency_printed", expected["agency"])


def test_all_200_printed_values(seed, mappings):
    _, expected, report = seed
    printed = mappings.printed()
    assert len(printed) == expected_counts(SAMPLES / seed[0])["status_counts"]["reported"]  # the 200 of a seed
    for cell in printed:
        obs = report.observations[cell.id]
        assert obs.status == "reported", cell.id
        assert obs.value == Decimal(expected["nonzero"].get(cell.id, 0)), cell.id


def test_every_value_points_at_its_line_and_label(seed):
    name, expected, report = seed
    lines = (SAMPLES / name).read_text(encoding="utf-8").splitlines()
    for obs in report.observations.values():
        if obs.status != "reported":
            continue
        source = obs.sources[0]
        assert source.raw in lines[source.line - 1], obs.id
        if source.table != "四":
            # the label stands on the value's line or, one cell per line, at most 7 lines above it
            assert any(source.row_label in line for line in lines[max(source.line - 8, 0) : source.line]), obs.id
    for cell_id, line in expected["lines"].items():
        assert report.observations[cell_id].line == line, cell_id


def test_derived_cells(seed, mappings):
    _, expected, report = seed
    obs = report.observations
    derived = mappings.derived()
    assert all(obs[c.id].status == "derived" for c in derived)
    for column in ("natural_person", "total"):
        for group, count in (("withheld", 8), ("unable", 3), ("not_processed", 5), ("other", 3)):
            members = [
                i for i in obs if i.startswith(f"apply.{group}.") and i.endswith(f".{column}") and i.count(".") == 3
            ]
            assert len(members) == count
            assert obs[f"apply.{group}.{column}"].value == sum(obs[m].value for m in members)
    for row in ("new", "total", "withheld"):
        parts = ("commercial", "research", "nonprofit", "legal_service", "other_org")
        assert obs[f"apply.{row}.legal_person"].value == sum(obs[f"apply.{row}.{p}"].value for p in parts)
    assert (
        obs["litigation.all.total"].value
        == obs["litigation.direct.total"].value + obs["litigation.after_review.total"].value
    )


def test_sum_rules_all_pass(seed, mappings):
    _, _, report = seed
    assert len(report.checks) == 49  # 42 + withheld-subtotal in 7 columns (issue 13)
    assert {c.status for c in report.checks} == {"passed"}
    assert not [f for f in report.findings if f.code in ("sum-mismatch", "rule-incomplete")]


def test_findings(seed):
    name, _, report = seed
    codes = [f.code for f in report.findings]
    if name.startswith("2024-jiaxing"):
        assert codes == ["mojibake"]
        assert report.findings[0].line == 9 and "三審三?!敝贫?" in report.findings[0].message
    else:
        assert codes == []
    assert report.unmapped == []
