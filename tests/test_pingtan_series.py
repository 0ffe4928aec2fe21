"""平潭综合实验区 2018–2021: one agency through the legacy table, the 2019 trial format and the 2021 format.

The four files in samples/pingtan-series are constructed (layout ours, numbers transcribed from the
published reports; see samples/README.md). Every printed number is checked here through the cell it maps
to, or the unmapped entry that lists it; 2020's own totals do not add up and must stay that way.
"""

from decimal import Decimal

import pytest

from converter import read_report

from .conftest import SAMPLES
from .properties import applicable_rules
from .regenerate_expected import expected as expected_counts

SERIES = SAMPLES / "pingtan-series"
FILES = {
    2018: "2018-pingtan-legacy-constructed-from-published-values.txt",
    2019: "2019-pingtan-2019format-constructed-from-published-values.txt",
    2020: "2020-pingtan-2019format-constructed-from-published-values.txt",
    2021: "2021-pingtan-2021format-constructed-from-published-values.txt",
}
FORMATS = {2018: "legacy", 2019: "2019", 2020: "2019", 2021: "2021"}
COLUMNS = ("natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org", "total")
CUMULATIVE = "历年累计数，不是本年数。"  # legacy_columns.csv, in Chinese since issue 13


@pytest.fixture(scope="module")
def series(mappings):
    return {year: read_report(SERIES / name, mappings=mappings) for year, name in FILES.items()}


def test_one_agency_four_years_three_formats(series):
    assert [(r.agency, r.year, r.format) for r in series.values()] == [
        ("平潭综合实验区", year, fmt) for year, fmt in FORMATS.items()
    ]


def test_files_say_they_are_constructed():
    for name in FILES.values():
        first = (SERIES / name).read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("【构造文件，非原件】") and "CONSTRUCTED FILE" in first, name
        assert "changwu/pingtan-gov-zwgk-archive" in first and "12f00b4205da89f3fa531f747c608e88308a046c" in first


# --- 2018: the Fujian local legacy table (指标名称 | 计量单位 | 2018年度 | 历年累计)

# line, legacy row, printed label, 2018年度, 历年累计, where the annual figure goes (None: unmapped)
LEGACY_2018 = [
    (7, "V4.01", "主动公开文件数", 2069, 12106, None),
    (8, "V4.02", "其中：1.政府网站公开数", 2069, 12106, None),
    (9, "V4.03", "2.政府公报公开数", 0, 0, None),
    (10, "V4.04", "受理依申请公开信息总数", 0, 0, ("apply.new.total", "approx", "single, approx")),
    (11, "V4.05", "其中：1.当面申请数", 0, 0, None),
    (12, "V4.06", "2.网上申请数", 0, 0, None),
    (13, "V4.07", "3.信函、传真申请数", 0, 0, None),
    (14, "V4.08", "对申请的答复总数", 0, 0, ("apply.total.total", "approx", "single, approx")),
    (15, "V4.09", "其中：1.同意公开答复数", 0, 0, ("apply.granted.total", "approx", "single, approx")),
    (16, "V4.10", "2.同意部分公开答复数", 0, 0, ("apply.partial.total", "approx", "single, approx")),
    (17, "V4.11", "3.不予公开答复数", 0, 0, ("apply.withheld.total", "approx", "aggregate, approx")),
    (18, "V4.12", "4.其他类型答复数", 0, 0, None),
    (19, "V4.13", "接受行政诉讼、举报数", 0, 0, None),
    (20, "V4.14", "行政复议数", 0, 0, ("review.total", "approx", "single, approx")),
    (21, "V4.15", "行政诉讼数", 0, 0, ("litigation.all.total", "approx", "aggregate, approx")),
]


