"""Matching keys for labels; the printed text is always kept beside them for display.

A key is what two spellings of the same label have in common: Simplified script, half-width
forms, no pinyin annotations, no spaces, no numbering, no parenthetical notes, no punctuation,
其它 = 其他, no trailing 数. Traditional->Simplified conversion is slow in pure Python, so it is
applied to short labels only and cached.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from opencc import OpenCC


@cache
def _opencc(conversion: str) -> OpenCC:
    """One OpenCC conversion, its dictionaries built on first use rather than at import: `import converter`
    and `xxgk --help` need none, and s2t alone takes about 20 ms, longer than reading a report."""
    return OpenCC(conversion)


_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
# A pinyin reading in brackets right after a Chinese character: 務(wù), 計（jì）.
_PINYIN = re.compile(rf"(?<=[\u3400-\u9fff])[(（][a-z{_TONED}]*[{_TONED}aeiouv][a-z{_TONED}]*[)）]")
_CN_NUM = "一二三四五六七八九十"
# Leading numbering in all the forms seen: 一、 三,、 (一) （二） 1. 2、 (5) 其中: (punctuation sometimes doubled)
_ENUMERATOR = re.compile(
    rf"^(?:[{_CN_NUM}]+[、,.:，．]+|\(?[{_CN_NUM}]+\)[、,.]*|\(\d+\)[、,.]*|\d+[.、,．]+(?!\d)|其中[:：]*)"
)
# A bracketed note; a bracketed numeral inside a label (第二十条第（一）项) is not a note.
_PARENTHETICAL = re.compile(rf"\((?![{_CN_NUM}]+\))[^()]*\)")
_NOT_WORD = re.compile(r"[^0-9a-z\u3400-\u9fff]+")


def strip_pinyin(text: str) -> str:
    """Remove pinyin annotations after characters (務(wù) -> 務); everything else is kept."""
    return _PINYIN.sub("", text)


def half_width(text: str) -> str:
    """Full-width digits, letters, brackets, colons and spaces -> half-width (NFKC)."""
    plain, changing, forms = _plain_characters()
    if plain.fullmatch(text):  # the same as NFKC for these characters, and ten times faster on a long page
        return changing.sub(lambda match: forms[match.group()], text)
    return unicodedata.normalize("NFKC", text)


# Where the text of Chinese reports lives: ASCII, pinyin letters, general punctuation, CJK punctuation,
# ideographs, full-width forms. Each of these characters normalises on its own (none starts with a combining mark
# and none of these scripts joins neighbours), so NFKC of a text made only of them is NFKC of each in turn.
_PLAIN_RANGES = (
    (0x00, 0x7F),
    (0xA0, 0x17F),  # Latin-1 and Latin Extended-A: pinyin with tone marks (wù, kāi)
    (0x1CD, 0x1DC),  # ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ
    (0x2000, 0x206F),
    (0x2460, 0x24FF),  # ① ⑴ ⒈
    (0x25A0, 0x25FF),  # ■ □ ●
    (0x3000, 0x3029),  # 3030-302F are combining tone marks
    (0x3030, 0x303F),
    (0x3200, 0x32FF),  # ㈠ ㊀
    (0xFF01, 0xFF65),  # full-width ASCII, half-width CJK punctuation (not the half-width kana and hangul after it)
)
# The unified ideographs: NFKC leaves every one as it is (a test checks), so they need not be looked at one by one.
_IDEOGRAPH_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF))


@cache
def _plain_characters() -> tuple[re.Pattern, re.Pattern, dict[str, str]]:
    """A pattern for text made only of plain characters, one for the plain characters NFKC changes, and what
    each becomes. A character whose compatibility form starts with a combining mark is left to NFKC itself: it
    could join the character before it."""
    plain, forms = [], {}
    for first, last in _PLAIN_RANGES:
        for code in range(first, last + 1):
            character = chr(code)
            form = unicodedata.normalize("NFKC", character)
            if unicodedata.combining(unicodedata.normalize("NFKD", character)[0]):
                continue
            plain.append(character)
            if form != character:
                forms[character] = form
    ideographs = "".join(f"{chr(first)}-{chr(last)}" for first, last in _IDEOGRAPH_RANGES)
    return (
        re.compile(f"[{_character_class(plain)}{ideographs}]*"),
        re.compile(f"[{_character_class(list(forms))}]"),
        forms,
    )


def _character_class(characters: list[str]) -> str:
    """Characters as ranges of a regular-expression class (a-z), escaped."""
    codes, parts, start = sorted(map(ord, characters)), [], None
    for index, code in enumerate(codes):
        if start is None:
            start = code
        if index + 1 == len(codes) or codes[index + 1] != code + 1:
            parts.append(re.escape(chr(start)) + ("-" + re.escape(chr(code)) if code != start else ""))
            start = None
    return "".join(parts)


def to_traditional(text: str) -> str:
    return _opencc("s2t").convert(text)


class Normalizer:
    """Turns printed labels into matching keys; protected names survive script conversion."""

    def __init__(self, protected_names: tuple[str, ...] = ()):
        # Longest first, so that 乾安县人民政府 is protected before 乾安县.
        self.protected_names = tuple(sorted(set(protected_names), key=len, reverse=True))
        self._protected = re.compile("|".join(map(re.escape, self.protected_names))) if self.protected_names else None
        self.simplified = lru_cache(maxsize=65536)(self._simplified)
        self.key = lru_cache(maxsize=65536)(self._key)

    def _simplified(self, text: str) -> str:
        """Traditional -> Simplified, leaving protected names (乾安县) exactly as printed."""
        marks = _traditional_marks()
        if marks is not None and marks.isdisjoint(text):
            return text  # nothing OpenCC could change: most pages are Simplified, and its walk is slow
        t2s = _opencc("t2s")
        if self._protected is None:
            return t2s.convert(text)
        pieces, last = [], 0
        for match in self._protected.finditer(text):
            pieces.append(t2s.convert(text[last : match.start()]))
            pieces.append(match.group())
            last = match.end()
        pieces.append(t2s.convert(text[last:]))
        return "".join(pieces)

    def clean(self, text: str) -> str:
        """Printed text made comparable but still readable: half-width, no pinyin, Simplified."""
        return self.simplified(strip_pinyin(half_width(text)).strip())

    def _key(self, label: str) -> str:
        # spaces go first: 「答 覆」 converts to 答复 only as one word, and 「其 它」 is 其它
        text = self.clean(re.sub(r"\s+", "", label)).lower().replace("其它", "其他")
        text = _strip_enumerators(text)
        text = _strip_parentheticals(text)
        text = _NOT_WORD.sub("", text)
        text = _strip_enumerators(text)  # numbering that stood behind a quote or bracket
        return text[:-1] if text.endswith("数") and len(text) > 2 else text


@cache
def _traditional_marks() -> frozenset[str] | None:
    """Characters of which every Traditional->Simplified change needs at least one: a text holding none of
    them comes out of OpenCC unchanged. Taken from OpenCC's own dictionaries: each character it converts, and
    for the few phrases made only of characters it keeps (沈船), their first character."""
    t2s = _opencc("t2s")
    try:
        t2s.convert("")  # loads the dictionaries
        dictionaries = [entry[2] for group in t2s._dict_chain_data for entry in group]
    except (AttributeError, IndexError, TypeError):  # another opencc release: always convert, slower but right
        return None
    changing = [key for dictionary in dictionaries for key, value in dictionary.items() if key != value]
    marks = {key for key in changing if len(key) == 1}
    marks |= {key[0] for key in changing if marks.isdisjoint(key)}
    return frozenset(marks)


def _strip_enumerators(text: str) -> str:
    while True:
        stripped = _ENUMERATOR.sub("", text, count=1)
        if stripped == text:
            return text
        text = stripped


def _strip_parentheticals(text: str) -> str:
    while True:
        stripped = _PARENTHETICAL.sub("", text)
        if stripped == text:
            return text
        text = stripped


# 市市 collapses only for comparing: 嘉兴市市场监督管理局 and 嘉兴市场监督管理局 name the same agency (and
# 「乌兰察布市市商务局」 is a slip of the pen).
_DOUBLED_CITY = re.compile(r"市市+")
_SPACES = re.compile(r"\s+")


def agency_key(name: str | None, normalizer: Normalizer) -> str:
    """What two printings of one agency name have in common: script, widths, spaces, a doubled 市."""
    if not name:
        return ""
    text = normalizer.simplified(half_width(name))
    return _DOUBLED_CITY.sub("市", _SPACES.sub("", text))
