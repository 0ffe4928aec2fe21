"""A text report: decoded (BOM, UTF-8, GB18030, Big5), one line per line of text."""

from __future__ import annotations

from .cells import text_to_cells
from .common import Source
from .decode import decode_report
from .limits import check_lines


def read_text(data: bytes) -> Source:
    """A text file's lines and cells."""
    decoded = decode_report(data)
    lines = decoded.text.splitlines()
    check_lines(lines)
    return Source("text", decoded.encoding, lines, text_to_cells(lines), list(decoded.findings))