def test_2018_every_annual_value(series, mappings):
    report = series[2018]
    mapped = {target[0] for *_, target in LEGACY_2018 if target}
    for line, row, label, annual, _, target in LEGACY_2018:
        if target is None:
            continue
        cell_id, status, relation = target
        obs = report.observations[cell_id]
        assert (obs.value, obs.status, obs.relation) == (annual, status, relation), cell_id
        [source] = obs.sources
        assert (source.key, source.row_label, source.column_label, source.line) == (row, label, "2018年度", line)
    for cell in mappings.schema.values():
        if cell.id not in mapped:
            assert (report.observations[cell.id].value, report.observations[cell.id].status) == (None, "not_collected")
    assert report.status_counts() == expected_counts(report.path)["status_counts"]


def test_2018_unmapped_list(series, mappings):
    """历年累计 is cumulative: every one of its numbers is unmapped, never the year's value."""
    got = [(u["key"], u["label"], u["column"], u["value"], u["line"], u["reason"]) for u in series[2018].unmapped]
    cumulative = [
        ("", label, "历年累计", Decimal(total), line, CUMULATIVE) for line, _, label, _, total, _ in LEGACY_2018
    ]
    no_home = [
        (row, label, "2018年度", Decimal(annual), line, mappings.maps["legacy"][row].note)
        for line, row, label, annual, _, target in LEGACY_2018
        if target is None
    ]
    assert got == cumulative + no_home
    assert [u["value"] for u in series[2018].unmapped if u["key"] == "V4.01"] == [2069]  # 主动公开 has no 2021 home


def test_2018_ledger_and_rules(series, mappings):
    report = series[2018]
    assert report.ledger == expected_counts(report.path)["ledger"] and report.ledger["balanced"]
    assert {c.rule for c in report.source_checks} >= applicable_rules(report, mappings, "legacy")
    check = next(c for c in report.source_checks if c.rule == "pingtan-replies")
    assert (check.rule, check.left_value, check.right_value, check.status) == ("pingtan-replies", 0, 0, "passed")
    assert report.checks == []  # no 2021 rule has all its cells in this legacy table
    assert report.findings == []


# --- 2019 and 2020: the 2019 trial format

