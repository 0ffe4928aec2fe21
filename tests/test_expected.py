"""Each sample's counts (values per status, the ledger, unmapped numbers) equal its file in tests/expected/.

When a sample or the meaning of the mapping tables changes on purpose, regenerate the files with
`python -m tests.regenerate_expected` and review `git diff tests/expected/` (CONTRIBUTING.md).
"""

from __future__ import annotations

import pytest

from converter import read_report

from .conftest import REPORTS
from .regenerate_expected import EXPECTED, counts, expected, expected_path

REGENERATE = "if this change is meant, run `python -m tests.regenerate_expected` and review the diff"


@pytest.mark.parametrize("sample", REPORTS, ids=lambda p: p.name)
def test_sample_counts_are_as_expected(sample, mappings):
    got = counts(read_report(sample, mappings=mappings))
    assert got == expected(sample), REGENERATE


def test_every_sample_has_one_expected_file_and_no_other():
    assert sorted(EXPECTED.glob("*.json")) == sorted(expected_path(s) for s in REPORTS)


@pytest.mark.parametrize("sample", REPORTS, ids=lambda p: p.name)
def test_every_status_count_adds_up_to_the_schema(sample, mappings):
    assert sum(expected(sample)["status_counts"].values()) == len(mappings.schema)
