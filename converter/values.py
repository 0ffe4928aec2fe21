"""One printed token -> a number, an explicit 'no value', or not a value at all (a label)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

# Marks that stand in a value cell and mean "nothing reported" -- never zero.
NO_VALUE_MARKS = frozenset({"—", "——", "-", "--", "/", "_", "__", "无", "–", "―", "─", "×", "*"})

UNITS = ("万元", "元", "人次", "件", "条", "个", "人", "次", "篇", "项", "家")

_NUMBER = re.compile(
    r"^(?P<sign>[+\-−]|减少|增加|减|增|減)?"
    r"(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"(?P<unit>{'|'.join(UNITS)})?$"
)
_NEGATIVE = {"-", "−", "减", "減", "减少"}


@dataclass(frozen=True)
class Token:
    """A value token: `value` is None for an explicit no-value mark."""

    raw: str
    value: Decimal | None
    unit: str = ""


def parse_token(text: str) -> Token | None:
    """The value a cell holds, a Token(value=None) for '—' and the like, or None for a label."""
    wide = unicodedata.normalize("NFKC", text)
    if re.search(r"\d\s+\d", wide):  # several numbers separated by spaces, never one number
        return None
    compact = re.sub(r"\s+", "", wide)
    if compact in NO_VALUE_MARKS or unicodedata.normalize("NFKC", compact) in NO_VALUE_MARKS:
        return Token(text.strip(), None)
    match = _NUMBER.match(compact)
    if not match:
        return None
    value = Decimal(match["digits"].replace(",", ""))
    if match["sign"] in _NEGATIVE:
        value = -value
    return Token(text.strip(), value, match["unit"] or "")
