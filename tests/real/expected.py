"""Compare what the tool read from a real report with the values a person read from it by hand.

Each real report in tests/fixtures/real/ has beside it `<stem>.expected.json`, written by hand from the
page itself (see that folder's README): the printed values by canonical id (2019 and 2021 formats), the
legacy rows by printed label and column, "ambiguous" where the page cannot decide a split.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from converter.normalize import half_width

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real"


@dataclass
class Comparison:
    """Every printed value of one report: read exactly, missing (with why), or wrong."""

    exact: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    ambiguous_given_a_value: list[str] = field(default_factory=list)
    undecidable: list[str] = field(default_factory=list)  # "ambiguous" on the page, and left missing


def real_reports() -> list[Path]:
    return sorted(p for p in REAL.rglob("*.txt") if p.with_name(p.stem + ".expected.json").is_file())


def expected_for(path: Path) -> dict:
    return json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))


def compare(report, expected: dict) -> Comparison:
    result = Comparison()
    if expected.get("format") in ("2019", "2021"):
        _compare_cells(report, expected.get("values", {}), result)
    for row in expected.get("legacy_rows", []):
        _compare_legacy_row(report, row, result)
    return result


def _number(text) -> Decimal | None:
    if text is None:
        return None
    return Decimal(str(text).replace(",", "").rstrip("元"))


def _compare_cells(report, values: dict, result: Comparison) -> None:
    fields = {f.key.removeprefix("y2019."): f for f in report.source_fields}
    for cell_id, printed in values.items():
        found = fields.get(cell_id)
        got = found.value if found is not None else None
        _judge(result, cell_id, printed, got)


def _compare_legacy_row(report, row: dict, result: Comparison) -> None:
    label = _plain(row["label"])
    annual = [f for f in report.source_fields if _plain(f.row_label) == label]
    others = [u for u in report.unmapped if _plain(u["label"]) == label]
    for position, (column, printed) in enumerate(zip(row.get("columns", []), row["values"])):
        name = f"{row['label']} · {column}"
        got = _legacy_value(annual, others, position, column)
        _judge(result, name, printed, got)


def _legacy_value(annual, others, position: int, column: str):
    # the annual column is a source field; the others (历年累计 …) are listed as unmapped with their header
    if position == 0 and annual:
        return annual[0].value
    for entry in others:
        if _plain(entry["column"]) == _plain(column) or entry["column"] == str(position + 1):
            return entry["value"]
    if position == 0 and others:
        return others[0]["value"]
    return None


def _judge(result: Comparison, name: str, printed, got) -> None:
    if printed == "ambiguous":  # the page cannot decide: no value is the right answer
        (result.ambiguous_given_a_value if got is not None else result.undecidable).append(name)
        return
    if printed is None:  # printed blank (or —): no value is the right answer
        (result.exact if got is None else result.wrong).append(
            name if got is None else f"{name}: read {got}, printed blank"
        )
        return
    expected = _number(printed)
    if got is None:
        result.missing.append(name)
    elif expected is not None and got == expected:
        result.exact.append(name)
    else:
        result.wrong.append(f"{name}: read {got}, printed {printed}")


def _plain(text: str) -> str:
    return half_width(text or "").replace(" ", "").replace("：", ":")
