"""A saved web page (or a fragment of one) -> lines and cells.

Parsed with lxml.html (libxml2's HTML parser: tolerant of the broken markup of CMS pages and
Word exports, fast, and already what openpyxl uses when present). Paragraphs and other blocks
are lines; each table row is a line of cells. A cell merged over several rows or columns
(rowspan, colspan) appears once, in the row where it starts, as the text layouts show it; the
reader never expands the grid, which would repeat labels and, worse, values. A table whose cells
hold tables is layout: its cells are read as blocks.
"""

from __future__ import annotations

import re

from ..errors import InputError
from .common import Source, tidy
from .decode import decode_report

_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# Tags whose start tells a page from text: only looked for when the content starts with '<'.
_HTML_START = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|table|p|div|span|font|center|h[1-6]|br)\b", re.IGNORECASE
)
_SKIPPED = {
    "script",
    "style",
    "noscript",
    "template",
    "select",
    "textarea",
    "button",
    "iframe",
    "object",
    "svg",
    "head",
    "map",
}
_BLOCKS = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "main",
    "blockquote",
    "pre",
    "address",
    "center",
    "form",
    "fieldset",
    "figure",
    "figcaption",
    "hr",
    "caption",
    "title",
    "body",
    "html",
}


def looks_like_html(head: str) -> bool:
    """True for content that starts as markup with an HTML tag near the start (the first few KB)."""
    stripped = head.lstrip("\ufeff \t\r\n")
    return stripped.startswith("<") and _HTML_START.search(stripped[:4096]) is not None


def read_html(data: bytes) -> Source:
    """A page's paragraphs and table rows, decoded by BOM, UTF-8, its <meta> charset, or the text heuristics."""
    # lxml (and xml_parts, which needs it) is loaded when a page is read: a text report never needs it
    from lxml import etree
    from lxml import html as lxml_html

    from .xml_parts import check_depth

    decoded = decode_report(data, declared=declared_charset(data))
    text = _XML_DECLARATION.sub("", decoded.text, count=1)
    parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        root = lxml_html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"the web page cannot be parsed ({exc})") from None
    check_depth(root, "the web page")
    reader = _PageReader(Source("html", decoded.encoding, findings=list(decoded.findings)))
    title = root.find("head/title")
    if title is not None and title.text_content().strip():
        reader.source.add_text(tidy(title.text_content()))
    body = root.find("body")
    reader.block(body if body is not None else root)
    reader.source.pictures = _pictures(root)
    return reader.source


def _pictures(root) -> list[str]:
    """The src of each <img> the page shows, in document order: not those inside parts never shown (<noscript>)."""
    shown = []
    for image in root.iter("img"):
        hidden = any(isinstance(a.tag, str) and a.tag.lower() in _SKIPPED for a in image.iterancestors())
        if not hidden and (image.get("src") or "").strip():
            shown.append(image.get("src").strip())
    return shown


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in <meta> (or an XML declaration), if any."""
    head = data[:16384]
    match = _CHARSET.search(head) or re.match(rb"""\s*<\?xml[^>]*encoding\s*=\s*["']([a-z0-9_.:-]+)""", head, re.I)
    return match.group(1).decode("ascii").lower() if match else None


class _PageReader:
    """Walks the page in document order, gathering inline text into lines."""

    def __init__(self, source: Source):
        self.source = source
        self.buffer: list[str] = []

    def flush(self, *, keep_empty: bool = False) -> None:
        text = tidy("".join(self.buffer))
        self.buffer = []
        if text or keep_empty:
            self.source.add_text(text)

    def block(self, element) -> None:
        """An element's content, its text and children, as lines of their own."""
        self.inline(element)
        self.flush()

    def inline(self, element) -> None:
        if element.text:
            self.buffer.append(element.text)
        for child in element:
            self.node(child)
            if child.tail:
                self.buffer.append(child.tail)

    def node(self, element) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag in _SKIPPED or not tag:
            return
        if tag == "br":  # a forced break ends the line, even an empty one: the page shows an empty line
            self.flush(keep_empty=True)
        elif tag == "table":
            self.flush()
            self.table(element)
        elif tag in _BLOCKS:
            self.flush()
            self.block(element)
        else:
            self.inline(element)

    def table(self, table) -> None:
        for row in table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr"):
            cells = [c for c in row if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
            if any(c.find(".//table") is not None for c in cells):
                for cell in cells:  # a layout table: the report's paragraphs and tables are inside
                    self.block(cell)
            else:
                self.source.add_row([cell_text(c) for c in cells])


def cell_text(cell) -> str:
    """A table cell's text: <br> and blocks inside it are line breaks, joined as a reader reads them."""
    parts: list[str] = []

    def walk(element) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag in _SKIPPED:
            return
        if tag == "br" or tag in _BLOCKS:
            parts.append("\n")
        if element.text:
            parts.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if tag in _BLOCKS:
            parts.append("\n")

    walk(cell)
    return tidy("".join(parts))