# table 二 as printed: 2019-format row -> its columns, and where each column goes (None: unmapped)
ART20_2019 = {
    "regulation": {
        "made": ("art20.regulation.issued", "approx"),
        "published": None,
        "public_total": None,  # a running total of documents ever disclosed, not 现行有效件数 (issue 13)
    },
    "normative": {
        "made": ("art20.normative.issued", "approx"),
        "published": None,
        "public_total": None,
    },
    "licensing": {"items_last_year": None, "items_change": None, "decisions": ("art20.licensing.decisions", "exact")},
    "other_services": {"items_last_year": None, "items_change": None, "decisions": None},
    "penalty": {"items_last_year": None, "items_change": None, "decisions": ("art20.penalty.decisions", "exact")},
    "coercion": {"items_last_year": None, "items_change": None, "decisions": ("art20.coercion.decisions", "exact")},
    "fees": {"items_last_year": None, "items_change": None},  # fee ITEMS, never the 万元 cell
    "procurement": {"projects": None, "amount": None},
}
# year -> 2019-format row -> (line, printed values in column order)
TABLE_2_2019 = {
    2019: {
        "regulation": (7, 0, 0, 0),
        "normative": (8, 89, 89, 89),
        "licensing": (11, 396, 0, 181),
        "other_services": (12, 10, 0, 153),
        "penalty": (15, 2648, 0, 430),
        "coercion": (16, 126, 0, 25),
        "fees": (19, 35, 0),
        "procurement": (22, 135, Decimal("75394432.52")),
    },
    2020: {
        "regulation": (8, 0, 0, 7),
        "normative": (9, 77, 77, 166),
        "licensing": (12, 396, 442, 278),
        "other_services": (13, 10, 7, 105),
        "penalty": (16, 2648, -18, 538),
        "coercion": (17, 126, 26, 29),
        "fees": (20, 35, -15),
        "procurement": (23, 395, Decimal("73802895.90")),
    },
}
# table 三 rows in the 2019 format (its （六）其他处理 is one row); each is the 2021 row of the same name
MATRIX_2019 = [
    "new",
    "carried_in",
    "granted",
    "partial",
    "withheld.state_secret",
    "withheld.prohibited_by_law",
    "withheld.three_safety",
    "withheld.third_party",
    "withheld.internal_affairs",
    "withheld.process_info",
    "withheld.enforcement_file",
    "withheld.query_matter",
    "unable.not_held",
    "unable.needs_creation",
    "unable.unclear",
    "not_processed.petition",
    "not_processed.duplicate",
    "not_processed.publication",
    "not_processed.excessive",
    "not_processed.confirmation",
    "other",
    "total",
    "carried_out",
]
# year -> (line of the first row, the rows that are not all 0: the seven columns as printed)
MATRIX_VALUES_2019 = {
    2019: (
        25,
        {
            "new": (23, 0, 0, 0, 0, 0, 23),
            "granted": (7, 0, 0, 0, 0, 0, 7),
            "partial": (1, 0, 0, 0, 0, 0, 1),
            "unable.not_held": (7, 0, 0, 0, 0, 0, 7),
            "unable.unclear": (5, 0, 0, 0, 0, 0, 5),
            "not_processed.duplicate": (3, 0, 0, 0, 0, 0, 3),
            "total": (23, 0, 0, 0, 0, 0, 23),
        },
    ),
    2020: (
        26,
        {
            "new": (20, 0, 0, 0, 0, 1, 21),
            "granted": (6, 0, 0, 0, 0, 1, 7),
            "partial": (6, 0, 0, 0, 0, 0, 6),
            "unable.not_held": (4, 0, 0, 0, 0, 0, 4),
            "unable.unclear": (3, 0, 0, 0, 0, 0, 3),
            "not_processed.duplicate": (3, 0, 0, 0, 0, 0, 3),
            "other": (4, 0, 0, 0, 0, 0, 4),
            "total": (20, 0, 0, 0, 0, 1, 21),
        },
    ),
}
TABLE_4_LINE_2019 = {2019: 50, 2020: 51}  # table 四: one row of 15 zeros in both years
NOT_COLLECTED_2019 = {
    "art20.regulation.repealed",
    "art20.normative.repealed",
    "art20.fees.amount",
    "art20.regulation.in_force",
    "art20.normative.in_force",
} | {
    f"apply.other.{sub}.{column}"
    for sub in ("no_correction", "no_fee", "misc")
    for column in COLUMNS + ("legal_person",)
}


def _matrix_2019(year):
    first, nonzero = MATRIX_VALUES_2019[year]
    return [(first + index, row, nonzero.get(row, (0,) * 7)) for index, row in enumerate(MATRIX_2019)]


@pytest.mark.parametrize("year", [2019, 2020])
def test_2019_format_table_2(series, mappings, year):
    report = series[year]
    unmapped = {u["key"]: u for u in report.unmapped}
    for row, columns in ART20_2019.items():
        line, *values = TABLE_2_2019[year][row]
        assert len(values) == len(columns), row
        for (column, target), value in zip(columns.items(), values):
            source = f"y2019.art20.{row}.{column}"
            if target is None:
                entry = unmapped[source]
                assert (entry["value"], entry["line"]) == (value, line), source
                assert entry["reason"] == mappings.maps["2019"][source].note
                continue
            obs = report.observations[target[0]]
            assert (obs.value, obs.status, obs.relation) == (value, target[1], f"single, {target[1]}"), source
            assert [(s.key, s.line) for s in obs.sources] == [(source, line)]
    assert [(u["key"], u["raw"]) for u in report.unmapped][-1] == (
        "y2019.art20.procurement.amount",
        {2019: "75394432.52元", 2020: "73802895.90元"}[year],
    )
    assert len(report.unmapped) == expected_counts(report.path)["unmapped"]  # every one is of table 二


