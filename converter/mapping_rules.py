"""The rules of the mapping tables: sum rules within one report (rules.csv, with an operator),
identities between one agency's consecutive reports (series_rules.csv), and the findings catalogue
(findings.csv: what each finding code means, in Chinese).

mapping.py reads the CSV files and hands the rows here; every problem is collected as 'file:line: what'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

OPERATORS = ("=", "<=", ">=")
SERIES_KINDS = ("identity", "cumulative")
# A term of a series rule: a cell id, '-' in front to subtract it, '@prev' after it for the earlier report.
PREVIOUS = "@prev"
_CJK = re.compile(r"[\u4e00-\u9fff]")
_QUOTED = re.compile(r"「[^」]*」")


@dataclass(frozen=True)
class Rule:
    name: str
    applies_to: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    tolerance: Decimal
    note: str
    line: int
    operator: str = "="

    def holds(self, left: Decimal, right: Decimal) -> bool:
        """Whether left <operator> right holds, within the tolerance."""
        if self.operator == "<=":
            return left <= right + self.tolerance
        if self.operator == ">=":
            return left + self.tolerance >= right
        return abs(left - right) <= self.tolerance


@dataclass(frozen=True)
class Term:
    """One cell of a series rule: in the later report (year N) or the earlier one (N-1), added or subtracted."""

    id: str
    previous: bool = False
    sign: int = 1

    @property
    def text(self) -> str:
        return ("-" if self.sign < 0 else "") + self.id + (PREVIOUS if self.previous else "")


@dataclass(frozen=True)
class SeriesRule:
    """An identity between an agency's report of year N and its report of year N-1 (series_rules.csv)."""

    name: str
    kind: str  # identity / cumulative
    formats: tuple[str, ...]  # both reports must be in one of these formats
    left: tuple[Term, ...]
    right: tuple[Term, ...]
    column: str  # cumulative: the legacy column header (历年累计)
    backcast: tuple[str, ...]  # formats of an earlier report whose missing cell may be computed from this rule
    note: str
    line: int


def load_rules(rows, path: Path, known: dict[str, set], axes: tuple[list[str], list[str]], problems: list[str]):
    """Sum rules from rules.csv rows; `known` gives the ids each applies_to may name."""
    rules = []
    for line, row in rows:
        where = f"{path}:{line}"
        if row["applies_to"] not in known:
            problems.append(f"{where}: applies_to must be {' or '.join(known)}, not {row['applies_to']!r}")
            continue
        operator = row.get("operator", "")
        if operator not in OPERATORS:
            problems.append(f"{where}: operator must be one of {', '.join(OPERATORS)}, not {operator!r}")
            continue
        try:
            tolerance = Decimal(row["tolerance"] or "0")
        except InvalidOperation:
            tolerance = Decimal("NaN")
        if not tolerance.is_finite() or tolerance < 0 or tolerance.adjusted() > 12:
            problems.append(f"{where}: tolerance {row['tolerance']!r} is not a number of 0 or more")
            continue
        for name, left, right in expand(row["rule"], row["left"], row["right"], axes):
            for cell_id in left + right:
                if cell_id not in known[row["applies_to"]]:
                    problems.append(f"{where}: rule {row['rule']} names unknown id {cell_id}")
            if not left or not right:
                problems.append(f"{where}: rule {row['rule']} needs ids on both sides")
            rules.append(Rule(name, row["applies_to"], left, right, tolerance, row.get("note", ""), line, operator))
    return rules


def expand(rule: str, left: str, right: str, axes: tuple[list[str], list[str]]):
    """A rule written once with {row} or {column} stands for one rule per matrix row or column."""
    text = left + " " + right
    for placeholder, values in zip(("{row}", "{column}"), axes):
        if placeholder in text:
            for value in values:
                yield (
                    f"{rule}[{value}]",
                    tuple(left.replace(placeholder, value).split()),
                    tuple(right.replace(placeholder, value).split()),
                )
            return
    yield rule, tuple(left.split()), tuple(right.split())


def load_series_rules(rows, path: Path, context: dict, problems: list[str]) -> list[SeriesRule]:
    """Rules across years. `context`: schema ids, formats, legacy column headers (as keys), axes, key()."""
    rules = []
    for line, row in rows:
        where = f"{path}:{line}"
        found = _series_row_problems(row, context)
        if found:
            problems += [f"{where}: {p}" for p in found]
            continue
        formats = tuple(row["formats"].split())
        backcast = tuple(row.get("backcast", "").split())
        if row["kind"] == "cumulative":
            column = context["key"](row["left"])
            rules.append(SeriesRule(row["rule"], "cumulative", formats, (), (), column, (), row.get("note", ""), line))
            continue
        for name, left, right in expand(row["rule"], row["left"], row["right"], context["axes"]):
            terms = [tuple(_term(t) for t in side) for side in (left, right)]
            for term in terms[0] + terms[1]:
                if term.id not in context["schema"]:
                    problems.append(f"{where}: rule {row['rule']} names unknown id {term.id}")
            if backcast and [t.previous for t in terms[0] + terms[1]].count(True) != 1:
                problems.append(f"{where}: rule {row['rule']}: backcast needs exactly one {PREVIOUS} term")
            rule = SeriesRule(name, "identity", formats, *terms, "", backcast, row.get("note", ""), line)
            rules.append(rule)
    return rules


def _series_row_problems(row: dict[str, str], context: dict) -> list[str]:
    found = []
    if row["kind"] not in SERIES_KINDS:
        found.append(f"kind must be one of {', '.join(SERIES_KINDS)}, not {row['kind']!r}")
    formats = row["formats"].split() + row.get("backcast", "").split()
    unknown = [f for f in formats if f not in context["formats"]]
    if unknown or not row["formats"].split():
        found.append(f"formats must name some of {', '.join(context['formats'])}, not {row['formats']!r}")
    if row["kind"] == "identity" and (not row["left"].split() or not row["right"].split()):
        found.append(f"rule {row['rule']} needs terms on both sides")
    if row["kind"] == "identity" and PREVIOUS not in row["left"] + " " + row["right"]:
        found.append(f"rule {row['rule']} names no cell of the earlier report ({PREVIOUS})")
    if row["kind"] == "cumulative" and context["key"](row["left"]) not in context["columns"]:
        found.append(f"cumulative rule {row['rule']}: {row['left']!r} is not a header of legacy_columns.csv")
    return found


def _term(text: str) -> Term:
    sign = -1 if text.startswith("-") else 1
    text = text.lstrip("+-")
    previous = text.endswith(PREVIOUS)
    return Term(text.removesuffix(PREVIOUS), previous, sign)


@dataclass(frozen=True)
class FindingText:
    """What a finding code means, in Chinese, for the workbooks and the audit (findings.csv)."""

    code: str
    match: str  # an English reason that starts with this text is of this kind ("" when the code is the reason)
    name_zh: str
    what_zh: str
    name_en: str


def in_chinese(text: str, code: str = "", messages: dict | None = None) -> str:
    """A message or reason as an archivist reads it: as is when written in Chinese; otherwise the Chinese
    explanation of its kind (mappings/findings.csv) first, the English text with its numbers after."""
    if not text or not messages or len(_CJK.findall(_QUOTED.sub("", text))) >= 2:
        return text
    known = messages.get(code) or messages.get(text)
    known = known or next((m for m in messages.values() if m.match and text.startswith(m.match)), None)
    if known is None:
        return text
    return f"{known.name_zh}：{known.what_zh}" + ("" if text == known.code else f" / {text}")
