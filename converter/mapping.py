"""Load the mapping tables in mappings/ and check them whole.

Every table is a CSV an archivist can edit in a spreadsheet. Columns are found by header name,
extra columns (notes) are ignored, and every problem is collected with file:line before one
MappingError lists them all.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .errors import MappingError
from .normalize import Normalizer

FORMATS = ("2021", "2019", "legacy")
TABLES = ("二", "三", "四")
# marker: a label only this format prints; table: the heading that opens a table; end: a heading
# that closes the last table; label: a header or group label that is not a data row.
FORMAT_ENTRY_KINDS = ("marker", "table", "end", "label")


@dataclass(frozen=True)
class SchemaCell:
    id: str
    table: str
    group: str
    row_label: str
    column_label: str
    unit: str
    kind: str  # printed / derived
    parts: tuple[str, ...] = ()
    note: str = ""

    @property
    def label(self) -> str:
        """Official label, row and column, for people."""
        row = f"{self.group} / {self.row_label}" if self.row_label else self.group
        return f"{row} · {self.column_label}" if self.column_label else row


@dataclass(frozen=True)
class Rule:
    name: str
    applies_to: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    tolerance: Decimal
    note: str
    line: int


@dataclass(frozen=True)
class FormatEntry:
    format: str
    kind: str  # one of FORMAT_ENTRY_KINDS
    table: str
    keywords: tuple[str, ...]  # matching keys; a heading must hold all of them


@dataclass
class Mappings:
    directory: Path
    schema: dict[str, SchemaCell]
    rules: list[Rule]
    formats: list[FormatEntry]
    normalizer: Normalizer
    version: str
    extras: dict = field(default_factory=dict)

    def printed(self, table: str | None = None) -> list[SchemaCell]:
        return [c for c in self.schema.values() if c.kind == "printed" and (table is None or c.table == table)]

    def derived(self) -> list[SchemaCell]:
        return [c for c in self.schema.values() if c.kind == "derived"]

    def entries(self, fmt: str, kind: str) -> list[FormatEntry]:
        return [e for e in self.formats if e.format == fmt and e.kind == kind]


def default_directory() -> Path:
    """The tables installed with the package, or mappings/ beside the source tree."""
    installed = Path(__file__).resolve().parent / "mappings"
    if (installed / "schema.csv").is_file():
        return installed
    return Path(__file__).resolve().parent.parent / "mappings"


def load_mappings(directory: str | Path | None = None) -> Mappings:
    """Read and check every mapping table; raise MappingError listing all problems at once."""
    directory = Path(directory) if directory is not None else default_directory()
    if not directory.is_dir():
        raise MappingError([f"{directory}: no such folder of mapping tables"])
    problems: list[str] = []
    protected = tuple(row["name"] for _, row in _read(directory / "protected_names.csv", ("name",), problems))
    normalizer = Normalizer(protected)
    schema = _load_schema(directory / "schema.csv", problems)
    rules = _load_rules(directory / "rules.csv", schema, problems)
    formats = _load_formats(directory / "formats.csv", normalizer, problems)
    if problems:
        raise MappingError(problems)
    return Mappings(directory, schema, rules, formats, normalizer, _version(directory))


def _read(path: Path, required: tuple[str, ...], problems: list[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV as (line, {column: text}); missing file or columns become problems."""
    if not path.is_file():
        problems.append(f"{path}: file is missing")
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [h.strip().lower() for h in next(reader, [])]
        absent = [c for c in required if c not in header]
        if absent:
            problems.append(f"{path}:1: missing column(s) {', '.join(absent)}")
            return []
        rows = []
        for line, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            padded = values + [""] * (len(header) - len(values))
            rows.append((line, {h: v.strip() for h, v in zip(header, padded)}))
        return rows