@pytest.mark.parametrize("year", [2019, 2020])
def test_2019_format_table_3(series, year):
    report = series[year]
    for line, row, values in _matrix_2019(year):
        for column, value in zip(COLUMNS, values):
            obs = report.observations[f"apply.{row}.{column}"]
            # the one （六）其他处理 row to its subtotal keeps the meaning: aggregate, exact (issue 13)
            status, relation = ("exact", "aggregate, exact") if row == "other" else ("exact", "single, exact")
            assert (obs.value, obs.status, obs.relation) == (value, status, relation), obs.id
            assert [(s.key, s.line) for s in obs.sources] == [(f"y2019.apply.{row}.{column}", line)], obs.id


@pytest.mark.parametrize("year", [2019, 2020])
def test_2019_format_table_4(series, mappings, year):
    report = series[year]
    for cell in mappings.printed("四"):
        obs = report.observations[cell.id]
        assert (obs.value, obs.status, obs.relation) == (0, "exact", "single, exact"), cell.id
        assert [(s.key, s.line) for s in obs.sources] == [(f"y2019.{cell.id}", TABLE_4_LINE_2019[year])]


@pytest.mark.parametrize("year", [2019, 2020])
def test_2019_format_other_cells(series, mappings, year):
    report = series[year]
    for cell in mappings.schema.values():
        obs = report.observations[cell.id]
        if cell.id in NOT_COLLECTED_2019:
            assert (obs.value, obs.status) == (None, "not_collected"), cell.id
        elif cell.kind == "derived" and cell.id not in {
            f"apply.other.{column}" for column in COLUMNS
        }:  # mapped (table 三)
            assert obs.status == "derived" and obs.relation == "sum", cell.id
            assert obs.value == sum(report.observations[p].value for p in cell.parts), cell.id
    assert report.status_counts() == expected_counts(report.path)["status_counts"]
    assert report.ledger == expected_counts(report.path)["ledger"] and report.ledger["balanced"]


def _checks(report):
    return {c.rule: (c.left_value, c.right_value, c.status) for c in report.checks}


def test_2019_sum_rules_all_pass(series, mappings):
    checks = _checks(series[2019])
    assert set(checks) >= applicable_rules(series[2019], mappings)  # every rule whose cells the format has
    assert {status for *_, status in checks.values()} == {"passed"}
    assert checks["results-total[total]"] == (23, 23, "passed")  # 7 + 1 + 7 + 5 + 3
    assert checks["balance[total]"] == (23, 23, "passed")
    assert series[2019].findings == []


def test_2020_totals_do_not_add_up_and_stay_as_printed(series, mappings):
    """The published 2020 table says （七）总计 20 / 21, but its result rows add up to 26 / 27."""
    report = series[2020]
    checks = _checks(report)
    failed = {rule: (left, right) for rule, (left, right, status) in checks.items() if status != "passed"}
    assert failed == {"results-total[natural_person]": (20, 26), "results-total[total]": (21, 27)}
    assert {status for *_, status in checks.values()} == {"passed", "failed"}
    assert set(checks) >= applicable_rules(report, mappings)
    assert checks["balance[total]"] == (21, 21, "passed")  # new 21 + carried 0 = （七）21 + carried out 0
    assert (
        report.observations["apply.total.total"].value,
        report.observations["apply.total.natural_person"].value,
    ) == (21, 20)
    assert [f.code for f in report.findings] == ["sum-mismatch", "sum-mismatch"]
    assert "= 20 应等于右边" in report.findings[0].message and "= 26（差额 -6）" in report.findings[0].message
    assert "= 21 应等于右边" in report.findings[1].message and "= 27（差额 -6）" in report.findings[1].message


# --- 2021: the 2021 format, every cell printed

