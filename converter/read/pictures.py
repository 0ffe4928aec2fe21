"""The pictures of a saved web page -> lines and cells by OCR, for a page whose text holds no table.

A page saved with its pictures ("网页，全部" / "Web page, complete") keeps them beside it: in `Name_files/`
(`Name.files/` when Word or a Chinese Internet Explorer saved it) or in the page's own folder, and its
`<img src>` names each by a path relative to the page. Only such files are opened, and only inside the
page's folder: a web address, an absolute path, a `..` or a link leading out of the folder is never
followed, nor is a file that is not a picture; what was passed over is one finding. A picture embedded
in the page (`data:image/...;base64,`) is read too. The pictures and their bytes are bounded
(read/limits.py). The OCR route is the one of pictures pasted into a Word file (ocr.read_pictures).
"""

from __future__ import annotations

import base64
import binascii
import os
import posixpath
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import InputError
from ..model import Finding
from .common import Source, is_picture
from .limits import PAGE_PICTURES, PAGE_PICTURES_SIZE, read_file

_MB = 1 << 20
_SHOWN = 5  # pictures passed over that the finding names; the rest are counted


class _PassedOver(Exception):
    """A picture that is not followed, and why (the finding's words)."""


def add_page_pictures(source: Source, folder: Path) -> None:
    """The page's pictures read by OCR after its text, in document order, each its own page, named in the
    provenance. Without the OCR extra, a page with pictures to read is the one-line error naming it."""
    from .ocr import read_pictures

    found, passed_over = _follow_all(source.pictures, folder)
    if found:
        read_pictures(source, found)
    if passed_over:
        shown = "; ".join(f"{_shown(src)} ({why})" for src, why in passed_over[:_SHOWN])
        more = f" and {len(passed_over) - _SHOWN} more" if len(passed_over) > _SHOWN else ""
        source.findings.append(
            Finding(
                "page-pictures-not-read",
                f"{len(passed_over)} picture(s) of the page were not read: {shown}{more}",
            )
        )


def _follow_all(sources: list[str], folder: Path) -> tuple[list[tuple[str, bytes]], list[tuple[str, str]]]:
    """(name, bytes) of each picture to read, once each, and (src, why) of each passed over."""
    top = os.path.realpath(folder)
    found: list[tuple[str, bytes]] = []
    passed_over: list[tuple[str, str]] = []
    seen: set[str] = set()
    total = 0
    for src in sources:
        try:
            name, key, size, load = _locate(src, top)
        except _PassedOver as why:
            passed_over.append((src, str(why)))
            continue
        if key in seen:  # a picture shown twice is read once
            continue
        seen.add(key)
        if len(found) >= PAGE_PICTURES.value():
            raise PAGE_PICTURES.refuse(f"the page shows more than {len(found)} pictures")
        total += size
        if total > PAGE_PICTURES_SIZE.value():
            raise PAGE_PICTURES_SIZE.refuse(f"the page's pictures have more than {total // _MB} MB")
        try:
            found.append((name, load()))
        except _PassedOver as why:
            passed_over.append((src, str(why)))
    return found, passed_over


def _locate(src: str, top: str):
    """(name, identity, size, loader) of the picture a src names, or _PassedOver saying why it is not followed."""
    if src[:5].lower() == "data:":
        return _embedded(src)
    try:
        parts = urlsplit(src.replace("\\", "/"))
    except ValueError:  # a broken address ("http://[::1")
        raise _PassedOver("a web address: only pictures saved with the page are read") from None
    if len(parts.scheme) > 1 or parts.netloc:  # one letter is a Windows drive (C:/…)
        raise _PassedOver("a web address: only pictures saved with the page are read")
    if not parts.path or parts.path.startswith("/") or parts.scheme:
        raise _PassedOver("an absolute path: only pictures saved with the page are read")
    for relative in dict.fromkeys((unquote(parts.path), parts.path)):  # %-escaped names, or a name holding '%'
        try:
            target = os.path.realpath(os.path.join(top, relative))  # links resolved: where the bytes really are
        except (OSError, ValueError):  # a name the system refuses (NUL, too long)
            continue
        if os.path.commonpath([top, target]) != top:
            raise _PassedOver("outside the page's folder")
        try:
            size = os.stat(target).st_size
        except (OSError, ValueError):
            continue
        return posixpath.normpath(relative), target, size, partial(_picture, Path(target))
    raise _PassedOver("no such file next to the page")


def _picture(path: Path) -> bytes:
    try:
        data = read_file(path)  # only a regular file, within the size limit of a report file
    except InputError as exc:
        raise _PassedOver(str(exc)) from None
    if not is_picture(data):
        raise _PassedOver("not a picture (PNG, JPEG, GIF, TIFF or BMP)")
    return data


def _embedded(src: str):
    """A picture written into the page as a data: URI (base64)."""
    header, _, payload = src[5:].partition(",")
    if not header.lower().startswith("image/") or not header.lower().endswith(";base64"):
        raise _PassedOver("a data: URI that is not a base64 picture")
    size = len(payload) * 3 // 4

    def load() -> bytes:
        try:
            data = base64.b64decode("".join(payload.split()), validate=True)
        except (binascii.Error, ValueError):
            raise _PassedOver("a damaged data: URI") from None
        if not is_picture(data):
            raise _PassedOver("not a picture (PNG, JPEG, GIF, TIFF or BMP)")
        return data

    return f"data:{header.split(';')[0]} (in the page)", src, size, load


def _shown(src: str) -> str:
    """A src as the finding shows it: a data: URI by its kind, a long one cut."""
    if src[:5].lower() == "data:":
        return src.split(",")[0]
    return src if len(src) <= 80 else src[:77] + "…"