def _load_schema(path: Path, problems: list[str]) -> dict[str, SchemaCell]:
    required = ("id", "table", "group", "row_label", "column_label", "unit", "kind", "parts")
    schema: dict[str, SchemaCell] = {}
    rows = _read(path, required, problems)
    for line, row in rows:
        where = f"{path}:{line}"
        if row["id"] in schema:
            problems.append(f"{where}: id {row['id']} is listed twice")
        if row["kind"] not in ("printed", "derived"):
            problems.append(f"{where}: kind must be printed or derived, not {row['kind']!r}")
        if row["table"] not in TABLES:
            problems.append(f"{where}: table must be one of {', '.join(TABLES)}, not {row['table']!r}")
        schema[row["id"]] = SchemaCell(
            row["id"], row["table"], row["group"], row["row_label"], row["column_label"],
            row["unit"], row["kind"], tuple(row["parts"].split()), row.get("note", ""),
        )
    for line, row in rows:
        for part in row["parts"].split():
            if part not in schema:
                problems.append(f"{path}:{line}: derived cell {row['id']} names unknown id {part}")
    return schema


def matrix_axes(schema: dict[str, SchemaCell]) -> tuple[list[str], list[str]]:
    """The printed rows and the applicant columns of table 三, in schema order."""
    pairs = [
        cell.id.removeprefix("apply.").rsplit(".", 1)
        for cell in schema.values()
        if cell.table == "三" and cell.kind == "printed"
    ]
    rows = list(dict.fromkeys(row for row, _ in pairs))
    columns = list(dict.fromkeys(column for _, column in pairs))
    return rows, columns


def _load_rules(path: Path, schema: dict[str, SchemaCell], problems: list[str]) -> list[Rule]:
    matrix_rows, columns = matrix_axes(schema)
    rules = []
    for line, row in _read(path, ("rule", "applies_to", "left", "right", "tolerance"), problems):
        where = f"{path}:{line}"
        try:
            tolerance = Decimal(row["tolerance"] or "0")
        except InvalidOperation:
            problems.append(f"{where}: tolerance {row['tolerance']!r} is not a number")
            continue
        for name, left, right in _expand(row, matrix_rows, columns):
            for cell_id in left + right:
                if row["applies_to"] == "schema" and cell_id not in schema:
                    problems.append(f"{where}: rule {row['rule']} names unknown id {cell_id}")
            if not left or not right:
                problems.append(f"{where}: rule {row['rule']} needs ids on both sides")
            rules.append(Rule(name, row["applies_to"], left, right, tolerance, row.get("note", ""), line))
    return rules


def _expand(row: dict[str, str], matrix_rows: list[str], columns: list[str]):
    """A rule written once with {row} or {column} stands for one rule per matrix row or column."""
    text = row["left"] + " " + row["right"]
    for placeholder, values in (("{row}", matrix_rows), ("{column}", columns)):
        if placeholder in text:
            for value in values:
                yield (
                    f"{row['rule']}[{value}]",
                    tuple(row["left"].replace(placeholder, value).split()),
                    tuple(row["right"].replace(placeholder, value).split()),
                )
            return
    yield row["rule"], tuple(row["left"].split()), tuple(row["right"].split())


def _load_formats(path: Path, normalizer: Normalizer, problems: list[str]) -> list[FormatEntry]:
    entries = []
    for line, row in _read(path, ("format", "kind", "table", "text"), problems):
        where = f"{path}:{line}"
        if row["format"] not in FORMATS:
            problems.append(f"{where}: format must be one of {', '.join(FORMATS)}, not {row['format']!r}")
        if row["kind"] not in FORMAT_ENTRY_KINDS:
            problems.append(f"{where}: kind must be one of {', '.join(FORMAT_ENTRY_KINDS)}, not {row['kind']!r}")
        keywords = tuple(normalizer.key(word) for word in re.split(r"\s*\+\s*", row["text"]) if word)
        if not keywords or not all(keywords):
            problems.append(f"{where}: text {row['text']!r} has nothing to match on")
        entries.append(FormatEntry(row["format"], row["kind"], row["table"], keywords))
    return entries


def _version(directory: Path) -> str:
    """A short fingerprint of the tables, so every output can say which tables made it."""
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.csv")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]
