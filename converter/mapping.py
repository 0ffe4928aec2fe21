"""Load the mapping tables in mappings/ and check them whole.

Every table is a CSV an archivist can edit in a spreadsheet. Columns are found by header name,
extra columns (notes) are ignored, and every problem is collected with file:line before one
MappingError lists them all.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from .catalogue import FindingKind, OfficialLayout, load_findings, load_layout
from .errors import MappingError
from .mapping_checks import (  # noqa: F401  (MEANINGS, COMBINATIONS: part of this module's face)
    COMBINATIONS,
    MEANINGS,
    SMALL_NUMBER,
    clashes,
    decision_problems,
    derived_order_problems,
    parent_cycle_problems,
    table_heading_problems,
)
from .mapping_narrative import NarrativeTable, load_narrative
from .mapping_rules import FindingText, Rule, SeriesRule, load_rules, load_series_rules
from .model import STATUSES
from .normalize import Normalizer
from .tables import read_rows as _read

FORMATS = ("2021", "2019", "legacy")
TABLES = ("二", "三", "四")
# marker: a label only this format prints; table: the heading that opens a table; end: a heading
# that closes the last table; label: a header or group label that is not a data row; start: a header cell
# that opens its table where the page prints no heading (an excerpt, a flip-book page).
FORMAT_ENTRY_KINDS = ("marker", "table", "end", "label", "start")
COLUMN_ROLES = ("annual", "other", "unit", "code")
_MATRIX_ID = re.compile(r"apply\.[^.\s]+(?:\.[^.\s]+)*\.[^.\s]+")


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
        row = " / ".join(part for part in (self.group, self.row_label) if part)
        return " · ".join(part for part in (row, self.column_label) if part)


@dataclass(frozen=True)
class MapRow:
    """One decision of a mapping table: where an older-format field goes, and why."""

    source: str
    meaning: str  # exact / approx / none
    combination: str  # single / summed / aggregate ("" when the meaning is none)
    target: str
    priority: int  # 1 = preferred source for its target; higher = alternative source
    note: str
    where: str  # file:line, for messages
    variant: str = ""  # the local form a legacy row belongs to; sources of one variant are summed together


@dataclass(frozen=True)
class LegacyRow:
    id: str
    variant: str
    parent: str
    label: str
    unit: str
    note: str


@dataclass(frozen=True)
class LegacyColumn:
    key: str
    role: str  # annual / other / unit / code
    note: str
    header: str = ""  # as written in legacy_columns.csv: a glued header line is cut at these words


@dataclass(frozen=True)
class FormatEntry:
    format: str
    kind: str  # one of FORMAT_ENTRY_KINDS
    table: str
    keywords: tuple[str, ...]  # matching keys; a heading must hold all of them


@dataclass(frozen=True)
class StatusStyle:
    """How a status is named and coloured in every workbook (statuses.csv)."""

    status: str
    name_zh: str
    name_en: str
    fill: str  # RRGGBB
    meaning_zh: str
    meaning_en: str


@dataclass
class Mappings:
    directory: Path
    schema: dict[str, SchemaCell]
    rules: list[Rule]
    formats: list[FormatEntry]
    normalizer: Normalizer
    version: str
    layout_2019: list[SchemaCell] = field(default_factory=list)
    maps: dict[str, dict[str, MapRow]] = field(default_factory=dict)  # format -> source id -> decision
    legacy_rows: dict[str, LegacyRow] = field(default_factory=dict)
    legacy_columns: list[LegacyColumn] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)  # label key -> legacy row id
    statuses: dict[str, StatusStyle] = field(default_factory=dict)  # in legend order
    finding_kinds: dict[str, FindingKind] = field(default_factory=dict)  # code -> its catalogue row
    official: OfficialLayout | None = None  # the 2021 layout's titles and headers, the charted series
    narrative: NarrativeTable = field(default_factory=NarrativeTable)  # figures in the prose (narrative.csv)
    series_rules: list[SeriesRule] = field(default_factory=list)  # identities across years
    messages: dict[str, FindingText] = field(default_factory=dict)  # finding code -> Chinese name and meaning
    # What the stages derive from the tables once (reading templates …), not part of the tables.
    cache: dict = field(default_factory=dict, repr=False, compare=False)

    def printed(self, table: str | None = None) -> list[SchemaCell]:
        key = ("printed", table)
        if key not in self.cache:
            self.cache[key] = [
                c for c in self.schema.values() if c.kind == "printed" and (table is None or c.table == table)
            ]
        return self.cache[key]

    def layout(self, fmt: str, table: str) -> list[SchemaCell]:
        """The printed cells of one table of a tabular format, in reading order."""
        key = ("layout", fmt, table)
        if key not in self.cache:
            cells = self.layout_2019 if fmt == "2019" else self.printed()
            self.cache[key] = [c for c in cells if c.table == table]
        return self.cache[key]

    def derived(self) -> list[SchemaCell]:
        if "derived" not in self.cache:
            self.cache["derived"] = [c for c in self.schema.values() if c.kind == "derived"]
        return self.cache["derived"]

    def entries(self, fmt: str, kind: str) -> list[FormatEntry]:
        key = ("entries", fmt, kind)
        if key not in self.cache:
            self.cache[key] = [e for e in self.formats if e.format == fmt and e.kind == kind]
        return self.cache[key]


@functools.cache
def default_directory() -> Path:
    """The tables installed with the package, or mappings/ beside the source tree (found once: read_report(path)
    asks for it every call)."""
    installed = Path(__file__).resolve().parent / "mappings"
    if (installed / "schema.csv").is_file():
        return installed
    return Path(__file__).resolve().parent.parent / "mappings"


# One set of tables per folder and process, read again when a table of the folder changes: loading and
# checking them costs more than reading a report (read_report(path) in a loop must not pay it each time).
# The folder is looked at again at most once a second: a change is seen within that second, and reading a
# report does not pay for a look at every table's date.
_SHARED: dict[Path, tuple[tuple, float, Mappings]] = {}
RECHECK_SECONDS = 1.0


def shared_mappings(directory: str | Path | None = None) -> Mappings:
    """The tables of `directory` (the shipped ones by default), loaded once per process and reused until a
    file of the folder changes."""
    folder = Path(directory) if directory is not None else default_directory()
    held, now = _SHARED.get(folder), time.monotonic()
    if held is not None and now - held[1] < RECHECK_SECONDS:
        return held[2]
    stamp = _stamp(folder)
    if held is None or held[0] != stamp:
        held = (stamp, now, load_mappings(folder))
    _SHARED[folder] = (stamp, now, held[2])
    return held[2]


def _stamp(folder: Path) -> tuple:
    """Name, modification time and size of each table of the folder."""
    try:
        with os.scandir(folder) as entries:
            tables = [e for e in entries if e.name.endswith(".csv")]
            return tuple(sorted((e.name, e.stat().st_mtime_ns, e.stat().st_size) for e in tables))
    except OSError:
        return ()


def load_mappings(directory: str | Path | None = None) -> Mappings:
    """Read and check every mapping table; raise MappingError listing all problems at once."""
    directory = Path(directory) if directory is not None else default_directory()
    if not directory.is_dir():
        raise MappingError([f"{directory}: no such folder of mapping tables"])
    problems: list[str] = []
    protected = tuple(row["name"] for _, row in _read(directory / "protected_names.csv", ("name",), problems))
    normalizer = Normalizer(protected)
    schema = _load_schema(directory / "schema.csv", problems)
    layout_2019 = _load_layout(directory / "format_2019.csv", problems)
    legacy_rows = _load_legacy_rows(directory / "legacy_rows.csv", normalizer, problems)
    rules = _load_rules(directory / "rules.csv", schema, legacy_rows, problems)
    formats = _load_formats(directory / "formats.csv", normalizer, problems)
    maps = {
        "2019": _load_map(directory / "map_2019.csv", {c.id: c.label for c in layout_2019}, schema, problems),
        "legacy": _load_map(
            directory / "map_legacy.csv",
            {r.id: r.label for r in legacy_rows.values()},
            schema,
            problems,
            {r.id: r.variant for r in legacy_rows.values()},
        ),
    }
    columns = _load_columns(directory / "legacy_columns.csv", normalizer, problems)
    aliases = _load_aliases(directory / "label_aliases.csv", legacy_rows, normalizer, problems)
    statuses = _load_statuses(directory / "statuses.csv", problems)
    finding_kinds = load_findings(directory / "findings.csv", problems)
    official = load_layout(directory / "layout.csv", TABLES, schema, problems)
    known = {"legacy_rows": legacy_rows, "schema": schema}
    narrative = load_narrative(directory / "narrative.csv", _read, normalizer, known, problems)
    series_rules = _load_series_rules(directory / "series_rules.csv", schema, columns, normalizer, problems)
    messages = {
        k.code: FindingText(k.code, k.match, k.title_zh, k.action_zh, k.title_en) for k in finding_kinds.values()
    }
    if problems:
        raise MappingError(problems)
    return Mappings(
        directory,
        schema,
        rules,
        formats,
        normalizer,
        _version(directory),
        layout_2019,
        maps,
        legacy_rows,
        columns,
        aliases,
        statuses,
        finding_kinds,
        official,
        narrative,
        series_rules,
        messages,
    )


def check_mappings(directory: str | Path | None = None) -> list[str]:
    """Every problem of the mapping tables in `directory`, as 'file:line: what' sentences."""
    try:
        load_mappings(directory)
    except MappingError as error:
        return error.problems
    return []


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
        if row["table"] == "三" and row["kind"] == "printed" and not _MATRIX_ID.fullmatch(row["id"]):
            problems.append(f"{where}: a printed cell of table 三 is named apply.<row>.<column>, not {row['id']!r}")
        schema[row["id"]] = _schema_cell(row, row["kind"], tuple(row["parts"].split()))
    for line, row in rows:
        for part in row["parts"].split():
            if part not in schema:
                problems.append(f"{path}:{line}: derived cell {row['id']} names unknown id {part}")
    derived_order_problems(path, rows, schema, problems)
    return schema


def matrix_axes(schema: dict[str, SchemaCell]) -> tuple[list[str], list[str]]:
    """The printed rows and the applicant columns of table 三, in schema order."""
    pairs = [
        cell.id.removeprefix("apply.").rsplit(".", 1)
        for cell in schema.values()
        if cell.table == "三" and cell.kind == "printed" and _MATRIX_ID.fullmatch(cell.id)
    ]
    rows = list(dict.fromkeys(row for row, _ in pairs))
    columns = list(dict.fromkeys(column for _, column in pairs))
    return rows, columns


def _load_layout(path: Path, problems: list[str]) -> list[SchemaCell]:
    """A source format's printed cells (format_2019.csv), read like the schema's printed cells."""
    cells, seen = [], set()
    for line, row in _read(path, ("id", "table", "group", "row_label", "column_label", "unit"), problems):
        if row["id"] in seen:
            problems.append(f"{path}:{line}: id {row['id']} is listed twice")
        if row["table"] not in TABLES:
            problems.append(f"{path}:{line}: table must be one of {', '.join(TABLES)}, not {row['table']!r}")
        seen.add(row["id"])
        cells.append(_schema_cell(row, "printed", ()))
    return cells


def _schema_cell(row: dict, kind: str, parts: tuple[str, ...]) -> SchemaCell:
    """A row of schema.csv or format_2019.csv as a cell."""
    return SchemaCell(
        row["id"],
        row["table"],
        row["group"],
        row["row_label"],
        row["column_label"],
        row["unit"],
        kind,
        parts,
        row.get("note", ""),
    )


def _load_legacy_rows(path: Path, normalizer: Normalizer, problems: list[str]) -> dict[str, LegacyRow]:
    rows: dict[str, LegacyRow] = {}
    places: dict[tuple[str, str, str], str] = {}
    lines = _read(path, ("id", "variant", "parent", "label", "unit"), problems)
    for line, row in lines:
        where = f"{path}:{line}"
        if row["id"] in rows:
            problems.append(f"{where}: id {row['id']} is listed twice")
        place = (row["variant"], row["parent"], normalizer.key(row["label"]))
        if place in places:
            problems.append(f"{where}: label {row['label']!r} repeats {places[place]} under the same parent")
        places[place] = row["id"]
        rows[row["id"]] = LegacyRow(
            row["id"], row["variant"], row["parent"], row["label"], row["unit"], row.get("note", "")
        )
    for line, row in lines:
        if row["parent"] and row["parent"] not in rows:
            problems.append(f"{path}:{line}: parent {row['parent']} of {row['id']} is not a row")
    parent_cycle_problems(path, lines, rows, problems)
    return rows


def _load_map(
    path: Path,
    sources: dict[str, str],
    schema: dict[str, SchemaCell],
    problems: list[str],
    variants: dict[str, str] | None = None,
) -> dict[str, MapRow]:
    """A mapping table: one decision per known source field, each checked against the schema."""
    decisions: dict[str, MapRow] = {}
    for line, row in _read(path, ("source", "meaning", "combination", "target", "priority"), problems):
        where = f"{path}:{line}"
        source, target = row["source"], row["target"]
        for problem in decision_problems(row, sources, schema):
            problems.append(f"{where}: {problem}")
        if source in decisions:
            problems.append(f"{where}: {source} already has a decision at {decisions[source].where}")
        priority = int(row["priority"]) if SMALL_NUMBER.fullmatch(row["priority"]) else 1
        variant = (variants or {}).get(source, "")
        decisions[source] = MapRow(
            source, row["meaning"], row["combination"], target, priority, row.get("note", ""), where, variant
        )
    for source in sources:
        if source not in decisions:
            problems.append(
                f"{path}: known field {source} ({sources[source]}) has no decision: add a row (meaning none if it has no home)"
            )
    clashes(path, decisions, problems)
    return decisions


def _load_columns(path: Path, normalizer: Normalizer, problems: list[str]) -> list[LegacyColumn]:
    columns = []
    for line, row in _read(path, ("header", "role"), problems):
        if row["role"] not in COLUMN_ROLES:
            problems.append(f"{path}:{line}: role must be one of {', '.join(COLUMN_ROLES)}, not {row['role']!r}")
        columns.append(LegacyColumn(normalizer.key(row["header"]), row["role"], row.get("note", ""), row["header"]))
    return columns


def _load_aliases(
    path: Path, legacy_rows: dict[str, LegacyRow], normalizer: Normalizer, problems: list[str]
) -> dict[str, str]:
    aliases: dict[str, str] = {}
    labels: dict[str, set[str]] = {}
    for row in legacy_rows.values():
        labels.setdefault(normalizer.key(row.label), set()).add(row.id)
    for line, row in _read(path, ("alias", "id"), problems):
        where, key = f"{path}:{line}", normalizer.key(row["alias"])
        if row["id"] not in legacy_rows:
            problems.append(f"{where}: alias {row['alias']!r} points at unknown row {row['id']}")
        if key in aliases and aliases[key] != row["id"]:
            problems.append(f"{where}: alias {row['alias']!r} already points at {aliases[key]}")
        elif key in aliases:
            problems.append(f"{where}: alias {row['alias']!r} is listed twice")
        if key in labels and row["id"] not in labels[key]:
            problems.append(
                f"{where}: alias {row['alias']!r} clashes with the label of {', '.join(sorted(labels[key]))}"
            )
        aliases[key] = row["id"]
    return aliases


def _load_rules(
    path: Path, schema: dict[str, SchemaCell], legacy_rows: dict[str, LegacyRow], problems: list[str]
) -> list[Rule]:
    rows = _read(path, ("rule", "applies_to", "operator", "left", "right", "tolerance"), problems)
    return load_rules(rows, path, {"schema": set(schema), "legacy": set(legacy_rows)}, matrix_axes(schema), problems)


def _load_series_rules(path: Path, schema, columns: list[LegacyColumn], normalizer, problems) -> list[SeriesRule]:
    """Identities between consecutive reports (series_rules.csv); optional, since a series may have none."""
    if not path.is_file():
        return []
    rows = _read(path, ("rule", "kind", "formats", "left", "right"), problems)
    context = {
        "schema": schema,
        "formats": FORMATS,
        "columns": {c.key for c in columns},
        "axes": matrix_axes(schema),
        "key": normalizer.key,
    }
    return load_series_rules(rows, path, context, problems)


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
        if row["kind"] == "table" and row["format"] != "legacy" and row["table"] not in TABLES:
            problems.append(f"{where}: a table heading names table {row['table']!r}, not one of {', '.join(TABLES)}")
        entries.append(FormatEntry(row["format"], row["kind"], row["table"], keywords))
    if entries:
        table_heading_problems(path, entries, ("2021", "2019"), TABLES, problems)
    return entries


def _load_statuses(path: Path, problems: list[str]) -> dict[str, StatusStyle]:
    """The seven statuses of canonical-ids.md, each once, with a colour Excel can show."""
    required = ("status", "name_zh", "name_en", "fill", "meaning_zh", "meaning_en")
    styles: dict[str, StatusStyle] = {}
    for line, row in _read(path, required, problems):
        where = f"{path}:{line}"
        if row["status"] not in STATUSES:
            problems.append(f"{where}: unknown status {row['status']!r} (the statuses are {', '.join(STATUSES)})")
        elif row["status"] in styles:
            problems.append(f"{where}: status {row['status']!r} is listed twice")
        elif not re.fullmatch(r"[0-9A-Fa-f]{6}", row["fill"]):
            problems.append(f"{where}: fill {row['fill']!r} is not a colour written as six hex digits (e.g. FFF2CC)")
        else:
            styles[row["status"]] = StatusStyle(**{k: row[k] for k in required})
    absent = [s for s in STATUSES if s not in styles] if styles or path.is_file() else []
    if absent:
        problems.append(f"{path}: no row for status(es) {', '.join(absent)}")
    return {s: styles[s] for s in STATUSES if s in styles}


def _version(directory: Path) -> str:
    """A short fingerprint of the tables, so every output can say which tables made it."""
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.glob("*.csv") if p.is_file()):  # a pipe would never end
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]
