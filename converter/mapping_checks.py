"""The checks of the mapping tables no command can run without.

A parent chain in legacy_rows.csv that goes round in a circle makes the legacy reader climb it
forever; a derived cell of schema.csv that uses itself, or one not yet made, cannot be summed.
mapping.py calls these while loading; each problem is a sentence with file:line.
"""

from __future__ import annotations

from pathlib import Path


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
