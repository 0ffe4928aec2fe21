"""Find the 2019/2021 tables in a report's cells and read each with its template.

A table is found by its heading (二、主动公开政府信息情况 …) and, where a page has none (an excerpt, a
flip-book page, a page that starts inside a table), by its own content: its header cells (第二十条第（一）项,
申请人情况, 本列数据的勾稽关系…, 行政复议) and its row labels. A row label the template knows belongs to its
table wherever it stands.
"""

from __future__ import annotations

from dataclasses import replace

from ..mapping import Mappings
from ..model import Finding
from ..read.cells import Cell
from .glued import ProseFigures
from .template import TableResult, Template, TemplateRow, build_template, find_heading, missing_fields, read_table

TABLE_ORDER = ("二", "三", "四")


def read_tables(cells: list[Cell], fmt: str, mappings: Mappings):
    """The format's tables as source fields, the cells they cover, and where the first one starts."""
    starts = locate_tables(cells, fmt, mappings)
    found = sorted((index, table) for table, index in starts.items() if index is not None)
    end = end_of_tables(cells, fmt, mappings, found[-1][0] + 1 if found else 0)
    regions: dict[str, list[Cell]] = {}
    for position, (index, table) in enumerate(found):
        stop = found[position + 1][0] if position + 1 < len(found) else max(end, index + 1)
        regions[table] = cells[index:stop]
    prose = ProseFigures(cells, mappings)
    results, covered = [], []
    for table in TABLE_ORDER:
        template = table_template(table, fmt, mappings)
        if table not in regions:
            results.append(_table_not_found(template))
            continue
        covered += regions[table]
        results.append(read_table(regions[table], template, mappings.normalizer, prose))
    first = min((cells[index].line for index, _ in found), default=None)
    return results, covered, first


def locate_tables(cells: list[Cell], fmt: str, mappings: Mappings) -> dict[str, int | None]:
    """Index of each table's first cell: its heading, else its first header cell or known row label."""
    normalizer = mappings.normalizer
    headings = {e.table: e.keywords for e in mappings.entries(fmt, "table")}
    starts: dict[str, int | None] = {}
    position = 0
    for table in TABLE_ORDER:
        starts[table] = find_heading(cells, headings[table], normalizer, position)
        if starts[table] is not None:
            position = starts[table] + 1
    owners = content_owners(fmt, mappings)
    first_seen: dict[str, int] = {}
    for index, cell in enumerate(cells):
        if cell.is_label and len(cell.text) <= _MAX_CONTENT_LABEL:
            table = owners.get(normalizer.key(cell.text))
            if table is not None and table not in first_seen:
                first_seen[table] = index
    earlier = -1  # tables keep their order: content that stands before an earlier table is prose about it
    for table in TABLE_ORDER:
        content = first_seen.get(table)
        if content is not None and content > earlier and (starts[table] is None or content < starts[table]):
            starts[table] = _back_over_own_rows(cells, content, earlier, table, fmt, mappings)
        earlier = starts[table] if starts[table] is not None else earlier
    return starts


def _back_over_own_rows(cells: list[Cell], start: int, floor: int, table: str, fmt: str, mappings: Mappings) -> int:
    """A table found by a row label only it has begins at the first of the rows before it that are its own
    too, though other tables print the same words (a page that starts at 「3.其他」「（七）总计」 before
    「四、结转下年度继续办理」): back over its row and group labels and their values, to the first other cell."""
    template = table_template(table, fmt, mappings)
    own = {mappings.normalizer.key(row.label) for row in template.rows if row.label}
    own |= {mappings.normalizer.key(part) for row in template.rows for part in row.section.split(" / ") if part}
    index = start
    while index - 1 > floor:
        cell = cells[index - 1]
        if cell.is_label and mappings.normalizer.key(cell.text) not in own:
            break
        index -= 1
    while index < start and not cells[index].is_label:  # the table opens at a label, not at a stray value
        index += 1
    return index


# A header cell or row label is short; longer cells are prose that may mention a label in passing.
_MAX_CONTENT_LABEL = 80


