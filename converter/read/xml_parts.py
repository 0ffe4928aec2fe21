"""The XML parts of Word and Excel files, and web pages, parsed within the limits (limits.py): no DOCTYPE,
no entities, no network, the nesting depth checked. Here rather than in limits.py because it needs lxml,
which only the readers of those files load."""

from __future__ import annotations

import io
import zipfile
import zlib

from lxml import etree

from .limits import XML_DEPTH, refuse_doctype

# What reading and parsing one part of a damaged Word or Excel archive can raise (a truncated member, a bad
# checksum, broken XML); each reader turns it into its own one-line sentence.
DAMAGED_PART = (
    etree.XMLSyntaxError,
    zipfile.BadZipFile,
    OSError,
    EOFError,
    zlib.error,
    ValueError,
    NotImplementedError,
)


def parse_xml(data: bytes, part: str):
    """An XML part parsed without entities or network, its nesting depth checked as it is read."""
    refuse_doctype(data, part)
    limit, depth = XML_DEPTH.value(), 0
    events = etree.iterparse(
        io.BytesIO(data), events=("start", "end"), resolve_entities=False, no_network=True, huge_tree=True
    )
    for event, _ in events:
        depth += 1 if event == "start" else -1
        if depth > limit:
            raise XML_DEPTH.refuse(f"part {part} is nested more than {limit} levels deep")
    return events.root


def check_depth(root, part: str) -> None:
    """A parsed tree's nesting within the depth limit (the readers walk it recursively)."""
    limit, depth = XML_DEPTH.value(), 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > limit:
            raise XML_DEPTH.refuse(f"{part} is nested more than {limit} levels deep")
