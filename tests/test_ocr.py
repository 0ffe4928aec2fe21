"""Scanned pages and pictures of tables, read by OCR: every value is exact or left missing with an
`ocr-uncertain` finding, never wrong; without the OCR extra, one line naming it.

The pages are made as a scanner would: a sample's PDF (tests/fixtures/documents.py) rendered to
pictures with pypdfium2, which draws its Chinese text with the CJK font the system has (.ci/run
installs fonts-wqy-zenhei), then saved as an image file or as a PDF of images only. OCR takes
about half a minute a page on one CPU, so by default one sample of each format is read; set
XXGK_OCR_ALL=1 to read every sample.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from converter import InputError, read_report
from converter.read import ocr

from .conftest import SAMPLES
from .fixtures.documents import document_for, scanned_pdf, to_pdf
from .test_sources_errors import cli_error
from .test_sources_formats import TEXT_SAMPLES

_FONTS = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts"]
HAS_CJK_FONT = any(
    font.suffix.lower() in (".ttc", ".ttf", ".otf")
    and any(word in font.name.lower() for word in ("wqy", "cjk", "droidsansfallback", "simsun", "simhei"))
    for folder in _FONTS
    if folder.is_dir()
    for font in folder.rglob("*")
)
needs_ocr = pytest.mark.skipif(
    not (ocr.available() and HAS_CJK_FONT),
    reason="the OCR tests need the extra (pip install '.[ocr]') and a CJK font (apt-get install fonts-wqy-zenhei)",
)
ONE_OF_EACH = [
    SAMPLES / "2017-jinxiang-commerce-legacy-table.txt",
    SAMPLES / "pingtan-series/2019-pingtan-2019format-constructed-from-published-values.txt",
    SAMPLES / "2023-baofeng-commerce-2021format-tabs.txt",
]
READ = TEXT_SAMPLES if os.environ.get("XXGK_OCR_ALL") else ONE_OF_EACH


def pictures(text: Path, mappings, resolution: int = 300):
    """The report, as the PDF fixture lays it out, rendered page by page at `resolution` dpi."""
    import pypdfium2

    original = read_report(text, mappings=mappings)
    document = pypdfium2.PdfDocument(to_pdf(document_for(original, mappings, text.read_text(encoding="utf-8"))))
    try:
        return original, [page.render(scale=resolution / 72).to_pil() for page in document]
    finally:
        document.close()


def image_only_pdf(images) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for image in images:
        canvas.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def none_wrong(report, original) -> int:
    """Every value OCR gave is the printed one (in the observations and in the numbers no 2021 cell takes);
    an unsure one is missing, with its finding. Returns how many values were read exactly."""
    exact = 0
    for id, observation in report.observations.items():
        truth = original.observations[id].value
        if observation.value is not None:
            assert observation.value == truth, (id, observation.value, truth, [s.raw for s in observation.sources])
            exact += observation.status == "reported"
    printed = {(u["key"], u["column"]): u["value"] for u in original.unmapped}
    for unmapped in (u for u in report.unmapped if u["value"] is not None and u["key"]):  # not strays
        assert unmapped["value"] == printed.get((unmapped["key"], unmapped["column"])), unmapped
        exact += 1
    for source in (s for o in report.observations.values() for s in o.sources if s.value is not None):
        assert source.input_kind == "ocr" and source.page >= 1
        assert source.confidence >= ocr.MIN_CONFIDENCE and len(source.box) == 4
    unsure = [
        s for o in report.observations.values() for s in o.sources if s.confidence is not None and s.value is None
    ]
    if unsure:  # a number OCR was not sure of: a value slot without a value, and a finding saying what was read
        assert any(f.code == "ocr-uncertain" for f in report.findings)
    return exact


@needs_ocr
@pytest.mark.parametrize("text", READ, ids=lambda p: p.stem[:40])
def test_image_only_pdf_reads_back_exact_or_uncertain(text, mappings, tmp_path):
    original, images = pictures(text, mappings)
    path = tmp_path / "scan.pdf"
    path.write_bytes(image_only_pdf(images))
    report = read_report(path, mappings=mappings)
    assert (report.input_kind, report.format, report.year) == ("ocr", original.format, original.year)
    assert none_wrong(report, original) > 0
    first = next(s for o in report.to_dict()["observations"] for s in o["sources"] if s["raw"])
    assert first["input_kind"] == "ocr" and {"page", "confidence", "box"} <= set(first)


@needs_ocr
def test_pictures_of_the_pages_are_read_whatever_the_name(mappings, tmp_path):
    """The pages of the 2021 tables saved as one multi-page TIFF named .jpg: the content decides."""
    original, images = pictures(ONE_OF_EACH[2], mappings)
    path = tmp_path / "pages.jpg"
    images[0].save(path, format="TIFF", save_all=True, append_images=images[1:], compression="tiff_deflate")
    report = read_report(path, mappings=mappings)
    assert report.input_kind == "ocr" and report.format == "2021" and report.encoding == "ocr of an image"
    assert none_wrong(report, original) > 0
    pages = {s.page for o in report.observations.values() for s in o.sources if s.raw}
    assert pages <= set(range(1, len(images) + 1)) and len(pages) > 1


@needs_ocr
def test_tables_pasted_as_pictures_into_a_word_file_are_read(mappings, tmp_path):
    """A .docx holding the title as text and the pages as pictures: the pictures are read by OCR."""
    from docx import Document
    from docx.shared import Inches

    original, images = pictures(ONE_OF_EACH[2], mappings)
    document = Document()
    document.add_paragraph(f"{original.agency}{original.year}年政府信息公开工作年度报告")
    for image in images:
        document.add_picture(io.BytesIO(png(image)), width=Inches(6))
    path = tmp_path / "report.docx"
    document.save(path)
    report = read_report(path, mappings=mappings)
    assert report.input_kind == "docx" and report.format == "2021"
    assert none_wrong(report, original) > 0
    assert {s.input_kind for o in report.observations.values() for s in o.sources if s.raw} == {"ocr"}


@needs_ocr
def test_a_degraded_picture_gives_findings_not_wrong_numbers(mappings, tmp_path):
    """Low resolution, blur and noise: what cannot be read surely is missing with a finding."""
    import numpy
    from PIL import Image, ImageFilter

    original, images = pictures(ONE_OF_EACH[1], mappings, resolution=150)  # 6.5-point table text: 13 pixels high
    noise = numpy.random.default_rng(7).normal(0, 15, size=(images[0].height, images[0].width, 1))
    degraded = []
    for image in images:
        blurred = numpy.asarray(image.filter(ImageFilter.GaussianBlur(0.6)), dtype=float)
        degraded.append(
            Image.fromarray(numpy.clip(blurred + noise[: image.height, : image.width], 0, 255).astype("uint8"))
        )
    path = tmp_path / "poor-scan.pdf"
    path.write_bytes(image_only_pdf(degraded))
    report = read_report(path, mappings=mappings)
    none_wrong(report, original)
    assert any(f.code == "ocr-uncertain" for f in report.findings)


@needs_ocr
def test_a_picture_without_text_is_one_line(tmp_path):
    from .fixtures.documents import png_image

    path = tmp_path / "scan.png"
    path.write_bytes(png_image())
    assert (
        cli_error(path)
        == f"Error: {path}: no text was recognised in the image (is it a picture of a report's page or table?)"
    )


@pytest.fixture
def without_ocr(monkeypatch):
    """The OCR extra hidden, as on a machine where it was not installed."""
    ocr.engine.cache_clear()
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    yield
    ocr.engine.cache_clear()


def test_without_the_extra_an_image_is_one_line_naming_it(without_ocr, tmp_path):
    from .fixtures.documents import png_image

    path = tmp_path / "scan.png"
    path.write_bytes(png_image())
    message = "reading scanned pages and images needs the OCR extra, which is not installed: pip install 'xxgk-converter[ocr]'"
    with pytest.raises(InputError, match="needs the OCR extra"):
        read_report(path)
    assert cli_error(path) == f"Error: {path}: {message}"


@pytest.mark.parametrize("kind", ["PNG", "JPEG", "GIF", "TIFF", "BMP", "WEBP"])
def test_every_kind_of_picture_is_told_from_its_content(without_ocr, tmp_path, kind):
    """A picture named neither .png nor .jpg is still a picture (WebP: what many sites now save)."""
    image = pytest.importorskip("PIL.Image")
    path = tmp_path / "attachment.dat"
    image.new("RGB", (40, 30), "white").save(path, format=kind)
    with pytest.raises(InputError, match="needs the OCR extra"):
        read_report(path)


def test_without_the_extra_a_scanned_pdf_is_one_line_naming_it(without_ocr, tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned_pdf(2))
    assert cli_error(path) == (
        f"Error: {path}: the PDF has no text layer (2 page(s) of scanned images?): it needs OCR (text recognition) "
        "before it can be read: pip install 'xxgk-converter[ocr]'"
    )


@pytest.mark.parametrize(
    "read, confidence, unsure",
    [
        ("12", 0.99, False),
        ("12", 0.40, True),  # low confidence
        ("1O", 0.99, True),  # a letter O among digits
        ("l2", 0.99, True),  # a letter l for 1
        ("o", 0.95, True),  # a lone letter where a number stands
        ("—", 0.50, False),  # a dash is no number: it is a no-value mark, whatever the confidence
        ("属于国家秘密", 0.60, False),  # a label is never a number
    ],
)
def test_which_readings_are_trusted(read, confidence, unsure):
    assert ocr._judged(ocr.Piece(read, confidence, (0, 0, 1, 1))).unsure is unsure


def test_lines_and_cells_by_position():
    """Boxes that overlap vertically are one line; a wide gap is a cell boundary."""
    boxes = [
        ocr.Box("行政许可", 0.99, 10, 100, 90, 120),
        ocr.Box("12", 0.99, 300, 102, 320, 121),
        ocr.Box("7", 0.99, 400, 99, 410, 119),
        ocr.Box("标题", 0.99, 10, 40, 60, 60),
    ]
    lines = ocr._lines(boxes)
    assert [[b.text for b in line] for line in lines] == [["标题"], ["行政许可", "12", "7"]]
    assert [p.text for p in ocr._line_pieces(lines[1])] == ["行政许可", "12", "7"]


@needs_ocr
def test_a_scanned_pdf_where_ocr_finds_no_text_is_one_line(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned_pdf(2))
    assert cli_error(path) == f"Error: {path}: the PDF has no text layer and OCR recognised no text on its 2 page(s)"


@pytest.mark.skipif(not ocr.available(), reason="the OCR extra is not installed (pip install '.[ocr]')")
def test_a_damaged_image_is_one_line(tmp_path):
    path = tmp_path / "scan.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert cli_error(path) == f"Error: {path}: the image is damaged and cannot be opened (UnidentifiedImageError)"


def test_without_the_extra_pictures_in_a_word_file_are_a_finding(without_ocr):
    from docx import Document
    from docx.shared import Inches

    from converter.read import read_source

    from .fixtures.documents import png_image

    document = Document()
    document.add_paragraph("某局2015年政府信息公开工作年度报告")
    document.add_picture(io.BytesIO(png_image()), width=Inches(4))
    buffer = io.BytesIO()
    document.save(buffer)
    [finding] = read_source(buffer.getvalue()).findings
    assert finding.code == "pictures-need-ocr" and "pip install 'xxgk-converter[ocr]'" in finding.message