def content_owners(fmt: str, mappings: Mappings) -> dict[str, str]:
    """Label key -> the table it belongs to: start cells of formats.csv and the templates' row labels.

    A key two tables share (总计, 其他) belongs to neither: it cannot tell where a table starts.
    """
    cached = mappings.cache.get(("owners", fmt))
    if cached is not None:
        return cached
    key = mappings.normalizer.key
    claims: dict[str, set[str]] = {}
    for entry in mappings.entries(fmt, "start"):
        claims.setdefault(entry.keywords[0], set()).add(entry.table)
    headers: set[str] = set()
    for table in TABLE_ORDER:
        template = table_template(table, fmt, mappings)
        headers |= template.known_labels
        for row in template.rows:
            if row.label:
                claims.setdefault(key(row.label), set()).add(table)
    # a row label that is also a header cell somewhere (（七）总计 and the column 总计) tells no table apart
    starts = {e.keywords[0] for e in mappings.entries(fmt, "start")}
    owners = {
        k: next(iter(tables))
        for k, tables in claims.items()
        if k and len(tables) == 1 and (k in starts or k not in headers)
    }
    mappings.cache[("owners", fmt)] = owners
    return owners


def end_of_tables(cells: list[Cell], fmt: str, mappings: Mappings, start: int) -> int:
    ends = [find_heading(cells, e.keywords, mappings.normalizer, start) for e in mappings.entries(fmt, "end")]
    ends = [e for e in ends if e is not None]
    return min(ends) if ends else len(cells)


def table_template(table: str, fmt: str, mappings: Mappings) -> Template:
    """The reading template of one table of a format; built once per set of mapping tables."""
    cached = mappings.cache.get(("template", fmt, table))
    if cached is None:
        cached = mappings.cache[("template", fmt, table)] = _build_template(table, fmt, mappings)
    return cached


def _build_template(table: str, fmt: str, mappings: Mappings) -> Template:
    key = mappings.normalizer.key
    printed = mappings.layout(fmt, table)
    known = {key(part) for c in printed for part in c.group.split(" / ")}
    known |= {key(c.column_label) for c in printed}
    known |= {e.keywords[0] for e in mappings.formats if e.format == fmt and e.kind in ("label", "table", "start")}
    template = build_template(table, printed, frozenset(known))
    row_sums = {row.label: _row_sums(row, mappings) for row in template.rows}
    return replace(template, row_sums=row_sums, table_sums=_table_sums(template, mappings))


def _table_sums(template: Template, mappings: Mappings) -> tuple:
    """rules.csv equalities over this table's printed cells, derived cells (subtotals) expanded into the
    cells they add up; as slot keys."""
    slots = {slot.key.removeprefix("y2019."): slot.key for row in template.rows for slot in row.slots}

    def expand(cell_id: str) -> tuple[str, ...] | None:
        if cell_id in slots:
            return (slots[cell_id],)
        cell = mappings.schema.get(cell_id)
        if cell is None or cell.kind != "derived" or not cell.parts:
            return None
        parts = [expand(part) for part in cell.parts]
        return None if any(p is None for p in parts) else tuple(k for p in parts for k in p)

    sums = []
    for rule in mappings.rules:
        if getattr(rule, "operator", "=") != "=" or rule.tolerance != 0 or rule.applies_to != "schema":
            continue
        left, right = [expand(i) for i in rule.left], [expand(i) for i in rule.right]
        if all(part is not None for part in (*left, *right)):
            sums.append((tuple(k for p in left for k in p), tuple(k for p in right for k in p)))
    return tuple(sums)


def _row_sums(row: TemplateRow, mappings: Mappings) -> tuple:
    """The equalities of rules.csv that lie within one row, as slot positions (2019 ids read as 2021 ids)."""
    position = {slot.key.removeprefix("y2019."): index for index, slot in enumerate(row.slots)}
    sums = []
    for rule in mappings.rules:
        ids = (*rule.left, *rule.right)
        if getattr(rule, "operator", "=") == "=" and rule.tolerance == 0 and all(i in position for i in ids):
            sums.append((tuple(position[i] for i in rule.left), tuple(position[i] for i in rule.right)))
    return tuple(sums)


def _table_not_found(template: Template) -> TableResult:
    result = TableResult(fields=missing_fields(template, list(template.rows)))
    result.findings.append(
        Finding("table-not-found", f"table {template.table} was not found: all its cells are missing")
    )
    return result
