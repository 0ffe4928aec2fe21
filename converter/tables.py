"""Reading one mapping table (a CSV an archivist edits in a spreadsheet): rows with their line numbers,
columns found by header name, extra columns ignored, problems collected as 'file:line: what'."""

from __future__ import annotations

import csv
from pathlib import Path


def read_rows(path: Path, required: tuple[str, ...], problems: list[str]) -> list[tuple[int, dict[str, str]]]:
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
