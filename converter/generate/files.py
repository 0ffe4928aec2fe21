"""A generated report's bytes: its blocks as text lines in a layout, or as an HTML page, a Word
document or an Excel sheet; every value slot learns the line it stands on."""

from __future__ import annotations

import io
import random
import re
import zipfile
from xml.sax.saxutils import escape

from .spec import Row, Slot, Spec, Table


def _shown(cell) -> str:
    return cell.raw if isinstance(cell, Slot) else cell


class _Lines:
    """Text lines being written; each slot learns the line it stands on."""

    def __init__(self):
        self.lines: list[str] = []

    def add(self, cells: list, join) -> None:
        for cell in cells:
            if isinstance(cell, Slot):
                cell.line = len(self.lines) + 1
        self.lines.append(join([_shown(c) for c in cells]))


def _pipes(texts: list[str]) -> str:
    return " | ".join(texts) + " |"


def _markdown(texts: list[str]) -> str:
    return "| " + " | ".join(texts) + " |"


def _tabs(texts: list[str]) -> str:
    return "\t".join(texts)


def _spaces(texts: list[str]) -> str:
    return " ".join(t for t in texts if t)


# A line that ends in '|' closes its last cell, so a trailing empty cell needs its own closing '|'.
_JOINERS = {"pipes": _pipes, "markdown": _markdown, "tabs": _tabs, "one-line": _pipes}


def render_lines(blocks: list, layout: str, rng: random.Random, *, pipe_blanks: bool = False) -> list[str]:
    """The report as text lines in `layout`; sets every slot's line. `pipe_blanks`: an empty cell is a
    line holding only 「|」 (cell-per-line), a pipe row's empty pieces are 「| |」."""
    out = _Lines()
    for block in blocks:
        if isinstance(block, Table) and layout in ("flattened", "glued"):
            _one_line(block, layout, out)
        elif isinstance(block, Table) and pipe_blanks and layout in ("cell-per-line", "pipes"):
            _pipe_blank_lines(block, layout, out)
        elif isinstance(block, Table):
            _table_lines(block, layout, rng, out)
        else:
            out.lines.append(block)
            if layout == "blank-lines":
                out.lines.append("")
    return out.lines


def _table_lines(table: Table, layout: str, rng: random.Random, out: _Lines) -> None:
    if layout == "one-line":  # the whole table on one line; empty merged cells would read as blank values
        out.add([c for row in table.rows for c in row.cells if c != ""], _JOINERS["one-line"])
        return
    separator = rng.choice((_tabs, _pipes)) if layout == "broken-rows" else _JOINERS.get(layout)
    for number, row in enumerate(table.rows):
        if layout in ("cell-per-line", "blank-lines"):
            for cell in row.cells:
                if cell != "":
                    out.add([cell], (lambda t: t[0] + " |") if layout == "cell-per-line" else (lambda t: t[0]))
                    if layout == "blank-lines":
                        out.lines.append("")
            if layout == "cell-per-line":
                out.lines.append("||")
        elif layout == "spaces":
            _spaces_row(row, out)
        else:
            for part in _broken(row) if layout == "broken-rows" else [row.cells]:
                out.add(part, separator)
            if layout == "markdown" and number == 0:
                out.lines.append("|" + "---|" * max(len(row.cells), 2))
            elif layout == "tabs" and row.complete and rng.random() < 0.2:
                out.lines[-1] += "\t"  # padding after the last cell, as spreadsheets export it


def _one_line(table: Table, layout: str, out: _Lines) -> None:
    """The whole table on one line, as crawlers flatten web pages: cells separated by one space, short labels
    spaced out (规 章); or glued, with no separator at all (labels, units and digits run together)."""
    cells = [c for row in table.rows for c in row.cells if c != ""]
    if layout == "glued":
        out.add([c if isinstance(c, Slot) else re.sub(r"\s+", "", c) for c in cells], "".join)
    else:
        out.add([c if isinstance(c, Slot) else _spaced_out(c) for c in cells], " ".join)


def _spaced_out(label: str) -> str:
    """A short label with a space between its characters (规 章), as a crawled table cell centres it."""
    short = 2 <= len(label) <= 3 and label not in _UNITS
    return " ".join(label) if short and all("\u4e00" <= ch <= "\u9fff" for ch in label) else label


_UNITS = ("万元", "人次")  # a unit is printed whole


def _pipe_blank_lines(table: Table, layout: str, out: _Lines) -> None:
    """Cell-per-line with an empty cell as a line holding only 「|」; pipe rows with empty pieces 「| |」."""
    for row in table.rows:
        if layout == "pipes":
            out.add([c for c in row.cells if c != "" or not row.data], _pipe_pieces)
            continue
        for cell in row.cells:
            if cell != "":
                out.add([cell], lambda t: t[0] + " |" if t[0] else "|")
        out.lines.append("||")


