"""The text of a CSV as an archivist's spreadsheet saves it (mapping tables, manifests): UTF-8 with or
without BOM, or GBK/GB18030; anything else is a CsvDecodeError naming the line and what to do."""

from __future__ import annotations


class CsvDecodeError(ValueError):
    """A CSV in no encoding a spreadsheet saves Chinese text in; `line` is where reading stopped."""

    def __init__(self, line: int, message: str):
        self.line = line
        super().__init__(message)


_SAVE_AS_UTF8 = "请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）” / save it as 'CSV UTF-8 (comma delimited)'"


def decode_csv(data: bytes) -> str:
    """The text of a CSV as a spreadsheet saves it: UTF-8 with or without BOM (Excel's "CSV UTF-8",
    LibreOffice), or GB18030, a superset of GBK (Excel's plain "CSV" on a Chinese Windows).

    Anything else raises CsvDecodeError with the line where it stops, and what to do.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CsvDecodeError(
            1, f"文件是 UTF-16 “Unicode 文本”，不是 CSV / saved as UTF-16 Unicode text; {_SAVE_AS_UTF8}"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if _mostly_utf8(data):
            # Chinese that reads as UTF-8 but for a few bytes: a file of two encodings, not a GBK file.
            raise CsvDecodeError(
                _line_at(data, exc.start), f"此行编码与前文不同（UTF-8 与 GBK 混用） / mixed encodings; {_SAVE_AS_UTF8}"
            ) from None
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise CsvDecodeError(
            _line_at(data, exc.start),
            f"既不是 UTF-8 也不是 GBK/GB18030 文本 / neither UTF-8 nor GBK text; {_SAVE_AS_UTF8}",
        ) from None


def _mostly_utf8(data: bytes) -> bool:
    """GBK bytes read as UTF-8 give mostly errors; UTF-8 text with one GBK cell, mostly Chinese."""
    text = data.decode("utf-8", errors="replace")
    chinese = sum(1 for ch in text if "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
    return chinese > 4 * text.count("\ufffd")


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1
