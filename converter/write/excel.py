"""Safe workbook primitives shared by every writer: text that stays text, clean sheet names,
status colours and comments, and a save that is atomic and byte-for-byte repeatable.

Writers decide what goes where; this module decides how a value reaches a cell safely.
"""

from __future__ import annotations

import datetime
import functools
import os
import re
import shutil
import tempfile
import time
import zipfile
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray

from .._version import TOOL_NAME as COMMENT_AUTHOR
from ..errors import OutputError
from ..mapping import Mappings
from ..model import Observation, json_number
from .cell_sheet import CellSheet, Entry, PackageWriter
from .outputs import printable, writable_folder
from .sized_sheet import SizedSheet, create_sheet  # noqa: F401 -- the writers' streamed sheets

# Fixed document and archive timestamps: the same inputs give the same bytes.
FIXED_TIME = datetime.datetime(2000, 1, 1)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# Excel shows at most this many characters in a cell and this many rows in a sheet.
MAX_CELL_TEXT = 32_767
MAX_SHEET_ROWS = 1_048_576
MAX_SHEET_NAME = 31
_FORMULA_START = ("=", "+", "-", "@")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
TITLE_FONT = Font(bold=True, size=12)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right")  # a text mark where a number would be stands where the number would
THIN = Side(style="thin", color="808080")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BREAK_SIDE = Side(style="thick", color="C00000")


