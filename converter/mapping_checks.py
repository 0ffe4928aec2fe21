"""The checks of the mapping tables no command can run without.

A parent chain in legacy_rows.csv that goes round in a circle makes the legacy reader climb it
forever; a derived cell of schema.csv that uses itself, or one not yet made, cannot be summed.
mapping.py calls these while loading; each problem is a sentence with file:line.
"""

from __future__ import annotations

import re
from pathlib import Path

# Two independent flags per mapping link (as the ICD-9→10 General Equivalence Mappings do): is the
# meaning the same, and how many source fields make the one cell.
MEANINGS = ("exact", "approx", "none")
COMBINATIONS = ("single", "summed", "aggregate")
SMALL_NUMBER = re.compile(r"[0-9]{1,3}")  # a priority: 1, 2, 3 …


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


def decision_problems(row: dict[str, str], sources: dict[str, str], schema: dict) -> list[str]:
    """What is wrong with one decision of a mapping table (map_legacy.csv, map_2019.csv), as sentences."""
    source, target, meaning, combination = row["source"], row["target"], row["meaning"], row["combination"]
    found = []
    if source not in sources:
        found.append(f"unknown source field {source}")
    elif row.get("source_label") and row["source_label"] != sources[source]:
        found.append(f"source_label {row['source_label']!r} does not match {source} ({sources[source]!r})")
    if meaning not in MEANINGS:
        found.append(f"unknown meaning {meaning!r} (use {', '.join(MEANINGS)})")
    if meaning == "none" and (target or combination):
        found.append(f"meaning none but a target or combination ({target or combination}) is given")
    if meaning in ("exact", "approx") and combination not in COMBINATIONS:
        found.append(f"unknown combination {combination!r} (use {', '.join(COMBINATIONS)})")
    if meaning in ("exact", "approx") and not target:
        found.append(f"meaning {meaning} needs a target id")
    if target and target not in schema:
        found.append(f"unknown target id {target}")
    elif target:
        cell = schema[target]
        if row.get("target_label") and row["target_label"] != cell.label:
            found.append(
                f"target_label {row['target_label']!r} does not match the schema's {cell.label!r} for {target}"
            )
        if combination == "aggregate" and cell.kind != "derived":
            found.append(f"combination aggregate must point at a derived cell, not the printed cell {target}")
    if row["priority"] and not SMALL_NUMBER.fullmatch(row["priority"]):
        found.append(f"priority {row['priority']!r} is not a small whole number (1, 2, 3 …)")
    return found


def clashes(path: Path, decisions: dict, problems: list[str]) -> None:
    """Two sources of one variant may feed one cell only if summed or ranked by priority."""
    by_target: dict[tuple[str, str, int], list] = {}
    for row in decisions.values():
        if row.target:
            by_target.setdefault((row.target, row.variant, row.priority), []).append(row)
    for (target, _, _), rows in by_target.items():
        if len(rows) > 1 and any(r.combination != "summed" for r in rows):
            names = ", ".join(r.source for r in rows)
            problems.append(
                f"{path}: {names} all feed {target} with the same priority but are not all 'summed' ({rows[0].where})"
            )
