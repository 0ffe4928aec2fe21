"""The same tables in any layout, script or encoding give the same observations."""

import pytest
from opencc import OpenCC

from converter import read_report

from .conftest import SAMPLES
from .relayout import render, traditional_with_pinyin
from .seeds import CURRENT_SEEDS

LAYOUTS = ("cell-per-line", "blank-lines", "pipes", "tabs", "spaces")


def _values(report):
    return {i: (o.value, o.status) for i, o in report.observations.items()}


@pytest.fixture(scope="module", params=sorted(CURRENT_SEEDS))
def original(request, mappings):
    return read_report(SAMPLES / request.param, mappings=mappings)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_layouts(original, mappings, layout, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(render(original, mappings, layout), encoding="utf-8")
    relaid = read_report(path, mappings=mappings)
    assert _values(relaid) == _values(original)
    assert (relaid.agency, relaid.year, relaid.format) == (original.agency, original.year, "2021")
    assert not [f for f in relaid.findings if f.code != "mojibake"]


@pytest.mark.parametrize(
    "script, encoding",
    [
        ("simplified", "gb18030"),
        ("simplified", "utf-16"),
        ("simplified", "utf-8-sig"),
        ("traditional-pinyin", "utf-8"),
        ("traditional", "big5"),
        ("traditional-pinyin", "gb18030"),
    ],
)
def test_scripts_and_encodings(original, mappings, script, encoding, tmp_path):
    text = render(original, mappings, "pipes")
    if script == "traditional-pinyin":
        text = traditional_with_pinyin(text)
    elif script == "traditional":  # Taiwan forms (為, not 爲) as Big5 pages have them; no pinyin in Big5
        text = OpenCC("s2tw").convert(text)
    path = tmp_path / "report.txt"
    path.write_bytes(text.encode(encoding))
    relaid = read_report(path, mappings=mappings)
    assert _values(relaid) == _values(original)
    assert relaid.year == original.year
    assert relaid.encoding.split(" ")[0] == {"utf-8-sig": "utf-8"}.get(encoding, encoding)