# line, 2021 row of table 二, printed values in schema column order
TABLE_2_2021 = [
    (8, "regulation", ("issued", "repealed", "in_force"), (0, 0, 0)),
    (9, "normative", ("issued", "repealed", "in_force"), (69, 3, 665)),
    (12, "licensing", ("decisions",), (2293,)),
    (15, "penalty", ("decisions",), (1282,)),
    (16, "coercion", ("decisions",), (42,)),
    (19, "fees", ("amount",), (Decimal("24252.311082"),)),
]
# the 2021 rows: the same, except that （六）其他处理 has three sub-rows
MATRIX_2021 = MATRIX_2019[:20] + ["other.no_correction", "other.no_fee", "other.misc"] + MATRIX_2019[21:]
MATRIX_2021_FIRST_LINE = 22
MATRIX_2021_NONZERO = {
    "new": (64, 0, 0, 2, 0, 4, 70),
    "granted": (27, 0, 0, 2, 0, 1, 30),
    "partial": (5, 0, 0, 0, 0, 0, 5),
    "withheld.internal_affairs": (1, 0, 0, 0, 0, 0, 1),
    "withheld.enforcement_file": (6, 0, 0, 0, 0, 0, 6),
    "withheld.query_matter": (1, 0, 0, 0, 0, 0, 1),
    "unable.not_held": (22, 0, 0, 0, 0, 3, 25),
    "other.misc": (1, 0, 0, 0, 0, 0, 1),
    "total": (63, 0, 0, 2, 0, 4, 69),
    "carried_out": (1, 0, 0, 0, 0, 0, 1),
}
TABLE_4_2021 = (49, (1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0))


def _reported(report, cell_id, value, line):
    obs = report.observations[cell_id]
    assert (obs.value, obs.status, obs.relation) == (value, "reported", ""), cell_id
    assert [(s.key, s.line) for s in obs.sources] == [(cell_id, line)], cell_id


def test_2021_every_printed_value(series, mappings):
    report = series[2021]
    seen = []
    for line, row, columns, values in TABLE_2_2021:
        for column, value in zip(columns, values):
            _reported(report, f"art20.{row}.{column}", value, line)
            seen.append(f"art20.{row}.{column}")
    for index, row in enumerate(MATRIX_2021):
        for column, value in zip(COLUMNS, MATRIX_2021_NONZERO.get(row, (0,) * 7)):
            _reported(report, f"apply.{row}.{column}", value, MATRIX_2021_FIRST_LINE + index)
            seen.append(f"apply.{row}.{column}")
    line, values = TABLE_4_2021
    for cell, value in zip(mappings.printed("四"), values):
        _reported(report, cell.id, value, line)
        seen.append(cell.id)
    assert sorted(seen) == sorted(c.id for c in mappings.printed())  # all 200 printed cells, each once


def test_2021_derived_cells_rules_and_ledger(series, mappings):
    report = series[2021]
    obs = report.observations
    for cell in mappings.derived():
        assert obs[cell.id].status == "derived" and obs[cell.id].value == sum(obs[p].value for p in cell.parts)
    derived = {
        "apply.withheld.total": 8,
        "apply.unable.total": 25,
        "apply.not_processed.total": 0,
        "apply.other.total": 1,
        "apply.new.legal_person": 6,
        "apply.granted.legal_person": 3,  # 社会公益组织 + 其他
        "apply.total.legal_person": 6,
        "litigation.all.upheld": 12,
        "litigation.all.total": 12,
    }
    assert {cell_id: obs[cell_id].value for cell_id in derived} == derived
    assert report.status_counts() == expected_counts(report.path)["status_counts"]
    checks = _checks(report)
    assert len(checks) == 49 and {status for *_, status in checks.values()} == {"passed"}
    assert checks["balance[total]"] == (70, 70, "passed")  # 70 + 0 = 69 + 1
    assert checks["results-total[total]"] == (69, 69, "passed")
    assert checks["review-total"] == (3, 3, "passed") and checks["litigation-direct-total"] == (12, 12, "passed")
    assert report.ledger == {
        "source_numbers": 200,
        "mapped": 200,
        "unmapped": 0,
        "ambiguous": 0,
        "unplaced": 0,
        "balanced": True,
    }
    assert report.unmapped == [] and report.findings == []
