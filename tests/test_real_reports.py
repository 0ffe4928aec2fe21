"""Real reports nobody here wrote (crawled pages, excerpts, flip-book pages), each read against the values a
person read from the page by hand (tests/fixtures/real/README.md and pingtan-crawl/README.md say where each
page comes from and what is hard about it).

Every printed value is read exactly, or the page itself cannot decide it (then no value, with a finding),
or it is one of the few gaps listed below with the reason; no value is ever wrong.
"""

import pytest

from converter import InputError, read_report

from .real.expected import compare, expected_for, real_reports

REPORTS = real_reports()

# Values the tool leaves missing although a person can read them, and why (kept short on purpose).
KNOWN_GAPS = {
    # one cell per line with every blank cell moved to the end of the row: the last number is the
    # row's 总计 by arithmetic, but the reader does not place numbers by their sums yet
    "2019-yueyang-nanhu-bureau-2019format-cell-per-line-blanks-dropped-cut.txt": {
        "apply.new.total",
        "apply.carried_in.total",
        "apply.granted.total",
    },
    # the page prints one number where the row has two columns: which one it is cannot be told
    "2013-80759-pingtan-zonghe.txt": {"2、政府公报公开 · 2013年度"},
}


def _holds_no_table(expected: dict) -> bool:
    return expected.get("format") == "none" or (expected.get("format") == "legacy" and not expected.get("legacy_rows"))


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.stem[:40])
def test_every_printed_value_is_read_exactly_or_flagged(path, mappings):
    expected = expected_for(path)
    if _holds_no_table(expected):  # prose only: a clear one-line refusal, never made-up cells
        with pytest.raises(InputError) as refused:
            read_report(path, mappings=mappings)
        assert "\n" not in str(refused.value)
        return
    report = read_report(path, mappings=mappings)
    result = compare(report, expected)
    assert result.wrong == []
    assert result.ambiguous_given_a_value == []
    assert set(result.missing) == KNOWN_GAPS.get(path.name, set())
    assert report.format == expected["format"]
    if expected.get("year"):
        assert report.year == expected["year"]


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.stem[:40])
def test_the_ledger_accounts_for_every_number(path, mappings):
    if _holds_no_table(expected_for(path)):
        return
    ledger = read_report(path, mappings=mappings).ledger
    accounted = ledger["mapped"] + ledger["unmapped"] + ledger["ambiguous"] + ledger["unplaced"]
    assert ledger["source_numbers"] == accounted and ledger["balanced"], ledger


def test_undecidable_digits_are_findings_with_their_candidates(mappings):
    path = next(p for p in REPORTS if p.name.startswith("2020-80595"))
    report = read_report(path, mappings=mappings)
    ambiguous = [f for f in report.findings if f.code == "ambiguous-digits"]
    assert ambiguous and all("->" in f.message or "no split fits" in f.message for f in ambiguous)
    assert report.observations["art20.licensing.decisions"].value is None  # 行政许可 396442278: never guessed


def test_the_crawled_series_reads_every_year(mappings):
    years = {}
    for path in REPORTS:
        expected = expected_for(path)
        if path.parent.name == "pingtan-crawl" and not _holds_no_table(expected):
            report = read_report(path, mappings=mappings)
            years[report.year] = report.format
    assert years == {
        **{year: "legacy" for year in range(2011, 2019)},
        2019: "2019",
        2020: "2019",
        2021: "2021",
        2022: "2021",
    }
