"""The mapping tables' rows read with their problems, and the checks no command can run without.

A CSV that is not UTF-8, broken quoting or an oversized cell is a problem with file:line, not a
crash. A parent chain in legacy_rows.csv that goes round in a circle makes the legacy reader climb it
forever; a derived cell of schema.csv that uses itself, or one not yet made, cannot be summed.
mapping.py calls these while loading; each problem is a sentence with file:line.
"""

from __future__ import annotations

import csv
from pathlib import Path

MAX_FIELD = 4000  # characters in one cell of a mapping table; the longest real note is a few hundred


def read_rows(path: Path, required: tuple[str, ...], problems: list[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV as (line, {column: text}); missing file or columns, text that is not UTF-8,
    broken CSV and oversized cells become problems."""
    if not path.is_file():
        problems.append(f"{path}: file is missing")
        return []
    rows: list[tuple[int, dict[str, str]]] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = [h.strip().lower() for h in next(reader, [])]
            absent = [c for c in required if c not in header]
            if absent:
                problems.append(f"{path}:1: missing column(s) {', '.join(absent)}")
                return []
            for values in reader:
                line = reader.line_num
                if not any(v.strip() for v in values):
                    continue
                too_long = [h for h, v in zip(header, values) if len(v) > MAX_FIELD]
                if too_long:
                    problems.append(f"{path}:{line}: column {too_long[0]} holds over {MAX_FIELD} characters")
                    continue
                padded = values + [""] * (len(header) - len(values))
                rows.append((line, {h: v.strip() for h, v in zip(header, padded)}))
        except csv.Error as exc:
            problems.append(f"{path}:{reader.line_num}: the CSV cannot be read ({exc})")
        except UnicodeDecodeError:
            problems.append(f"{path}:{reader.line_num + 1}: the text is not UTF-8 (save the table as CSV UTF-8)")
    return rows


def derived_order_problems(path: Path, rows, schema: dict, problems: list[str]) -> None:
    """Derived cells are summed in table order: each may use printed cells and derived cells listed
    above it, never itself or one below (that would be a cycle, or a sum of a cell not yet made)."""
    where = {row["id"]: line for line, row in rows}
    listed: set[str] = set()
    for line, row in rows:
        parts = row["parts"].split()
        if row["kind"] == "derived" and not parts:
            problems.append(f"{path}:{line}: derived cell {row['id']} has no parts (a sum of nothing would be 0)")
        if row["kind"] == "printed" and parts:
            problems.append(f"{path}:{line}: printed cell {row['id']} has parts; only derived cells are sums")
        for part in parts:
            if part == row["id"]:
                problems.append(f"{path}:{line}: derived cell {row['id']} names itself among its parts")
            elif part in schema and schema[part].kind == "derived" and part not in listed:
                problems.append(
                    f"{path}:{line}: derived cell {row['id']} uses {part}, a derived cell listed below it "
                    f"(line {where[part]}): move {part} above, and make sure the two do not use each other"
                )
        listed.add(row["id"])


def parent_cycle_problems(path: Path, lines, rows: dict, problems: list[str]) -> None:
    """Every chain of parents must end at a top row: a row that is its own ancestor loops the reader."""
    where = {row["id"]: line for line, row in lines}
    reported: set[str] = set()
    for row_id in rows:
        chain, current = [], row_id
        while current in rows and current not in chain:
            chain.append(current)
            current = rows[current].parent
        if current in chain and current not in reported:
            loop = chain[chain.index(current) :]
            reported.update(loop)
            shown = " → ".join([*loop, current])
            problems.append(f"{path}:{where[current]}: the parents of {current} go round in a circle ({shown})")


def table_heading_problems(path: Path, entries, formats, tables, problems: list[str]) -> None:
    """The tabular formats are read table by table from their headings: each needs one for every table."""
    for fmt in formats:
        found = {e.table for e in entries if e.format == fmt and e.kind == "table"}
        for table in tables:
            if table not in found:
                problems.append(f"{path}: format {fmt} has no heading row (kind table) for table {table}")
