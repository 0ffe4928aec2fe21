"""Start-up stays light (issue #16: one file from the command line in < 0.2 s). Importing the library or
starting the command loads none of the heavy libraries; reading one text report loads none of those of the
writers or of the other readers; OpenCC builds its dictionaries on first need. Each check runs in a fresh
interpreter, since this test process has imported everything. What is imported is asserted, never a time
(benchmarks/bench.py startup measures that).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SAMPLES

ROOT = Path(__file__).resolve().parent.parent
TEXT_SAMPLE = SAMPLES / "2023-baofeng-commerce-2021format-tabs.txt"
PAGE_SAMPLE = SAMPLES / "2019-shanghai-gov-office-2019format-saved-page.html"

WRITERS = ("openpyxl", "pandas", "pyarrow", "numpy", "pypinyin")  # the workbooks, the long table, the series
READERS = ("lxml", "pdfplumber", "pdfminer", "docx", "python_calamine", "PIL", "cv2", "onnxruntime")  # not text
OCR = ("rapidocr_onnxruntime",)
PARALLEL = ("multiprocessing",)  # only a run with --jobs
HEAVY = WRITERS + READERS + OCR + PARALLEL


def loaded_after(code: str) -> dict:
    """Run `code` in a fresh interpreter; the heavy modules it left loaded, and how many OpenCC conversions
    were built."""
    report = (
        "import json, sys\n"
        f"heavy = sorted(m for m in {HEAVY!r} if m in sys.modules)\n"
        "opencc = sys.modules['converter.normalize']._opencc.cache_info().currsize "
        "if 'converter.normalize' in sys.modules else 0\n"
        "print('\\n' + json.dumps({'heavy': heavy, 'opencc': opencc}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code + "\n" + report], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def command(*args: str) -> str:
    """The command run in-process as `xxgk` would run it (its exit caught, so that the check can follow)."""
    return f"import sys\nsys.argv = ['xxgk', *{list(args)!r}]\nfrom converter.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass"


@pytest.mark.parametrize(
    "code",
    [
        "import converter",
        "import converter.cli",
        "from converter import read_report, load_mappings, Report, InputError",
        command("--help"),
        command("inspect", "--help"),
    ],
)
def test_importing_and_starting_load_no_heavy_library(code):
    found = loaded_after(code)
    assert found == {"heavy": [], "opencc": 0}


def test_inspecting_a_text_report_loads_no_writer_and_no_other_reader():
    found = loaded_after(command("inspect", str(TEXT_SAMPLE)))
    assert found["heavy"] == []
    assert found["opencc"] >= 1  # it did read the report: labels were made Simplified


def test_reading_a_web_page_loads_lxml_but_no_writer():
    found = loaded_after(f"from converter import read_report\nread_report({str(PAGE_SAMPLE)!r})")
    assert found["heavy"] == ["lxml"]


def test_the_public_names_are_there_when_asked_for():
    """The library's face is filled in on first use; every name of __all__ is there, and an unknown
    name is still an AttributeError."""
    import converter

    for name in converter.__all__:
        assert getattr(converter, name) is not None, name
    assert set(converter.__all__) <= set(dir(converter))
    with pytest.raises(AttributeError, match="no attribute 'read_reports'"):
        converter.read_reports  # noqa: B018
