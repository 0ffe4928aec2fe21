"""Scanned pages and pictures of tables -> lines and cells, by OCR (text recognition), offline.

Recognition is done by rapidocr-onnxruntime (an optional extra, `pip install 'xxgk-converter[ocr]'`):
its wheel ships the Chinese PP-OCR detection and recognition models and runs them on the CPU,
so nothing is downloaded at run time. It gives text boxes; this module makes them into the cell
stream every reader gives:

* a table with ruling lines: the lines are found in the image (OpenCV, installed with the extra),
  each enclosed area is a cell, the boxes inside a cell are its text (wrapped lines joined), and
  cells whose tops align form a row; a merged cell appears once, in the row where it starts;
* text outside ruled tables: boxes that overlap vertically form a line, and a wide gap between
  two boxes of a line is a cell boundary (a table printed without lines).

Every cell read carries input kind "ocr", its page, its box and the recognition confidence. A
number is a value only when OCR is sure of it: one read with a low confidence, with characters OCR
confuses with digits (O for 0, l or I for 1, ...), or a ruled cell with ink where nothing was
recognised is a value slot without a value (missing, never a guess) and an `ocr-uncertain` finding
saying what was read.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

from ..errors import InputError
from ..model import Finding
from .cells import row_cells
from .common import MARGIN as _MARGIN
from .common import PAGE_NUMBER as _PAGE_NUMBER
from .common import Source, tidy
from .values import parse_token

EXTRA = "pip install 'xxgk-converter[ocr]'"
# Below it a number is not trusted. On clean 300-dpi pages the recogniser scores right digits from
# about 0.5 (a lone 0, which it cannot tell from the letter O) to 1.0; a misread in a poor scan
# scores low. 0.8 gives up some right zeros to keep every wrong digit out.
MIN_CONFIDENCE = 0.8
SCALE_TO_WIDTH = 2400  # pictures narrower than this are enlarged first: small print is read better
MAX_SIDE = 5000  # and larger ones reduced to this on their long side (a 300-dpi A3 page fits)
# Characters OCR gives for digits in a poor scan: a token of digits and these is a misread number.
_CONFUSABLE = re.compile(r"^(?=.*\d)[\dOoDQlIi|!SsBZzGgqb.,，。'`]+$")
_LIKE_A_DIGIT = re.compile(r"^[OoDQlI|]{1,3}$")  # a cell holding only "o" or "l": a digit misread
_GAP = 1.2  # a gap wider than this many text heights between two boxes of a line is a cell boundary
_STAND_IN = "0"  # a value piece stands for an unsure number while the row is cut into cells


@dataclass(frozen=True)
class Box:
    text: str
    confidence: float
    left: int
    top: int
    right: int
    bottom: int

    @property
    def bounds(self) -> tuple[int, int, int, int]:
        return (self.left, self.top, self.right, self.bottom)


@dataclass
class Piece:
    """What OCR read in one cell: its text, how sure, where; `unsure` when a number is not trusted."""

    text: str
    confidence: float | None = None
    bounds: tuple[int, int, int, int] | None = None
    unsure: bool = False


def read_image(data: bytes) -> Source:
    """An image file (PNG, JPEG, TIFF, BMP, GIF; every frame of a multi-page TIFF) read by OCR."""
    from PIL import Image, ImageSequence, UnidentifiedImageError
    from PIL.Image import DecompressionBombError

    engine()  # the error naming the extra comes before any other
    try:
        picture = Image.open(io.BytesIO(data))
        frames = [frame.convert("RGB") for frame in ImageSequence.Iterator(picture)]
    except DecompressionBombError:
        raise InputError("the image is too large to be a page (over 178 million pixels); scale it down") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise InputError(f"the image is damaged and cannot be opened ({type(exc).__name__})") from None
    source = Source("ocr", "ocr of an image")
    for page, frame in enumerate(frames, start=1):
        read_picture(source, frame, page)
    if not source.cells:
        raise InputError("no text was recognised in the image (is it a picture of a report's page or table?)")
    return source


@lru_cache(maxsize=1)
def engine():
    """The OCR engine, loaded once per process; a one-line error naming the extra when it is missing."""
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        raise InputError(
            f"reading scanned pages and images needs the OCR extra, which is not installed: {EXTRA}"
        ) from None
    return RapidOCR()


def available() -> bool:
    try:
        engine()
    except InputError:
        return False
    return True


def read_picture(source: Source, picture, page: int, name: str | None = None) -> bool:
    """Add the lines and cells OCR finds in one page image (`name`: the picture's name in the report, if
    it has one); False when it finds no text."""
    import numpy

    width = picture.width
    image = numpy.asarray(_sized(picture.convert("RGB")))
    scale = width / image.shape[1]  # boxes are given in the pixels of the picture as it came
    found, _ = engine()(image, use_cls=False)  # pages are upright: the angle classifier only costs time
    boxes = [_box(points, text, score) for points, text, score in (found or []) if text.strip()]
    if not boxes:
        return False
    cells = _ruled_cells(image)
    inside: dict[int, list[Box]] = {}
    free = []
    for box in boxes:
        index = _cell_of(box, cells)
        (inside.setdefault(index, []) if index is not None else free).append(box)
    for index, cell in enumerate(cells):
        if index not in inside and (box := _reread(image, cell)) is not None:
            inside[index] = [box]
    items = [(top, 0, "row", row) for top, row in _table_rows(cells, inside, image)]
    height = image.shape[0]
    items += [(line[0].top, 1, "line", _line_pieces(line)) for line in _lines(free) if not _page_number(line, height)]
    for _, _, _, pieces in sorted(items, key=lambda item: (item[0], item[1])):
        _add(source, pieces, page, scale, name)
    return True


def _sized(picture):
    """Small pictures enlarged (small print is read better), huge ones reduced (time and memory)."""
    factor = max(SCALE_TO_WIDTH / picture.width, 1.0)
    factor = min(factor, MAX_SIDE / max(picture.width, picture.height))
    if factor == 1.0:
        return picture
    return picture.resize((round(picture.width * factor), round(picture.height * factor)))


def _box(points, text: str, score) -> Box:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    text = unicodedata.normalize("NFKC", text).strip() if text.strip().isascii() else text.strip()
    return Box(text, float(score), int(min(xs)), int(min(ys)), int(max(xs)), int(max(ys)))


# --- ruled tables ---------------------------------------------------------------------------


def _ruled_cells(image) -> list[tuple[int, int, int, int]]:
    """The areas enclosed by ruling lines (left, top, right, bottom), found with OpenCV."""
    import cv2

    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    ink = cv2.adaptiveThreshold(255 - gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 15, -2)
    height, width = ink.shape
    across = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(width // 40, 20), 1)))
    down = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(height // 80, 20))))
    rules = cv2.dilate(across | down, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    count, _, stats, _ = cv2.connectedComponentsWithStats(255 - rules, connectivity=4)
    cells = []
    for left, top, w, h, _ in stats[1:count]:
        touches_edge = left == 0 or top == 0 or left + w >= width or top + h >= height
        if not touches_edge and w >= 12 and h >= 12 and w * h < width * height // 2:
            cells.append((int(left), int(top), int(left + w), int(top + h)))
    return cells


def _cell_of(box: Box, cells) -> int | None:
    x, y = (box.left + box.right) / 2, (box.top + box.bottom) / 2
    for index, (left, top, right, bottom) in enumerate(cells):
        if left <= x <= right and top <= y <= bottom:
            return index
    return None


def _table_rows(cells, inside: dict[int, list[Box]], image):
    """(top, pieces) of each row of ruled cells: cells whose tops align, left to right."""
    tolerance = 6
    by_top = sorted(range(len(cells)), key=lambda i: (cells[i][1], cells[i][0]))
    rows: list[list[int]] = []
    for index in by_top:
        if rows and abs(cells[index][1] - cells[rows[-1][0]][1]) <= tolerance:
            rows[-1].append(index)
        else:
            rows.append([index])
    for row in rows:
        ordered = sorted(row, key=lambda i: cells[i][0])
        pieces = [_cell_piece(inside.get(i, []), cells[i], image) for i in ordered]
        if any(p.text or p.unsure for p in pieces):
            yield cells[ordered[0]][1], pieces


def _cell_piece(boxes: list[Box], cell, image) -> Piece:
    if not boxes:
        if _has_ink(image, cell):  # something is written there, and OCR could not read it
            return Piece("", bounds=cell, unsure=True, confidence=0.0)
        return Piece("")
    lines = _lines(boxes)
    text = tidy("\n".join("".join(b.text for b in line) for line in lines), wrapped=True)
    confidence = min(b.confidence for b in boxes)
    bounds = (min(b.left for b in boxes), min(b.top for b in boxes), max(b.right for b in boxes))
    bounds += (max(b.bottom for b in boxes),)
    return _judged(Piece(text, confidence, bounds))


def _has_ink(image, cell) -> bool:
    return _ink(image, cell) is not None


def _ink(image, cell):
    """The inked part of a cell's inside (left, top, right, bottom), or None for an empty cell."""
    import numpy

    left, top, right, bottom = cell
    inner = image[top + 4 : bottom - 4, left + 4 : right - 4]
    if inner.size == 0:
        return None
    ys, xs = numpy.nonzero(inner.min(axis=2) < 128)
    if len(xs) < 12:
        return None
    return (left + 4 + int(xs.min()), top + 4 + int(ys.min()), left + 5 + int(xs.max()), top + 5 + int(ys.max()))


