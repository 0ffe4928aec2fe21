"""A real 2019-format report (上海市人民政府办公厅 2019) in the 2021 schema, as formats.md §4.4 says."""

import pytest

from converter import read_report

from .conftest import SHANGHAI_TEXT

SHANGHAI = SHANGHAI_TEXT


@pytest.fixture(scope="module")
def shanghai(mappings):
    return read_report(SHANGHAI, mappings=mappings)


def _cell(report, cell_id):
    obs = report.observations[cell_id]
    return obs.value, obs.status


def test_metadata(shanghai):
    assert (shanghai.agency, shanghai.year, shanghai.format) == ("上海市人民政府办公厅", 2019, "2019")


def test_article_20(shanghai):
    assert _cell(shanghai, "art20.regulation.issued") == (13, "approx")  # 本年新制作数量
    assert _cell(shanghai, "art20.normative.issued") == (60, "approx")
    # 对外公开总数量 is a running total of documents ever disclosed, not the stock in force (issue 13):
    # 现行有效件数 is not collected from a 2019-format report.
    assert _cell(shanghai, "art20.regulation.in_force") == (None, "not_collected")
    assert _cell(shanghai, "art20.normative.in_force") == (None, "not_collected")
    for cell in ("licensing", "penalty", "coercion"):
        assert _cell(shanghai, f"art20.{cell}.decisions") == (0, "exact")
    for cell in ("regulation.repealed", "normative.repealed", "fees.amount"):
        assert _cell(shanghai, f"art20.{cell}") == (None, "not_collected")


def test_fee_item_counts_never_become_money(shanghai):
    assert _cell(shanghai, "art20.fees.amount") == (None, "not_collected")
    fees = [u for u in shanghai.unmapped if u["key"].startswith("y2019.art20.fees.")]
    assert [(u["column"], u["value"]) for u in fees] == [("上一年项目数量", 0), ("本年增/减", 0)]
    assert all("不是金额" in u["reason"] for u in fees)


def test_unmapped_article_20_fields(shanghai):
    assert [(u["key"], u["raw"]) for u in shanghai.unmapped] == [
        ("y2019.art20.regulation.published", "13"),
        ("y2019.art20.regulation.public_total", "524"),
        ("y2019.art20.normative.published", "60"),
        ("y2019.art20.normative.public_total", "368"),
        ("y2019.art20.licensing.items_last_year", "0"),
        ("y2019.art20.licensing.items_change", "0"),
        ("y2019.art20.other_services.items_last_year", "0"),
        ("y2019.art20.other_services.items_change", "0"),
        ("y2019.art20.other_services.decisions", "0"),
        ("y2019.art20.penalty.items_last_year", "0"),
        ("y2019.art20.penalty.items_change", "0"),
        ("y2019.art20.coercion.items_last_year", "0"),
        ("y2019.art20.coercion.items_change", "0"),
        ("y2019.art20.fees.items_last_year", "0"),
        ("y2019.art20.fees.items_change", "0"),
        ("y2019.art20.procurement.projects", "6"),
        ("y2019.art20.procurement.amount", "251000元"),
    ]
    assert shanghai.ledger == {
        "source_numbers": 63,
        "mapped": 46,
        "unmapped": 17,
        "ambiguous": 0,
        "unplaced": 0,
        "balanced": True,
    }


def test_applicant_matrix_and_review(shanghai):
    expected = {
        "apply.new.natural_person": 821,
        "apply.new.commercial": 35,
        "apply.new.legal_service": 2,
        "apply.new.other_org": 1,
        "apply.new.total": 859,
        "apply.carried_in.total": 18,
        "apply.granted.natural_person": 258,
        "apply.unable.not_held.natural_person": 252,
        "apply.not_processed.petition.natural_person": 148,
        "apply.total.total": 805,
        "apply.carried_out.total": 72,
        "review.upheld": 5,
        "review.pending": 2,
        "review.total": 7,
        "litigation.direct.upheld": 8,
        "litigation.direct.pending": 1,
        "litigation.direct.total": 9,
    }
    for cell_id, value in expected.items():
        assert _cell(shanghai, cell_id) == (value, "exact"), cell_id
    # blank cells are missing, never 0
    assert _cell(shanghai, "apply.granted.total") == (None, "missing")
    assert _cell(shanghai, "litigation.after_review.total") == (None, "missing")
    balance = next(c for c in shanghai.checks if c.rule == "balance[total]")
    assert (balance.left_value, balance.right_value, balance.status) == (877, 877, "passed")


def test_single_other_row_goes_to_the_subtotal(tmp_path):
    lines = SHANGHAI.read_text(encoding="utf-8").splitlines()
    assert lines[69].startswith("（六）其他处理")
    lines[69] = "（六）其他处理\t3\t1\t0\t0\t0\t0\t4"
    path = tmp_path / "shanghai.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    report = read_report(path)
    # One row to its subtotal with the same meaning: exact (issue 13 split approximate from aggregate).
    assert _cell(report, "apply.other.natural_person") == (3, "exact")
    assert _cell(report, "apply.other.total") == (4, "exact")
    assert report.observations["apply.other.total"].relation == "aggregate, exact"
    assert _cell(report, "apply.other.legal_person") == (1, "derived")
    for sub in ("no_correction", "no_fee", "misc"):
        assert _cell(report, f"apply.other.{sub}.total") == (None, "not_collected")
