"""The words people read, kept as data an archivist can reword: the catalogue of finding codes
(mappings/findings.csv) and the official 2021 layout's titles, header texts and charted series
(mappings/layout.csv). Loaded and checked by mapping.load_mappings, each problem with file:line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .tables import read_rows

SEVERITIES = ("error", "warning", "info")
FINDING_COLUMNS = ("code", "severity", "title_zh", "action_zh", "title_en")
# The parts of layout.csv. table_title: the heading of table 二/三/四 (key: the table); header: a header
# text the schema's cells do not spell out (key: which one); derived_title: the line over the subtotals
# outside the official table; chart: a series charted for every agency (key: its 2021 cell id).
LAYOUT_PARTS = ("table_title", "header", "derived_title", "chart")
LAYOUT_HEADERS = ("table_two_row", "table_three_corner", "table_three_applicants", "table_three_organisations")
_CODE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@dataclass(frozen=True)
class FindingKind:
    """One finding code: how serious it is, its Chinese title, what to do about it, its English title."""

    code: str
    severity: str  # error / warning / info
    title_zh: str
    action_zh: str
    title_en: str
    # An English reason of the parse stage that starts with this text is of this kind ("row has "), so that
    # the workbooks can show it in Chinese; "" when the code itself is the reason.
    match: str = ""


@dataclass(frozen=True)
class OfficialLayout:
    """The official 2021 layout's texts the workbooks print, and the series they chart."""

    table_titles: dict[str, str]  # 二 / 三 / 四 -> 二、主动公开政府信息情况 …
    headers: dict[str, str]  # one of LAYOUT_HEADERS -> its text
    derived_title: str
    # (2021 cell id, series title, chart title), in chart order; series of one chart title share a chart
    # (series of very different size get charts of their own, so neither flattens the other)
    charted: tuple[tuple[str, str, str], ...]


def load_findings(path: Path, problems: list[str]) -> dict[str, FindingKind]:
    """The finding catalogue: every code once, kebab-case, with a severity and both titles."""
    kinds: dict[str, FindingKind] = {}
    for line, row in read_rows(path, FINDING_COLUMNS, problems):
        where = f"{path}:{line}"
        if not _CODE.fullmatch(row["code"]):
            problems.append(f"{where}: code {row['code']!r} is not lower-case words joined by '-' (e.g. sum-mismatch)")
        elif row["code"] in kinds:
            problems.append(f"{where}: code {row['code']} is listed twice")
        if row["severity"] not in SEVERITIES:
            problems.append(f"{where}: severity must be one of {', '.join(SEVERITIES)}, not {row['severity']!r}")
        empty = [c for c in ("title_zh", "action_zh", "title_en") if not row[c]]
        if empty:
            problems.append(f"{where}: {row['code']} has no {', '.join(empty)}")
        kinds[row["code"]] = FindingKind(*(row[c] for c in FINDING_COLUMNS), row.get("match", ""))
    return kinds


def load_layout(path: Path, tables: tuple[str, ...], cell_ids, problems: list[str]) -> OfficialLayout:
    """The official layout's texts: a title for every table, every header text, one derived-cells title,
    charted series that name 2021 cells."""
    titles: dict[str, str] = {}
    headers: dict[str, str] = {}
    derived: list[str] = []
    charted: list[tuple[str, str, str]] = []
    rows = read_rows(path, ("part", "key", "text"), problems)
    for line, row in rows:
        where, part, key, text = f"{path}:{line}", row["part"], row["key"], row["text"]
        if part not in LAYOUT_PARTS:
            problems.append(f"{where}: part must be one of {', '.join(LAYOUT_PARTS)}, not {part!r}")
            continue
        if not text:
            problems.append(f"{where}: {part} {key} has no text")
        if part == "table_title":
            _keyed(titles, key, text, tables, where, problems)
        elif part == "header":
            _keyed(headers, key, text, LAYOUT_HEADERS, where, problems)
        elif part == "derived_title":
            derived.append(text)
        elif key not in cell_ids:
            problems.append(f"{where}: chart names unknown 2021 cell id {key!r}")
        elif key in {c[0] for c in charted}:
            problems.append(f"{where}: chart {key} is listed twice")
        else:
            charted.append((key, text, row.get("chart", "")))
    if rows or path.is_file():
        _complete(path, titles, tables, "table_title", problems)
        _complete(path, headers, LAYOUT_HEADERS, "header", problems)
        if len(derived) != 1:
            problems.append(f"{path}: needs exactly one derived_title row, not {len(derived)}")
        if not charted:
            problems.append(f"{path}: needs at least one chart row (a 2021 cell id to chart)")
    in_order = {t: titles[t] for t in tables if t in titles}  # the tables' order, whatever the rows' order
    return OfficialLayout(in_order, headers, derived[0] if derived else "", tuple(charted))


def _keyed(found: dict[str, str], key: str, text: str, allowed, where: str, problems: list[str]) -> None:
    if key not in allowed:
        problems.append(f"{where}: key must be one of {', '.join(allowed)}, not {key!r}")
    elif key in found:
        problems.append(f"{where}: {key} is listed twice")
    else:
        found[key] = text


def _complete(path: Path, found: dict[str, str], keys, part: str, problems: list[str]) -> None:
    absent = [k for k in keys if k not in found]
    if absent:
        problems.append(f"{path}: no {part} row for {', '.join(absent)}")
