"""Which rows of a glued table a reader can decide: the truth's own account of glued digits, written apart
from converter.parse.glued and converter.parse.splits (the property tests compare the two).

A glued row prints its values with no separator: 「0120003」 is 0 | 1 | 2 | 0 | 0 | 0 | 3 only if nothing
else fits. A reading is a way to cut the row's digit pieces into as many numbers as the row has cells,
where no number starts with 0 unless it is 0, a sign stands only before a piece's first number and a
decimal point never moves. A row is

- "decided" when exactly one reading keeps the row's own rules (2019/2021: the sums of rules.csv that lie
  within the row; legacy: 本年 ≤ 历年累计): a reader must read it exactly;
- "undecidable" when two readings or more keep every rule the table states even with every other cell at
  its true value (2019/2021: every sum rule of rules.csv; legacy: a sub-item is at most its parent): a
  reader must never give it a value;
- "open" otherwise: the table's other rows may decide it, or not -- read exactly or missing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
# Enumerating the readings of one row stops here; a row with more is "open" (never claimed undecidable).
_MAX_READINGS = 20000

Rule = tuple[tuple[int, ...], tuple[int, ...]]  # positions that add up on both sides (left = right)


def digit_pieces(raws: list[str]) -> list[str]:
    """The digit runs a row's values make when printed without separators (a sign starts a new run)."""
    return _NUMBER.findall("".join(raws))


def readings(pieces: list[str], count: int, keeps: Callable[[list[Decimal]], bool]) -> Iterator[list[Decimal]]:
    """Every reading of `pieces` as `count` numbers; `keeps(partial)` prunes a reading as soon as it fails."""

    def number(text: str) -> Decimal | None:
        if not text or text[0] == "." or text[-1] == "." or text.count(".") > 1:
            return None
        whole = text.split(".")[0]
        return Decimal(text) if whole == "0" or not whole.startswith("0") else None

    def walk(index: int, offset: int, numbers: list[Decimal]) -> Iterator[list[Decimal]]:
        if index == len(pieces):
            if len(numbers) == count:
                yield list(numbers)
            return
        piece = pieces[index]
        sign = piece.startswith("-")
        digits = piece[1:] if sign else piece
        left_pieces = len(pieces) - index - 1
        for end in range(offset + 1, len(digits) + 1):
            value = number(digits[offset:end])
            if value is None:
                continue
            numbers.append(-value if sign and offset == 0 else value)
            last = end == len(digits)
            room = count - len(numbers)
            if room >= left_pieces + (0 if last else 1) and keeps(numbers):
                yield from walk(index + 1, 0, numbers) if last else walk(index, end, numbers)
            numbers.pop()

    yield from walk(0, 0, [])


def rules_keep(rules: list[Rule], at_most: list[tuple[int, int]]) -> Callable[[list[Decimal]], bool]:
    """A test of a partial reading: every rule whose positions are all read holds."""

    def keeps(numbers: list[Decimal]) -> bool:
        n = len(numbers)
        for left, right in rules:
            if max(left + right) < n and sum(numbers[i] for i in left) != sum(numbers[i] for i in right):
                return False
        return all(numbers[a] <= numbers[b] for a, b in at_most if max(a, b) < n)

    return keeps


def classify(
    pieces: list[str],
    count: int,
    own: Callable[[list[Decimal]], bool],
    table: Callable[[list[Decimal]], bool],
) -> str:
    """decided / open / undecidable (module docstring): `own` keeps the row's own rules, `table` tests a
    whole reading against the table's rules with every other cell at its true value."""
    found = 0
    for _ in readings(pieces, count, own):
        found += 1
        if found > 1:
            break
    if found == 1:
        return "decided"
    survivors = 0
    for seen, reading in enumerate(readings(pieces, count, own)):
        if seen >= _MAX_READINGS:
            return "open"
        if table(reading):
            survivors += 1
            if survivors > 1:
                return "undecidable"
    return "open"


def reader_parents(rows: list[tuple[str, str, str]]) -> dict[str, str]:
    """Each printed legacy row's parent as a reader finds it, from (row id, parent id, printed label) in
    printed order: its parent when printed, else what the numbering says (「其中」 opens the parts of the row
    before; 「2.」 continues them)."""
    printed = {row_id for row_id, _, _ in rows}
    parents: dict[str, str] = {}
    previous = ""
    for row_id, parent, label in rows:
        text = label.strip()
        if parent not in printed:
            parent = previous if text.startswith("其中") else parents.get(previous, "") if text[:1].isdigit() else ""
        parents[row_id] = parent
        previous = row_id
    return parents