# Whatever printable() or openpyxl's ILLEGAL_CHARACTERS_RE would change (the latter's are all among printable's
# control characters).
_UNCLEAN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Text as a cell may hold it: no control characters, no more than Excel shows."""
    if type(text) is str and len(text) <= MAX_CELL_TEXT and not _UNCLEAN.search(text):
        return text  # the common case, unchanged (a cell's worth of checks per value of a workbook)
    text = ILLEGAL_CHARACTERS_RE.sub("", printable(text))
    if len(text) > MAX_CELL_TEXT:
        text = text[: MAX_CELL_TEXT - 1] + "…"
    return text


def cell_value(value):
    """A Python value as a cell value: Decimal -> int/float, text cleaned, None stays empty."""
    kind = type(value)
    if kind is str:
        return clean_text(value)
    if value is None or kind is int:
        return value
    if isinstance(value, Decimal):
        return json_number(value)
    if isinstance(value, str):  # a subclass of str
        return clean_text(value)
    return value


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(_FORMULA_START)


def keep_as_text(cell) -> None:
    """A string beginning with =, +, - or @ is stored as text (and shown with Excel's text prefix)."""
    if is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


def put(ws: CellSheet, row: int, column: int, value, **style) -> Entry:
    """Write one cell of a CellSheet safely; style keys are openpyxl cell attributes (font, fill, border,
    alignment, number_format), assigned in the order given."""
    return ws.put(row, column, cell_value(value), style)


def streamed(ws, value, **style):
    """One cell to append to a write-only worksheet (or a CellSheet), made safe like `put`."""
    if isinstance(ws, CellSheet):
        return ws.entry(cell_value(value), style)
    cell = WriteOnlyCell(ws, cell_value(value))
    keep_as_text(cell)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


class StyleCache:
    """Styles registered once per workbook. openpyxl hashes a cell's fill, font and border each time
    one is set; a large sheet copies the registered style array instead (the same result)."""

    def __init__(self):
        self._arrays: dict = {}

    def cell(self, ws, value, key, **style) -> WriteOnlyCell:
        array = self._arrays.get(key)
        if array is None:
            array = self._arrays[key] = streamed(ws, None, **style)._style
        cell = WriteOnlyCell(ws, cell_value(value))
        cell._style = StyleArray(array)
        keep_as_text(cell)
        return cell


def plain_row(ws, values) -> list:
    """A row of unstyled values for ws.append: plain values pass as they are (the fast path of a
    streamed sheet); only text that needs it is cleaned or wrapped as a text cell."""
    row = []
    for value in values:
        if isinstance(value, str):
            value = clean_text(value)
            if value.startswith(_FORMULA_START):
                value = streamed(ws, value)
        elif isinstance(value, Decimal):
            value = json_number(value)
        row.append(value)
    return row


def sheet_name(name: str, taken: set[str]) -> str:
    """A sheet name Excel accepts: forbidden characters removed, ≤ 31 characters, unique (case-blind)."""
    name = _SHEET_NAME_FORBIDDEN.sub(" ", clean_text(name)).strip("' ") or "Sheet"
    base, n = name[:MAX_SHEET_NAME], 1
    candidate = base
    while candidate.lower() in taken:
        n += 1
        suffix = f" ({n})"
        candidate = base[: MAX_SHEET_NAME - len(suffix)] + suffix
    taken.add(candidate.lower())
    return candidate


# A status reads without colour too (greyscale print, colour-blind readers): a value carries its status
# mark as a suffix of its number format (the cell still holds the plain number), and a cell without a
# value shows a text mark instead. The legend explains each mark.
VALUE_MARKS = {"reported": "", "exact": "=", "approx": "≈", "summed": "Σ", "derived": "*"}
BLANK_MARKS = {"not_collected": "—", "missing": "?"}


class StatusLook:
    """Fills, marks and legend texts of the statuses (names and colours from mappings/statuses.csv)."""

    def __init__(self, mappings: Mappings):
        self.styles = mappings.statuses
        self.fills = {s: PatternFill("solid", fgColor=style.fill) for s, style in self.styles.items()}

    def name(self, status: str) -> str:
        style = self.styles[status]
        return f"{style.name_zh} {style.name_en}"

    @staticmethod
    @functools.cache  # one string per format: a CellSheet knows a style it has seen by its values' identity
    def number_format(status: str, base: str = "General") -> str:
        """'General" ≈"': the number as it is, then its status mark."""
        mark = VALUE_MARKS.get(status, "")
        return f'{base}" {mark}"' if mark else base

    @staticmethod
    def shown(value, status: str):
        """What a value cell holds: the value, or for no value the status's text mark (never 0)."""
        return value if value is not None else BLANK_MARKS.get(status)

    @staticmethod
    def mark(status: str) -> str:
        """The mark as the legend shows it: '12 ≈', '?', or '' for none."""
        if status in BLANK_MARKS:
            return BLANK_MARKS[status]
        return f"12 {VALUE_MARKS[status]}" if VALUE_MARKS.get(status) else "12"


def print_setup(ws, *, title_rows: str | None = "1:1", title_columns: str | None = None) -> None:
    """Printed, a sheet comes out landscape, one page wide, pages running down, with its header rows
    (and label columns) repeated on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows
    if title_columns:
        ws.print_title_cols = title_columns


def provenance_text(obs: Observation, look: StatusLook, file_name: str = "") -> str:
    """What a cell comment says: status, printed label and line, relation, note, file."""
    lines = [f"编号 id: {obs.id}", f"状态 status: {look.name(obs.status)} ({obs.status})"]
    for source in obs.sources[:4]:
        where = f"第{source.line}行 line {source.line}" if source.line else "未读到 not reached"
        label = " · ".join(p for p in (source.row_label, source.column_label) if p)
        printed = source.raw if source.raw else "空 blank"
        lines.append(f"来源 source: 「{label}」 = {printed}, {where}")
    if len(obs.sources) > 4:
        lines.append(f"… {len(obs.sources) - 4} more sources")
    if obs.relation:
        lines.append(f"关系 relation: {obs.relation}")
    if obs.note:
        lines.append(f"说明 note: {obs.note}")
    if file_name:
        lines.append(f"文件 file: {file_name}")
    return clean_text("\n".join(lines))


def comment(text: str) -> Comment:
    note = Comment(clean_text(text), COMMENT_AUTHOR)
    note.width, note.height = 360, 160
    return note


def new_workbook(*, write_only: bool = False) -> Workbook:
    workbook = Workbook(write_only=write_only)
    if not write_only:
        workbook.remove(workbook.active)
    workbook.properties.creator = COMMENT_AUTHOR
    workbook.properties.lastModifiedBy = COMMENT_AUTHOR
    return workbook


def save(workbook: Workbook, path: str | Path) -> Path:
    """Write the workbook to `path` via a temporary file in the same folder, then rename.

    An interrupted run leaves no half-written workbook, and fixed timestamps make the bytes
    depend on the content only.
    """
    path = Path(path)
    writable_folder(path)
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    write_atomically(path, lambda out: _write_package(workbook, out))
    return path


def write_atomically(path: Path, write) -> None:
    """Call write(binary file) on a temporary file beside `path`, then rename it to `path`.

    Whatever stops the writing (an error, Ctrl-C) removes the temporary file; an existing file
    at `path` is replaced only by a complete one.
    """
    folder = writable_folder(path)
    clean_stale_partials(folder)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot be written ({exc.strerror})") from None
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; the output is an ordinary file
        os.replace(temporary, path)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot be written ({exc.strerror})") from None
        raise


# The temporary files write_atomically makes: ".<output name>.<8 random characters>.partial".
_PARTIAL = re.compile(r"^\..+\.[a-z0-9_]{8}\.partial$")
STALE_PARTIAL_SECONDS = 6 * 3600  # older than any save takes: its run was killed (kill -9, power cut)
_cleaned: set[str] = set()


def clean_stale_partials(folder: Path) -> list[Path]:
    """Remove our own temporary files that a killed run left in `folder` (once per folder and process).

    Only names of our pattern older than STALE_PARTIAL_SECONDS are touched: a run writing into the
    same folder right now keeps its files.
    """
    key = os.path.realpath(folder)
    if key in _cleaned:
        return []
    _cleaned.add(key)
    removed, now = [], time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        try:
            if _PARTIAL.match(entry.name) and entry.is_file(follow_symlinks=False):
                if now - entry.stat(follow_symlinks=False).st_mtime > STALE_PARTIAL_SECONDS:
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
        except OSError:  # gone meanwhile, or not ours to remove: leave it
            continue
    return removed


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _write_package(workbook: Workbook, out) -> None:
    archive = _FixedTimeZip(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    archive.sheets = workbook.worksheets
    try:
        PackageWriter(workbook, archive).write_data()
    except BaseException:
        _close_streams(workbook)
        raise
    finally:
        archive.close()  # also when interrupted: the temporary file is then removed whole


def _close_streams(workbook: Workbook) -> None:
    """Finish the half-written streamed sheets of an interrupted save, so nothing is left open."""
    for sheet in workbook.worksheets:
        if getattr(sheet, "closed", True) is False:
            try:
                sheet.close()
            except Exception:  # the save already failed; this only tidies up
                pass


class _FixedTimeZip(zipfile.ZipFile):
    """A zip archive whose members all carry one fixed date (zip stores local times, so a plain
    archive differs from run to run); members written from files are streamed, never loaded whole."""

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        return info

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo_or_arcname = self._info(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    sheets: list = []

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        arcname = arcname or Path(filename).name
        with open(filename, "rb") as source, self.open(self._info(arcname), "w") as target:
            sheet = self._sized_sheet(arcname)
            if sheet is not None:
                sheet.write_xml(source.read(), target)  # openpyxl wrote all but the rows: a few kB
            else:
                shutil.copyfileobj(source, target, 1 << 20)

    def _sized_sheet(self, arcname: str):
        match = _SHEET_PART.fullmatch(arcname)
        if not match or int(match.group(1)) > len(self.sheets):
            return None
        sheet = self.sheets[int(match.group(1)) - 1]
        return sheet if isinstance(sheet, SizedSheet) else None


_SHEET_PART = re.compile(r"xl/worksheets/sheet(\d+)\.xml")