def _reread(image, cell) -> Box | None:
    """A cell with ink where the page's text detection found nothing (often a lone digit): the
    recogniser alone, on the inked part with a white margin, says what it holds."""
    import numpy

    ink = _ink(image, cell)
    if ink is None:
        return None
    left, top, right, bottom = ink
    margin = 8
    crop = numpy.full((bottom - top + 2 * margin, right - left + 2 * margin, 3), 255, dtype=numpy.uint8)
    crop[margin:-margin, margin:-margin] = image[top:bottom, left:right]
    found, _ = engine()(crop, use_det=False, use_cls=False)
    if not found or not found[0][0].strip():
        return None
    text, score = found[0][0], found[0][1]
    return Box(unicodedata.normalize("NFKC", text).strip(), float(score), left, top, right, bottom)


# --- text outside ruled tables --------------------------------------------------------------


def _lines(boxes: list[Box]) -> list[list[Box]]:
    """Boxes grouped into lines: a box joins a line it overlaps vertically by half its height."""
    lines: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: (b.top, b.left)):
        for line in lines:
            top, bottom = min(b.top for b in line), max(b.bottom for b in line)
            overlap = min(bottom, box.bottom) - max(top, box.top)
            if overlap >= 0.5 * min(box.bottom - box.top, bottom - top):
                line.append(box)
                break
        else:
            lines.append([box])
    return [sorted(line, key=lambda b: b.left) for line in lines]


