"""The mapping tables, read once for generation: each format's tables as rows of cells, the legacy
forms' rows in printed order, the rules, the decisions and the header labels."""

from __future__ import annotations

import csv
from pathlib import Path

from ..mapping import Mappings
from .spec import LEGACY_FORMS


class Plan:
    """The tables of each format as rows of slots, the legacy forms' rows, the rules and the decisions."""

    def __init__(self, m: Mappings):
        self.m = m
        self.rows = {fmt: {t: _template_rows(m.layout(fmt, t)) for t in ("二", "三", "四")} for fmt in ("2019", "2021")}
        self.legacy = {
            variant: _tree_order([r for r in m.legacy_rows.values() if r.variant == variant])
            for variant in LEGACY_FORMS
        }
        self.labels = _header_labels(m.directory)
        self.aliases = _printed_aliases(m.directory)
        self.legacy_rules = [_rule(r) for r in m.rules if r.applies_to == "legacy"]
        self.schema_rules = [_rule(r) for r in m.rules if r.applies_to == "schema"]
        self.schema = [(c.id, c.kind == "printed") for c in m.schema.values()]
        self.printed = [c.id for c in m.printed()]
        self.derived = [(c.id, c.parts) for c in m.derived()]  # in schema order: parts come first
        self.cells = {
            fmt: [(c.id, c.column_label, label) for t in tables.values() for _, label, cells in t for c in cells]
            for fmt, tables in self.rows.items()
        }
        self.ruled = {i for r in m.rules for i in r.left + r.right}
        self.summands = _summands(m.maps["legacy"]) | _summands(m.maps["2019"])
        key = m.normalizer.key
        self.known_label_keys = {key(r.label) for r in m.legacy_rows.values()} | set(m.aliases)
        self.marked = {fmt: _marked_cells(m.directory, fmt, tables) for fmt, tables in self.rows.items()}


def _rule(rule) -> tuple:
    return rule.name, rule.name.split("[")[0], rule.left, rule.right, rule.tolerance, rule.operator


def _template_rows(cells) -> list[tuple[str, str, list]]:
    """(group, row label, cells) in printed order; table 四's cells form one row without a label."""
    rows: list[tuple[str, str, list]] = []
    for cell in cells:
        if rows and rows[-1][0] == cell.group and rows[-1][1] == cell.row_label and cell.row_label:
            rows[-1][2].append(cell)
        elif rows and not cell.row_label and not rows[-1][1]:
            rows[-1][2].append(cell)
        else:
            rows.append((cell.group, cell.row_label, [cell]))
    return rows


def _tree_order(rows: list) -> list:
    """A local form's rows depth first (a row after its parent's earlier children), as a table prints them."""
    children: dict[str, list] = {}
    for row in rows:
        children.setdefault(row.parent, []).append(row)
    ordered: list = []

    def visit(parent: str) -> None:
        for row in children.get(parent, []):
            ordered.append(row)
            visit(row.id)

    visit("")
    return ordered


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _header_labels(directory: Path) -> dict[str, list[str]]:
    """The printed header labels of each table (formats.csv, kind label), as the tables print them."""
    labels: dict[str, list[str]] = {}
    for row in _read_csv(directory / "formats.csv"):
        if row["kind"] == "label" and row["format"] == "2021":
            labels.setdefault(row["table"], []).append(row["text"])
    return labels


def _marked_cells(directory: Path, fmt: str, tables: dict) -> set[str]:
    """The cells whose row, group or column label holds a marker of the format (formats.csv, kind marker):
    a page that prints none of them does not say its format."""
    markers = [r["text"] for r in _read_csv(directory / "formats.csv") if r["kind"] == "marker" and r["format"] == fmt]
    return {
        c.id
        for rows in tables.values()
        for group, label, cells in rows
        for c in cells
        if any(m in f"{group}|{label}|{c.column_label}" for m in markers)
    }


def _printed_aliases(directory: Path) -> dict[str, list[str]]:
    aliases: dict[str, list[str]] = {}
    for row in _read_csv(directory / "label_aliases.csv"):
        aliases.setdefault(row["id"], []).append(row["alias"])
    return aliases


def _summands(decisions) -> dict[tuple[str, int, str], set[str]]:
    """The sources of each group of 'summed' decisions (target, priority, variant): a sum needs them all."""
    groups: dict[tuple[str, int, str], set[str]] = {}
    for d in decisions.values():
        if d.combination == "summed":
            groups.setdefault((d.target, d.priority, d.variant), set()).add(d.source)
    return groups


def legacy_column(m: Mappings, header: str):
    """What legacy_columns.csv says of a column header (role, note): the longest header name it holds."""
    key = m.normalizer.key(header)
    found = [c for c in m.legacy_columns if c.key and c.key in key]
    return max(found, key=lambda c: len(c.key)) if found else None
