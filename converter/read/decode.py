"""Bytes -> text: detect the encoding of a report file, refuse what is not text.

Reports come as UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK or Big5. GB18030
and Big5 both decode most byte strings without error, so when UTF-8 fails the candidates are
ranked by how much of the decoded text is common Chinese characters.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import InputError
from ..model import Finding

# Signatures of document kinds that are not plain text (readers for them come with their own stage).
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP container (Word .docx or Excel .xlsx)"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.doc or .xls)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
)

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# The most frequent characters of Chinese administrative prose; their traditional forms are added
# at first use. A correct decoding is mostly made of them, a wrong one mostly is not.
_COMMON_SIMPLIFIED = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子"
    "说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当"
    "使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你"
    "明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果"
    "料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农"
    "指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济"
    "阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示"
    "议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装"
    "影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克"
    "何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适"
    "属圆包火住调满县局照参红细引听该铁价严龙飞申请予督监审核执罚许诉讼议复局档案馆件费"
)

_CJK = re.compile(r"[\u3400-\u9fff]")
# Two '?' (or U+FFFD) inside one short run of Chinese: bytes that were lost in a wrong decoding
# somewhere upstream, as in seed 001's 「三審三?!敝贫?」. A lone '?' after a question is normal.
_MOJIBAKE = re.compile(r"[\u3400-\u9fff][?\ufffd][^\s?\ufffd]{0,3}[\u3400-\u9fff]{1,6}[?\ufffd]|\ufffd|锟斤拷")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    findings: tuple[Finding, ...] = ()  # what the decoding noticed (a last character cut in half)


def decode_report(data: bytes, *, declared: str | None = None) -> Decoded:
    """Decode a report's bytes, or raise InputError saying in one sentence why it is not text.

    `declared` is the charset the file names itself (a web page's <meta>). It is trusted after a
    byte-order mark and valid UTF-8 (pages that declare gb2312 but are UTF-8 are common; GBK text
    is almost never valid UTF-8) and before the heuristics; a declaration the bytes break is ignored.
    """
    if not data.strip():
        raise InputError("the file is empty")
    for signature, kind in _MAGIC:
        if data.startswith(signature):
            raise InputError(f"this is {kind}, not a text report; only text reports can be read so far")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return Decoded(_decode_strict(data, encoding), encoding.replace("-sig", "") + " (BOM)")
    if b"\x00" in data and (found := _utf16_without_bom(data)):
        return found
    if b"\x00" in data or _control_share(data) > 0.02:
        raise InputError("the file is binary, not text")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        if (found := _utf8_cut_at_end(data, exc)) is not None:
            return found
    if declared and (found := _decode_declared(data, declared)):
        return found
    return _best_chinese_decoding(data)


def _utf8_cut_at_end(data: bytes, exc: UnicodeDecodeError) -> Decoded | None:
    """UTF-8 whose only fault is a last character cut in half (a download or copy stopped short)."""
    if exc.reason != "unexpected end of data" or len(data) - exc.start > 3:
        return None
    lost = data[exc.start :].hex(" ")
    finding = Finding(
        "truncated-file",
        f"the file ends inside a character (bytes {lost} are the start of one): it was cut short; "
        "the text before it was read, compare with the original for what is missing",
    )
    return Decoded(data[: exc.start].decode("utf-8"), "utf-8", (finding,))


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 saved without a byte-order mark: line breaks, spaces and digits put their zero byte
    always at the same side of each pair (odd places for little-endian, even for big-endian)."""
    sample = data[: 1 << 16]
    sample = sample[: len(sample) // 2 * 2]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if max(even, odd) < 4 or min(even, odd) * 4 > max(even, odd):
        return None
    encoding = "utf-16-le" if odd > even else "utf-16-be"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    head = text[:32768]
    readable = sum(1 for c in head if (" " <= c <= "~") or c in "\t\n\r\f" or _TEXT_CHARACTER.match(c))
    if readable < 0.95 * len(head):  # binary data that happens to hold zero bytes
        return None
    return Decoded(text, f"{encoding} (no BOM)")


# Characters of Chinese text beyond ASCII: CJK ideographs, punctuation, full-width forms.
_TEXT_CHARACTER = re.compile(r"[\u00a0-\u024f\u2000-\u206f\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")


# Declared names -> the codec that reads what pages so labelled really hold (GBK pages say gb2312).
_DECLARED = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "gb_2312-80": "gb18030",
    "csgb2312": "gb18030",
    "big5": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "cn-big5": "big5hkscs",
}


def _decode_declared(data: bytes, declared: str) -> Decoded | None:
    codec = _DECLARED.get(declared.lower(), declared)
    try:
        name = codecs.lookup(codec).name
        text = data.decode(codec)
    except (LookupError, UnicodeError, ValueError, TypeError):  # unknown, not a text codec, or bytes it refuses
        return None
    return Decoded(text, {"big5hkscs": "big5"}.get(name, name))


def _decode_strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"the file starts with a {encoding} byte-order mark but is not valid {encoding}") from exc


def _control_share(data: bytes) -> float:
    head = data[:65536]
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))  # counted in C, not byte by byte in Python
    return controls / min(len(data), 65536)


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def _best_chinese_decoding(data: bytes) -> Decoded:
    candidates = []
    for encoding in ("gb18030", "big5hkscs"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_common_share(text), encoding, text))
    if not candidates:
        raise InputError("the encoding is not UTF-8, UTF-16, GB18030/GBK or Big5")
    share, encoding, text = max(candidates)
    if share < 0.3:
        raise InputError("the encoding is not UTF-8, UTF-16, GB18030/GBK or Big5 (no decoding gives readable Chinese)")
    return Decoded(text, "big5" if encoding == "big5hkscs" else encoding)


def _common_share(text: str) -> float:
    cjk = _CJK.findall(text)
    if not cjk:
        return 0.0
    common = _common_characters()
    return sum(1 for c in cjk if c in common) / len(cjk)


@lru_cache(maxsize=1)
def _common_characters() -> frozenset[str]:
    from ..normalize import to_traditional

    return frozenset(_COMMON_SIMPLIFIED) | frozenset(to_traditional(_COMMON_SIMPLIFIED))


def find_mojibake(lines: list[str]) -> list[Finding]:
    """A finding for each line holding a run of characters garbled by a wrong decoding upstream."""
    findings = []
    for number, line in enumerate(lines, start=1):
        match = _MOJIBAKE.search(line)
        if match:
            start = max(match.start() - 6, 0)
            snippet = line[start : match.end() + 6]
            findings.append(
                Finding(
                    "mojibake",
                    f"line {number} holds garbled characters「{snippet}」: text was lost in a wrong "
                    "decoding before this file was saved; compare with the original page",
                    line=number,
                )
            )
    return findings
