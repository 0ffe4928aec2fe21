"""The tool's version and the name it signs its workbooks with; imports nothing of the package."""

__version__ = "0.1.0"
# Written as the author of every workbook and comment, and looked for when a folder is walked, so that
# the tool's own outputs are never read back as reports.
TOOL_NAME = "xxgk"