def _pipe_pieces(texts: list[str]) -> str:
    return " ".join(t + " |" if t else "|" for t in texts)


def _spaces_row(row: Row, out: _Lines) -> None:
    """Label and numbers separated by spaces; group labels on lines of their own, header cells by tabs."""
    if not row.data:
        out.add([c for c in row.cells if c != ""], _tabs)
        return
    slots = [c for c in row.cells if isinstance(c, Slot)]
    labels = [c for c in row.cells if isinstance(c, str) and c]
    for group in labels[:-1] if row.label else labels:
        out.add([group], _tabs)
    out.add(([row.label] if row.label else []) + slots, _spaces)


def _broken(row: Row) -> list[list]:
    """A row cut into lines at its breaks (the values after a break continue on the next line)."""
    slots = [c for c in row.cells if isinstance(c, Slot)]
    parts, current = [], []
    for cell in row.cells:
        if isinstance(cell, Slot) and slots.index(cell) in row.breaks and current:
            parts.append(current)
            current = []
        current.append(cell)
    return parts + [current]


def encode_report(blocks: list, spec: Spec, rng: random.Random) -> tuple[bytes, str]:
    """The report's bytes in its kind and encoding, and the encoding actually used."""
    if spec.kind == "text":
        lines = render_lines(blocks, spec.layout, rng, pipe_blanks="pipe-blanks" in spec.noise)
        text = "\n".join(lines) + "\n"
        try:
            return text.encode(spec.encoding), spec.encoding
        except UnicodeEncodeError:  # a character the legacy code page lacks: written as UTF-8 instead
            return text.encode("utf-8"), "utf-8"
    _number_document_lines(blocks)
    if spec.kind == "html":
        return _html(blocks, spec.encoding)
    if spec.kind == "docx":
        return _docx(blocks), "utf-8"
    return _xlsx(blocks, rng), "utf-8"


def _number_document_lines(blocks: list) -> None:
    """In a document each paragraph and each table row is one line."""
    line = 0
    for block in blocks:
        for row in block.rows if isinstance(block, Table) else [None]:
            line += 1
            for cell in row.cells if row else []:
                if isinstance(cell, Slot):
                    cell.line = line


def _markup(blocks: list, *, table: tuple[str, str], row: tuple[str, str], cell, paragraph) -> str:
    """Paragraphs and tables as markup: `table` and `row` are (open, close) tags, `cell` and `paragraph` wrap text."""
    body = []
    for block in blocks:
        if isinstance(block, Table):
            rows = "".join(row[0] + "".join(cell(_shown(c)) for c in r.cells) + row[1] for r in block.rows)
            body.append(table[0] + rows + table[1])
        else:
            body.append(paragraph(block))
    return "\n".join(body)


def _html(blocks: list, encoding: str) -> tuple[bytes, str]:
    meta = (
        '<meta charset="utf-8">'
        if encoding == "utf-8"
        else '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    )
    body = _markup(
        blocks,
        table=('<table border="1">', "</table>"),
        row=("<tr>", "</tr>"),
        cell=lambda text: f"<td>{escape(text) or '&nbsp;'}</td>",
        paragraph=lambda text: f"<p>{escape(text)}</p>",
    )
    page = f"<!DOCTYPE html>\n<html><head>{meta}</head><body>\n{body}\n</body></html>\n"
    try:
        return page.encode(encoding), encoding
    except UnicodeEncodeError:
        return page.replace(meta, '<meta charset="utf-8">').encode("utf-8"), "utf-8"


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(blocks: list) -> bytes:
    """A minimal Word document: paragraphs and tables in word/document.xml."""

    def paragraph(text: str) -> str:
        run = f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""
        return f"<w:p>{run}</w:p>"

    body = _markup(
        blocks,
        table=("<w:tbl>", "</w:tbl>"),
        row=("<w:tr>", "</w:tr>"),
        cell=lambda text: f"<w:tc>{paragraph(text)}</w:tc>",
        paragraph=paragraph,
    )
    document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {_W}><w:body>{body}</w:body></w:document>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)


def _xlsx(blocks: list, rng: random.Random) -> bytes:
    """One sheet: a paragraph in column A, a table row across the columns, every table cell bordered (so an
    empty one exists, as in a real table); plain numbers stored as numbers."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Border, Side

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("年度报告")
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)

    def cell(value):
        written = WriteOnlyCell(sheet, value=_stored(value))
        written.border = border
        return written

    for block in blocks:
        for row in block.rows if isinstance(block, Table) else [None]:
            sheet.append([cell(c) for c in row.cells] if row else [block])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _stored(cell):
    """A value cell whose token is a plain number is stored as a number, as Excel holds it."""
    text = _shown(cell)
    if isinstance(cell, Slot) and re.fullmatch(r"\d{1,15}", text):
        return int(text)
    return text or None
