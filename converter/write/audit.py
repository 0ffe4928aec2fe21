"""The audit written out: .xlsx (rows, counts by kind, counts by label) or .csv (the rows only)."""

from __future__ import annotations

import csv
import io
from dataclasses import astuple
from pathlib import Path

from ..corpus.audit import HEADER, KIND_HEADER, LABEL_HEADER, AuditRow, count_kinds, count_labels
from ..normalize import Normalizer
from .excel import (
    BOLD,
    HEADER_FILL,
    create_sheet,
    is_formula_like,
    new_workbook,
    print_setup,
    printable,
    save,
    sheet_name,
    streamed,
    write_atomically,
)


def write_audit(rows: list[AuditRow], normalizer: Normalizer, path: str | Path) -> Path:
    """The audit as .xlsx (rows, counts by kind, counts by label) or .csv (the rows only)."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        write_atomically(path, lambda out: out.write(_csv_bytes(rows)))
        return path
    workbook = new_workbook(write_only=True)
    taken: set[str] = set()
    _sheet(workbook, taken, "审核清单 Audit", HEADER, [astuple(r) for r in rows], {1: 50, 6: 40, 7: 24, 11: 100})
    _sheet(workbook, taken, "按类别 By kind", KIND_HEADER, count_kinds(rows), {1: 24})
    _sheet(
        workbook, taken, "按标签 By label", LABEL_HEADER, count_labels(rows, normalizer), {1: 18, 2: 50, 3: 24, 6: 60}
    )
    return save(workbook, path)


def _sheet(workbook, taken, title, header, rows, widths) -> None:
    from openpyxl.utils import get_column_letter

    ws = create_sheet(workbook, sheet_name(title, taken))
    for index in range(1, len(header) + 1):
        ws.column_dimensions[get_column_letter(index)].width = widths.get(index, 14)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
    print_setup(ws)
    ws.append([streamed(ws, h, font=BOLD, fill=HEADER_FILL) for h in header])
    for row in rows:
        ws.append([streamed(ws, v) for v in row])


def _csv_bytes(rows: list[AuditRow]) -> bytes:
    """UTF-8 with a BOM, so that Excel opens the Chinese text correctly by double-click."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow(["" if v is None else _csv_safe(v) for v in astuple(row)])
    return text.getvalue().encode("utf-8-sig")


def _csv_safe(value):
    """Spreadsheets run a CSV cell that begins with = + - @ as a formula (and some skip a leading
    tab or line break before looking): a leading ' keeps it text. Control characters are dropped."""
    if isinstance(value, str):
        value = printable(value)
        if is_formula_like(value) or value.startswith(("\t", "\r", "\n")):
            return "'" + value
    return value
