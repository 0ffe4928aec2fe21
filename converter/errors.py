"""The few exceptions that stop a run.

Problems *in* a report (a failed sum rule, an unknown label) are findings, collected in the
Report; exceptions are only for a run that cannot go on. The CLI catches ConverterError and
prints its message as one line.
"""


class ConverterError(Exception):
    """Base class: the run cannot go on; the message is a plain sentence for the user."""


class InputError(ConverterError, ValueError):
    """The input file cannot be read as a report (empty, binary, unknown encoding, no table)."""


class MappingError(ConverterError, ValueError):
    """The mapping tables are broken; the message lists every problem with file:line."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__(
            f"the mapping tables have {len(problems)} problem(s):\n" + "\n".join(f"  {p}" for p in problems)
        )


class OutputError(ConverterError, OSError):
    """An output file cannot be written."""