def _page_number(line: list[Box], height: int) -> bool:
    """A page number in the top or bottom margin ("- 2 -"), as the PDF reader drops it."""
    in_margin = line[-1].bottom < height * _MARGIN or line[0].top > height * (1 - _MARGIN)
    return in_margin and _PAGE_NUMBER.match(" ".join(b.text for b in line)) is not None


def _line_pieces(line: list[Box]) -> list[Piece]:
    """A line's boxes, cut into cells where the gap between two boxes is wide."""
    height = sorted(b.bottom - b.top for b in line)[len(line) // 2]
    groups: list[list[Box]] = [[line[0]]]
    for before, box in zip(line, line[1:]):
        if box.left - before.right > _GAP * height:
            groups.append([box])
        else:
            groups[-1].append(box)
    pieces = []
    for group in groups:
        text = " ".join(b.text for b in group) if len(group) > 1 else group[0].text
        bounds = (group[0].left, min(b.top for b in group), group[-1].right, max(b.bottom for b in group))
        pieces.append(_judged(Piece(tidy(text), min(b.confidence for b in group), bounds)))
    return pieces


# --- trusted or not -------------------------------------------------------------------------


def _judged(piece: Piece) -> Piece:
    """A number OCR is not sure of, or one holding characters it confuses with digits, is unsure."""
    compact = piece.text.replace(" ", "")
    token = parse_token(compact)
    if token is not None and token.value is not None:
        piece.unsure = piece.confidence is not None and piece.confidence < MIN_CONFIDENCE
    elif token is None and (_CONFUSABLE.match(compact) or _LIKE_A_DIGIT.match(compact)):
        piece.unsure = True
    return piece


def _add(source: Source, pieces: list[Piece], page: int, scale: float, name: str | None) -> None:
    """One line of pieces into the source: each cell with its page, box, confidence and picture's name."""
    source.lines.append("\t".join(p.text for p in pieces))
    number = len(source.lines)
    texts = [_STAND_IN if p.unsure else p.text for p in pieces]
    cells = row_cells(texts, number, input_kind="ocr", page=page)
    filled = iter(
        (piece, cell)
        for piece in pieces
        if piece.text or piece.unsure
        for cell in row_cells([_STAND_IN if piece.unsure else piece.text], number)
        if cell.kind in ("label", "value")
    )
    for index, cell in enumerate(cells):
        if cell.kind not in ("label", "value"):
            continue
        piece, _ = next(filled)
        box = tuple(round(v * scale) for v in piece.bounds) if piece.bounds else None
        cells[index] = replace(cell, confidence=round(piece.confidence or 0.0, 3), box=box, image=name)
        if piece.unsure:
            cells[index] = replace(cells[index], text=piece.text, value=None, unit="")
            source.findings.append(_uncertain(piece, page, number, box))
    source.cells += cells


def _uncertain(piece: Piece, page: int, line: int, box) -> Finding:
    read = f"read as 「{piece.text}」" if piece.text else "not readable"
    confidence = f"confidence {piece.confidence:.2f}" if piece.confidence else "no text recognised"
    return Finding(
        "ocr-uncertain",
        f"page {page}, line {line}: a number is {read} ({confidence}, box {box}): OCR is not sure of it, "
        "so it is left missing — check it in the original",
        line=line,
    )


_PICTURE_FILES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp")


def add_embedded_pictures(source: Source, archive, folder: str = "word/media/") -> None:
    """A Word file whose tables were pasted as pictures: when its text holds no table row, the
    pictures are read by OCR after the text, in their order (image1, image2, ... image10), each
    picture a page. Without the extra, a finding says that the pictures were not read."""
    names = [n for n in archive.namelist() if n.startswith(folder) and n.lower().endswith(_PICTURE_FILES)]
    if not names or any("\t" in line for line in source.lines):  # tables in the text: pictures are decoration
        return
    if not available():
        source.findings.append(
            Finding(
                "pictures-need-ocr",
                f"the document's text holds no table, and it has {len(names)} picture(s): if the tables are "
                f"pictures, they need OCR ({EXTRA})",
            )
        )
        return
    in_order = sorted(names, key=lambda n: [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", n)])
    read_pictures(source, ((name, archive.read(name)) for name in in_order))


# A picture with fewer pixels than this, or a side shorter than _THIN, is a spacer, bullet or icon: no table fits.
_DECORATION = 100 * 100
_THIN = 16


def read_pictures(source: Source, pictures) -> None:
    """Pictures a document holds, (name, bytes) in its order, read by OCR after its text: each picture a
    page, named in the provenance. One PIL cannot open (EMF, WMF) and a decoration are passed over."""
    from PIL import Image
    from PIL.Image import DecompressionBombError

    engine()  # without the extra: the error naming it, before any picture is opened
    for page, (name, data) in enumerate(pictures, start=1):
        try:
            picture = Image.open(io.BytesIO(data))
            if picture.width * picture.height < _DECORATION or min(picture.size) < _THIN:
                continue
            picture = picture.convert("RGB")
        except (OSError, ValueError, SyntaxError, DecompressionBombError):  # not a picture OCR can take
            continue
        read_picture(source, picture, page, name)


def ocr_pdf_page(source: Source, data: bytes, number: int, resolution: int = 300) -> bool:
    """Render one PDF page (pypdfium2, installed with pdfplumber) and read it by OCR.

    300 dpi is what scanners save; a page larger than A3 is rendered smaller, to at most 5000
    pixels on its long side, so that a poster-sized page does not take gigabytes."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        page = document[number - 1]
        scale = min(resolution / 72, MAX_SIDE / max(page.get_size()))
        picture = page.render(scale=scale).to_pil()
    finally:
        document.close()
    return read_picture(source, picture, number)
