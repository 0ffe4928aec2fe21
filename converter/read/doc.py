"""An old Word .doc (or a WPS .wps, an OpenDocument .odt) -> a .docx by LibreOffice -> lines and cells.

No pure-Python reader of the Word 97-2003 binary format reads tables with their merged cells,
so LibreOffice, when it is installed, converts the file in headless mode into a temporary
folder, and the .docx reader reads the result. The conversion is bounded in time: a file that
makes LibreOffice hang is an error after the limit, and the process is killed. Without
LibreOffice, the error says how to install it. The cells keep input kind "doc" (or "wps",
"odt"): what the archive holds, not the copy made to read it.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from dataclasses import replace
from pathlib import Path

from ..errors import InputError
from .common import Source

TIMEOUT_SECONDS = 120  # a long report converts in a few seconds; LibreOffice's first start takes longer
_NAMES = {
    "doc": "old Word document (.doc)",
    "wps": "old WPS or Works document (.wps)",
    "odt": "OpenDocument text (.odt)",
}
INSTALL_HINT = (
    "install LibreOffice to read it (Debian/Ubuntu: apt-get install libreoffice-writer-nogui; "
    "Windows/macOS: https://www.libreoffice.org), or open it in Word or WPS and save it as .docx"
)


# Where the LibreOffice installers put the program, for the usual case of a Windows or macOS
# install that did not add it to PATH.
_INSTALLED = (
    Path(os.environ.get("PROGRAMFILES", "C:/Program Files"), "LibreOffice/program/soffice.exe"),
    Path(os.environ.get("PROGRAMFILES(X86)", "C:/Program Files (x86)"), "LibreOffice/program/soffice.exe"),
    Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"),
)


def soffice() -> str | None:
    """The LibreOffice command: on PATH, or where its installer puts it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    return found or next((str(path) for path in _INSTALLED if path.is_file()), None)


def read_doc(data: bytes, kind: str = "doc") -> Source:
    """The paragraphs and table rows of the document, read from LibreOffice's .docx copy."""
    from .docx import read_docx

    command = soffice()
    if command is None:
        raise InputError(f"this is an {_NAMES[kind]}; {INSTALL_HINT}")  # every name starts with a vowel
    converted = convert_to_docx(command, data, kind)
    try:
        archive = zipfile.ZipFile(io.BytesIO(converted))
    except zipfile.BadZipFile:
        raise InputError(f"LibreOffice could not convert this {_NAMES[kind]} (is it damaged?)") from None
    with archive:
        source = read_docx(archive)
    source.kind = kind
    source.cells = [replace(cell, input_kind=kind) for cell in source.cells]
    return source


def convert_to_docx(command: str, data: bytes, kind: str) -> bytes:
    """The .docx LibreOffice makes of the file, in a temporary folder removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="xxgk-doc-") as folder:
        original = Path(folder, f"report.{kind}")
        original.write_bytes(data)
        # A profile of its own: a LibreOffice already open on the desktop would otherwise take the job
        # (and ignore --headless), and two conversions at once would share one locked profile.
        profile = Path(folder, "profile").as_uri()
        arguments = [command, f"-env:UserInstallation={profile}", "--headless", "--norestore"]
        arguments += ["--convert-to", "docx:MS Word 2007 XML", "--outdir", folder, str(original)]
        _run_bounded(arguments, kind)
        converted = Path(folder, "report.docx")
        if not converted.exists():
            raise InputError(f"LibreOffice could not convert this {_NAMES[kind]} (is it damaged?)")
        return converted.read_bytes()


def _run_bounded(arguments: list[str], kind: str) -> None:
    """Run LibreOffice in a process group of its own; past the limit, kill the whole group."""
    process = subprocess.Popen(
        arguments, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=os.name == "posix"
    )
    try:
        process.wait(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        _kill(process)
        raise InputError(
            f"LibreOffice did not finish converting this {_NAMES[kind]} within {TIMEOUT_SECONDS} s "
            "(a damaged file?); open it in Word or WPS and save it as .docx"
        ) from None


def _kill(process: subprocess.Popen) -> None:
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)  # soffice starts a child (soffice.bin): end both
        else:
            process.kill()
    except ProcessLookupError:
        pass
    process.wait()
