"""converter (xxgk): Chinese government information-disclosure annual reports into one schema.

    >>> from converter import read_report
    >>> report = read_report("samples/2023-baofeng-commerce-2021format-tabs.txt")
    >>> report.agency, report.year, report.format
    ('宝丰县商务局', 2023, '2021')
"""

from .errors import ConverterError, InputError, MappingError, OutputError
from .mapping import Mappings, load_mappings
from .model import Finding, Observation, Report, RuleCheck, SourceField
from .pipeline import read_report

__version__ = "0.1.0"

__all__ = [
    "ConverterError", "InputError", "MappingError", "OutputError", "Mappings", "load_mappings",
    "Finding", "Observation", "Report", "RuleCheck", "SourceField", "read_report", "__version__",
]
