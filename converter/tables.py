"""Reading one mapping table (a CSV an archivist edits in a spreadsheet): rows with their line numbers,
columns found by header name, extra columns ignored, problems collected as 'file:line: what'."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .csv_text import CsvDecodeError, decode_csv

# Characters in one cell of a mapping table; the longest real note is a few hundred.
MAX_FIELD = 4000


def read_rows(path: Path, required: tuple[str, ...], problems: list[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV as (line, {column: text}); missing file or columns, text in no encoding a spreadsheet
    saves (UTF-8 with or without BOM, GBK/GB18030), broken CSV and oversized cells become problems."""
    if not path.is_file():
        problems.append(f"{path}: file is missing")
        return []
    try:
        text = decode_csv(path.read_bytes())
    except CsvDecodeError as exc:
        problems.append(f"{path}:{exc.line}: {exc}")
        return []
    rows: list[tuple[int, dict[str, str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
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
    return rows
