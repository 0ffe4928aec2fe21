"""What every output shares, a workbook or a line on the terminal: text made safe to show, and the folder
an output goes to checked before any work. Nothing here needs openpyxl, so that the command can print and
check its options without loading it (excel.py builds on these)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..errors import OutputError

# Control characters no output should carry (ESC starts terminal escape sequences, BEL rings):
# C0 but tab and line breaks, DEL and C1. Lone surrogates are the undecodable bytes of a file
# name that is not UTF-8 (Python keeps them as U+DC80..U+DCFF).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_LINE_BREAKS = str.maketrans({"\n": "\\n", "\r": "\\r", "\t": " ", "\u2028": "\\n", "\u2029": "\\n"})


def printable(text: str, *, one_line: bool = False) -> str:
    """Text safe to show or store anywhere: undecodable bytes as U+FFFD, no control characters;
    `one_line` also shows line breaks as \\n, so that a file name cannot start a line of its own."""
    text = str(text)
    if _SURROGATE.search(text):
        escaped = _SURROGATE.sub(lambda m: m.group() if "\udc80" <= m.group() <= "\udcff" else "\ufffd", text)
        text = escaped.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if one_line:
        text = text.translate(_LINE_BREAKS)
    return _CONTROL.sub("", text)


def writable_folder(path: Path) -> Path:
    """The folder `path` will be written in; OutputError now, before any work, if that cannot be."""
    folder = path.parent
    if path.is_dir():
        raise OutputError("it is a folder")
    if not folder.is_dir():
        raise OutputError(f"the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise OutputError(f"no permission to write in {folder}")
    return folder
