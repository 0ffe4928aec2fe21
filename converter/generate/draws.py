"""The numbers of a generated report: counts and money as agencies report them, tables whose sums
hold, and a number as a report prints it (signs, separators, units, full-width digits)."""

from __future__ import annotations

import random
from decimal import Decimal

from .spec import Slot

_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def draw_count(rng: random.Random, busy: bool) -> int:
    """A count as agencies report them: mostly 0 or small, sometimes large (one draw, for speed)."""
    r = rng.random()
    if not busy:
        return 0 if r < 0.9 else 1 + int((r - 0.9) * 30)
    if r < 0.45:
        return 0
    if r < 0.8:
        return 1 + int((r - 0.45) / 0.35 * 9)
    if r < 0.95:
        return 10 + int((r - 0.8) / 0.15 * 90)
    return 100 + int((r - 0.95) / 0.05 * 5900)


def draw_money(rng: random.Random) -> Decimal:
    return Decimal(rng.choice((0, 0, rng.randint(1, 99), rng.randint(100, 99999)))) / 100


def draw_matrix(rng: random.Random, ids: list[str], prefix: str, busy: bool) -> dict[str, int]:
    """Table 三: results by applicant column; totals, carry-over and new applications that add up."""
    cells = {tuple(i.removeprefix(prefix).rsplit(".", 1)): i for i in ids}
    rows = list(dict.fromkeys(r for r, _ in cells))
    columns = [c for c in dict.fromkeys(c for _, c in cells) if c != "total"]
    special = ("new", "carried_in", "total", "carried_out")
    values: dict[str, int] = {}
    for column in columns:
        results = {r: draw_count(rng, busy) for r in rows if r not in special}
        handled = sum(results.values())
        carried_out = min(draw_count(rng, busy), 9)
        carried_in = rng.randint(0, min(handled + carried_out, 5))
        column_values = dict(
            results,
            total=handled,
            carried_out=carried_out,
            carried_in=carried_in,
            new=handled + carried_out - carried_in,
        )
        values.update({cells[(r, column)]: v for r, v in column_values.items() if (r, column) in cells})
    for row in rows:
        values[cells[(row, "total")]] = sum(values[cells[(row, c)]] for c in columns)
    return values


def draw_outcomes(rng: random.Random, ids: list[str], busy: bool) -> dict[str, int]:
    """Table 四: each group's 总计 is the sum of its four outcomes."""
    values: dict[str, int] = {}
    for cell_id in ids:
        if not cell_id.endswith(".total"):
            values[cell_id] = min(draw_count(rng, busy), 20)
    for cell_id in ids:
        if cell_id.endswith(".total"):
            group = cell_id.removesuffix("total")
            values[cell_id] = sum(
                v for k, v in values.items() if k.startswith(group) and k.count(".") == cell_id.count(".")
            )
    return values


def draw_article_20(rng: random.Random, cells, busy: bool) -> dict:
    values = {}
    for cell in cells:
        if cell.unit == "万元" or cell.column_label == "采购总金额":
            values[cell.id] = draw_money(rng) * (100 if cell.column_label == "采购总金额" else 1)
        elif "增/减" in cell.column_label:
            values[cell.id] = rng.choice((0, 0, rng.randint(-30, 40)))
        else:
            values[cell.id] = draw_count(rng, True) if busy or rng.random() < 0.5 else 0
    return values


def draw_legacy_values(rng: random.Random, rows: list, rules, busy: bool) -> dict:
    """Every row of a local form: free rows drawn, each rule's left row the sum of its right rows."""
    present = {r.id for r in rows}
    defined = {}
    for _, _, left, right, _, _ in rules:
        # a form's rules use the rows the form has
        if len(left) == 1 and left[0] in present and any(i in present for i in right) and left[0] not in defined:
            defined[left[0]] = [i for i in right if i in present]
    values: dict = {}
    units = {r.id: r.unit for r in rows}

    def value(row_id: str):
        if row_id not in values:
            if row_id in defined:
                values[row_id] = sum(value(i) for i in defined[row_id])
            else:
                values[row_id] = draw_money(rng) if units[row_id] == "万元" else draw_count(rng, busy)
        return values[row_id]

    for row in rows:
        value(row.id)
    return values


def printed_token(value, slot: Slot, noise: tuple[str, ...], rng: random.Random) -> str:
    """A number as a report prints it: signs, thousands separators, a unit, full-width digits."""
    if not noise and value >= 0:
        return str(value)
    magnitude = abs(value)
    text = f"{magnitude:,}" if "thousands" in noise and magnitude >= 1000 and rng.random() < 0.5 else str(magnitude)
    if value < 0:
        text = rng.choice(("-", "−", "减", "减少")) + text
    elif slot.signed and "signed" in noise and value > 0 and rng.random() < 0.5:
        text = rng.choice(("+", "增", "增加")) + text
    if "units" in noise and slot.unit and rng.random() < 0.3:
        text += slot.unit
    if "full-width-digits" in noise and rng.random() < 0.4:
        text = text.translate(_FULL_WIDTH)
    return text
