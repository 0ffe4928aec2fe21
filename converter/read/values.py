"""One printed token -> a number, an explicit 'no value', or not a value at all (a label)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

# Marks that stand in a value cell and mean "nothing reported" -- never zero (無: 无 in Traditional script).
NO_VALUE_MARKS = frozenset({"—", "——", "-", "--", "/", "_", "__", "无", "無", "–", "―", "─", "×", "*"})

UNITS = ("万元", "元", "人次", "件", "条", "个", "人", "次", "篇", "项", "家")

_NUMBER = re.compile(
    r"^(?P<sign>[+\-−]|减少|增加|减|增|減)?"
    r"(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"(?P<unit>{'|'.join(UNITS)})?$"
)
_NEGATIVE = {"-", "−", "减", "減", "减少"}
_SPACED_DIGITS = re.compile(r"\d\s+\d")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Token:
    """A value token: `value` is None for an explicit no-value mark."""

    raw: str
    value: Decimal | None
    unit: str = ""


@lru_cache(maxsize=65536)
def parse_token(text: str) -> Token | None:
    """The value a cell holds, a Token(value=None) for '—' and the like, or None for a label.

    Cached: the same few tokens (0, 1, row labels) fill every report, and a Token is immutable.
    """
    wide = unicodedata.normalize("NFKC", text)
    if _SPACED_DIGITS.search(wide):  # several numbers separated by spaces, never one number
        return None
    compact = _SPACES.sub("", wide)
    if compact in NO_VALUE_MARKS or unicodedata.normalize("NFKC", compact) in NO_VALUE_MARKS:
        return Token(text.strip(), None)
    match = _NUMBER.match(compact)
    if not match:
        return None
    value = Decimal(match["digits"].replace(",", ""))
    if match["sign"] in _NEGATIVE:
        value = -value
    return Token(text.strip(), value, match["unit"] or "")
