"""The guard around the console script: however the run ends, no traceback reaches the user.

A full disk or /dev/full on standard output is one line on standard error; a closed pipe (`| head`)
ends the run quietly; SIGTERM and SIGHUP stop it as Ctrl-C does, so that a workbook being written
is removed rather than left half-done. Knows nothing of click: the command is a function.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
from collections.abc import Callable
from typing import NoReturn

from .write.outputs import printable


def run_guarded(command: Callable[[], object]) -> NoReturn:
    """Run the command, flush standard output, exit with the command's code (1 if output failed)."""
    _stop_cleanly_on_signals()
    try:
        command()
        code = 0
    except SystemExit as exit_:
        code = _exit_code(exit_.code)
    except OSError as exc:  # writing to standard output failed in the middle of the run
        code = _output_failed(exc)
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except OSError as exc:
        code = _output_failed(exc)
    sys.exit(code)


def _exit_code(code) -> int:
    if code is None or isinstance(code, int):
        return code or 0
    _say(str(code))
    return 1


def _stop_cleanly_on_signals() -> None:
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _stop)


def _stop(signum, frame) -> None:
    raise SystemExit(128 + signum)


def _output_failed(exc: OSError) -> int:
    """Say once, on standard error, that standard output could not be written."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # the interpreter's own flush at exit now succeeds
    except (OSError, AttributeError, ValueError):
        pass
    if exc.errno != errno.EPIPE:  # a closed pipe (| head) is the reader's choice, not an error to show
        _say(f"Error: standard output cannot be written ({exc.strerror})")
    return 1


def _say(line: str) -> None:
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except (OSError, AttributeError, ValueError):  # standard error is gone too: the exit code tells
        pass


def say(text: str, *, err: bool = False) -> None:
    """One message on standard output (or error), without control characters (an ESC in a report's text
    must not reach the terminal). Standard error that cannot be written does not stop the run."""
    stream = sys.stderr if err else sys.stdout
    try:
        stream.write(printable(text) + "\n")
        stream.flush()
    except OSError:
        if not err:
            raise  # run_guarded says that standard output failed, once
    except UnicodeEncodeError:  # a terminal that cannot show Chinese: the message, escaped
        stream.write(printable(text).encode(stream.encoding or "ascii", "backslashreplace").decode() + "\n")
