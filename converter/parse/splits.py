"""Glued digit runs read back into cells: every reading of a run that the table's arithmetic allows.

A crawler that lost a table's separators leaves the digits of several cells in one run (294981916 =
2949 | 81916). `split_run` lists the readings no number starting with 0 and the caller's rules allow;
`narrow` keeps the readings of a table's rows that agree with its sums. One reading left: taken and said so;
several: no value (see glued.py for the cutting of the lines).
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Callable
from decimal import Decimal

from ..read.cells import Cell
from ..read.values import UNITS

_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
# Readings of a glued run tested at most (a 27-digit run read as 7 cells has some 230,000), and kept at most:
# past that many a run is undecidable whatever the rules say.
_MAX_CANDIDATES = 1_000_000
_MAX_FOUND = 500


def split_run(pieces: list[str], count: int, holds: Callable[[list[Decimal]], bool]) -> list[list[Decimal]]:
    """Every way to read the printed pieces as `count` numbers that `holds` accepts (at most _MAX_FOUND: more
    than that many readings are as undecidable as two).

    A piece may hold several numbers run together; a number never starts with 0 unless it is 0, a
    sign stands only before the first number of a piece, a decimal point never moves. Readings are made
    one at a time and tested as they come (a long run has hundreds of thousands), up to _MAX_CANDIDATES.
    """
    found: list[list[Decimal]] = []
    for numbers in itertools.islice(_readings(pieces, count), _MAX_CANDIDATES):
        if holds(numbers):
            found.append(numbers)
            if len(found) > _MAX_FOUND:
                break
    return found


def _readings(pieces: list[str], count: int):
    """Each way to cut the pieces into exactly `count` numbers, lazily."""
    if not pieces:
        if count == 0:
            yield []
        return
    first, rest = pieces[0], pieces[1:]
    sign = "-" if first.startswith("-") else ""
    digits = first[len(sign) :]
    if "," in digits:  # a number with thousands separators is one cell, never cut
        if _THOUSANDS.fullmatch(digits):
            number = Decimal(digits.replace(",", ""))
            for tail in _readings(rest, count - 1):
                yield [-number if sign else number, *tail]
        return
    for parts in range(1, count - len(rest) + 1):
        for numbers in _cut_digits(digits, parts):
            head = [-numbers[0], *numbers[1:]] if sign else numbers
            for tail in _readings(rest, count - parts):
                yield head + tail


def _cut_digits(digits: str, parts: int):
    """`digits` cut into exactly `parts` numbers, none starting with 0 unless it is 0, lazily.

    A run is cut again and again for each way to cut what stands before it: where the cuts are few they
    are made once and kept (a long page spent most of its time cutting the same tails)."""
    if len(digits) < parts:
        return iter(())
    if math.comb(len(digits) - 1, parts - 1) <= _KEPT_CUTS:
        return (list(numbers) for numbers in _kept_cuts(digits, parts))
    return _each_cut(digits, parts)


# Cuts of one run kept at most (a 20-digit run into 4 numbers has 969 cuts)
_KEPT_CUTS = 5_000


@functools.lru_cache(maxsize=4096)
def _kept_cuts(digits: str, parts: int) -> tuple[tuple[Decimal, ...], ...]:
    return tuple(tuple(numbers) for numbers in _each_cut(digits, parts))


def _each_cut(digits: str, parts: int):
    if parts == 1:
        if _is_number(digits):
            yield [Decimal(digits)]
        return
    for end in range(1, len(digits) - parts + 2):
        head = digits[:end]
        if not _is_number(head):
            if head.startswith("0") and head != "0" and "." not in head:
                return  # a longer head starting with 0 is no number either
            continue
        for tail in _cut_digits(digits[end:], parts - 1):
            yield [Decimal(head), *tail]


def _is_number(text: str) -> bool:
    if not text or text.startswith(".") or text.endswith(".") or text.count(".") > 1:
        return False
    whole = text.split(".")[0]
    return whole == "0" or not whole.startswith("0")


def unglue(values: list[Cell], count: int, holds: Callable[[list[Decimal]], bool]):
    """A row's glued value cells read as `count` cells, or None with the candidates when no single split fits.

    Returns (cells, candidates): cells when exactly one split fits, else None.
    """
    if not values or any(v.kind != "value" or v.value is None for v in values):
        return None, []
    candidates = split_run([v.text.rstrip("".join(UNITS)) for v in values], count, holds)
    if len(candidates) != 1:
        return None, candidates
    first = values[0]
    cells = [
        Cell(_plain(n), first.line, "value", n, values[-1].unit, first.input_kind, first.page, first.sheet, glued=True)
        for n in candidates[0]
    ]
    return cells, candidates


def _plain(number: Decimal) -> str:
    return format(number, "f")


def describe_split(values: list[Cell], candidates: list[list[Decimal]]) -> str:
    run = " ".join(v.text for v in values)
    shown = "; ".join(" | ".join(_plain(n) for n in c) for c in candidates[:5])
    more = f" … ({len(candidates)} in all)" if len(candidates) > 5 else ""
    return f"「{run}」 -> {shown}{more}" if candidates else f"「{run}」 (no split fits)"


def narrow(options: list[list[dict[str, Decimal]]], known: dict[str, Decimal], sums) -> list[list[dict]]:
    """Keep each glued row's readings that some reading of the other glued rows makes agree with the
    table's sum rules (`sums`: (left ids, right ids) pairs); repeated until nothing changes."""
    changed = True
    while changed:
        changed = False
        for index, readings in enumerate(options):
            kept = [r for r in readings if _agrees(index, r, options, known, sums)]
            if len(kept) != len(readings):
                options[index], changed = kept, True
    return options


def _agrees(index: int, reading: dict, options: list[list[dict]], known: dict, sums) -> bool:
    for left, right in sums:
        ids = {*left, *right}
        if not ids & reading.keys():
            continue
        others = [j for j, r in enumerate(options) if j != index and r and ids & r[0].keys()]
        covered = set(known) | set(reading) | {k for j in others for k in options[j][0]}
        if not ids <= covered:
            continue  # a cell of the rule has no value: the rule decides nothing
        combos = itertools.islice(itertools.product(*(options[j] for j in others)), _MAX_CANDIDATES)
        if not any(_sums_hold(left, right, {**known, **reading, **_merged(c)}) for c in combos):
            return False
    return True


def _merged(readings: tuple[dict, ...]) -> dict:
    merged: dict = {}
    for reading in readings:
        merged.update(reading)
    return merged


def _sums_hold(left, right, values: dict) -> bool:
    return sum(values[k] for k in left) == sum(values[k] for k in right)
