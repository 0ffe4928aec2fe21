"""A Word .docx -> lines and cells, paragraphs and tables in document order.

word/document.xml is read with lxml directly rather than through python-docx: the walk needs
the body's children in order (paragraphs, tables, content controls), the merge marks of each
table cell (gridSpan, vMerge, the legacy hMerge) and nothing else; reading the XML by local name
also takes Strict OOXML files, which python-docx refuses. Each paragraph and each table row is one
line. A merged cell appears once, where it starts; continuation cells of a vertical merge are
skipped, as text layouts show a label that spans rows.
"""

from __future__ import annotations

import zipfile

from lxml import etree

from ..errors import InputError
from .common import Source, tidy
from .xml_parts import DAMAGED_PART, parse_xml


def read_docx(archive: zipfile.ZipFile) -> Source:
    """The paragraphs and table rows of a Word document's body."""
    try:
        root = parse_xml(archive.read("word/document.xml"), "word/document.xml")
    except DAMAGED_PART as exc:
        raise InputError(f"the Word document is damaged: word/document.xml cannot be read ({exc})") from None
    body = next((child for child in root if _name(child) == "body"), None)
    if body is None:
        raise InputError("the Word document has no body (word/document.xml holds no w:body)")
    source = Source("docx", "utf-8")
    _blocks(source, body)
    return source


def _name(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _blocks(source: Source, container) -> None:
    for child in container:
        name = _name(child)
        if name == "p":
            # a tab in a paragraph is a cell boundary, as in a text report's tab rows
            source.add_text("\t".join(tidy(part) for part in _paragraph_text(child).split("\t")))
        elif name == "tbl":
            _table(source, child)
        elif name in ("sdt", "sdtContent", "customXml"):
            _blocks(source, child if name != "sdt" else _content(child))


def _content(sdt):
    return next((child for child in sdt if _name(child) == "sdtContent"), [])


def _table(source: Source, table) -> None:
    for row in _children(table, "tr"):
        cells = [cell for cell in _children(row, "tc") if not _continues_merge(cell)]
        if any(_name(inner) == "tbl" for cell in cells for inner in cell.iter()):
            for cell in cells:  # a layout table: the report's paragraphs and tables are inside
                _blocks(source, cell)
        else:
            source.add_row([tidy("\n".join(_paragraph_text(p) for p in _children(cell, "p"))) for cell in cells])


def _children(element, name: str) -> list:
    """Children with this local name, looking through content controls and custom XML wrappers."""
    found = []
    for child in element:
        local = _name(child)
        if local == name:
            found.append(child)
        elif local in ("sdt", "sdtContent", "customXml"):
            found += _children(child, name)
    return found


def _continues_merge(cell) -> bool:
    """A cell that continues a vertical (or legacy horizontal) merge: its text stands in the first cell."""
    properties = next((child for child in cell if _name(child) == "tcPr"), None)
    if properties is None:
        return False
    for mark in properties:
        if _name(mark) in ("vMerge", "hMerge"):
            value = next((v for k, v in mark.attrib.items() if etree.QName(k).localname == "val"), "continue")
            if value != "restart":
                return True
    return False


def _paragraph_text(paragraph) -> str:
    """Text of the runs, in order; deleted text, field codes and fallback copies of drawings are not text."""
    parts: list[str] = []

    def walk(element) -> None:
        name = _name(element)
        if name in ("del", "Fallback", "instrText", "delText", "pPr", "rPr"):
            return
        if name == "t" and element.text:
            parts.append(element.text)
        elif name == "tab":
            parts.append("\t")
        elif name in ("br", "cr"):
            parts.append("\n")
        elif name == "noBreakHyphen":
            parts.append("-")
        for child in element:
            walk(child)

    walk(paragraph)
    return "".join(parts)
