"""The long table for analysts, outside Excel: Parquet (typed, for pandas, DuckDB, R, Spark) or CSV
(UTF-8 with BOM, so that Excel shows the Chinese by double-click).

The same rows and columns as the series workbook's long sheet (corpus.series.long_rows, named by
LONG_COLUMNS), written in batches as they are made: a national corpus past Excel's row limit goes
through without the whole table in memory. Written atomically like every output.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

from ..corpus.series import LONG_COLUMNS, Series, long_rows
from ..errors import OutputError
from ..mapping import Mappings
from .excel import is_formula_like, write_atomically

LONG_TABLE_SUFFIXES = (".parquet", ".csv")
BATCH_ROWS = 50_000  # rows held at a time: a few MB, whatever the size of the corpus


def write_long_table(series: Series, mappings: Mappings, path: str | Path) -> int:
    """Write the long table at `path` (.parquet or .csv, by its suffix); return the number of rows."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in LONG_TABLE_SUFFIXES:
        raise OutputError(f"the long table is written as {' or '.join(LONG_TABLE_SUFFIXES)}")
    rows = long_rows(series, mappings)
    written = [0]

    def write(out) -> None:
        written[0] = _write_parquet(rows, out) if suffix == ".parquet" else _write_csv(rows, out)

    write_atomically(path, write)
    return written[0]


def arrow_schema():
    """Column types: whole numbers as integers, the value as a decimal-capable float (counts are whole
    and exact; fees in 万元 may have decimals), repeated texts as categories (dictionary-encoded)."""
    import pyarrow as pa

    category = pa.dictionary(pa.int32(), pa.string())
    types = {
        "agency": category,
        "agency_key": category,
        "year": pa.int32(),
        "format": category,
        "id": category,
        "table": category,
        "indicator": category,
        "unit": category,
        "value": pa.float64(),
        "status": pa.dictionary(pa.int8(), pa.string()),
        "meaning": category,
        "combination": category,
        "file": category,
        "printed_label": pa.string(),
        "line": pa.int32(),
        "note": category,
    }
    assert tuple(types) == LONG_COLUMNS
    return pa.schema([pa.field(name, kind) for name, kind in types.items()])


def _batches(rows: Iterator[tuple]) -> Iterator[list[tuple]]:
    while batch := list(islice(rows, BATCH_ROWS)):
        yield batch


def _write_parquet(rows: Iterable[tuple], out) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema()
    count = 0
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        for batch in _batches(iter(rows)):
            columns = list(zip(*batch))
            arrays = [_array(pa, column, field.type) for column, field in zip(columns, schema)]
            writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=schema))
            count += len(batch)
    return count


def _array(pa, values, kind):
    if pa.types.is_dictionary(kind):
        return pa.array(values, type=pa.string()).dictionary_encode().cast(kind)
    return pa.array(values, type=kind)


def _write_csv(rows: Iterable[tuple], out) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow(LONG_COLUMNS)
    count = 0
    for row in rows:
        writer.writerow(["" if v is None else ("'" + v if is_formula_like(v) else v) for v in row])
        count += 1
    text.flush()
    text.detach()  # the caller closes the file
    return count
