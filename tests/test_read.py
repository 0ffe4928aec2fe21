"""Bytes -> text: encodings detected, non-text refused with a clear sentence."""

import pytest

from converter.errors import InputError
from converter.read.decode import decode_report, find_mojibake

TEXT = "宝丰县商务局2023年政府信息公开工作年度报告\n二、主动公开政府信息情况\n行政许可 | 0 |\n"
TRADITIONAL = "嘉興市商務局2024年度政府信息公開工作年度報告\n二、主動公開政府信息情況\n行政許可 | 111 |\n"


@pytest.mark.parametrize(
    "data, encoding",
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("utf-8-sig"), "utf-8 (BOM)"),
        (TEXT.encode("utf-16"), "utf-16 (BOM)"),
        (TEXT.encode("utf-16-be").join([b"\xfe\xff", b""]), "utf-16 (BOM)"),
        (TEXT.encode("gbk"), "gb18030"),
        (TEXT.encode("gb18030"), "gb18030"),
        (TRADITIONAL.encode("big5"), "big5"),
        (TRADITIONAL.encode("gb18030"), "gb18030"),
    ],
)
def test_encodings(data, encoding):
    decoded = decode_report(data)
    assert decoded.encoding == encoding
    assert decoded.text.strip() in (TEXT.strip(), TRADITIONAL.strip())


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "the file is empty"),
        (b"  \n\n ", "the file is empty"),
        (b"\x00\x01\x02\x03binary\x00\xff" * 20, "the file is binary, not text"),
        (b"%PDF-1.7\n...", "this is a PDF document, not a text report; only text reports can be read so far"),
        (
            b"PK\x03\x04....",
            "this is a ZIP container (Word .docx or Excel .xlsx), not a text report; only text reports can be read so far",
        ),
        (b"\x81\x20\x82\x20" * 50, "the encoding is not UTF-8, UTF-16, GB18030/GBK or Big5"),
        (
            "Ceci n'est pas un rapport: café, résumé, façade.".encode("latin-1") * 5,
            "the encoding is not UTF-8, UTF-16, GB18030/GBK or Big5",
        ),
        (
            bytes([0xFE, 0x50, 0xFD, 0x41]) * 40,  # decodes as GB18030 and as Big5, to rare characters only
            "the encoding is not UTF-8, UTF-16, GB18030/GBK or Big5 (no decoding gives readable Chinese)",
        ),
    ],
)
def test_refused(data, message):
    with pytest.raises(InputError) as error:
        decode_report(data)
    assert str(error.value) == message


def test_mojibake_runs_become_findings():
    lines = ["嚴(yán)格落實(shí)信息發(fā)布“三審三?!敝贫?,按照", "這是什麼?我們不知道。", "亂碼\ufffd在此", "锟斤拷"]
    findings = find_mojibake(lines)
    assert [f.line for f in findings] == [1, 3, 4]
    assert all(f.code == "mojibake" for f in findings)
