"""OPML, the file feed readers trade subscription lists in: read safely, written escaped. Pure.

Reading goes through defusedxml (no entity expansion bombs, no external entities); writing
through ElementTree, which escapes every attribute value.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

MAX_OPML_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Outline:
    url: str
    title: str | None = None


class OpmlError(Exception):
    """The file is not OPML we can read; the message is one line for the admin."""


def read_opml(data: bytes) -> list[Outline]:
    """Every feed address in the file (outlines nested in folders too), each once, in order."""
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError("larger than 5 MB")
    try:
        root = SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise OpmlError(f"refused: {exc.__class__.__name__}") from exc
    except ET.ParseError as exc:
        raise OpmlError(f"not well-formed XML ({exc})") from exc
    if root.tag.lower() != "opml":
        raise OpmlError("not an OPML file (its root element is not <opml>)")
    found: dict[str, Outline] = {}
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url and url not in found:
            title = outline.get("title") or outline.get("text")
            found[url] = Outline(url, title.strip() if title and title.strip() else None)
    return list(found.values())


def write_opml(outlines: list[Outline], *, title: str, now: datetime) -> bytes:
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = now.strftime("%a, %d %b %Y %H:%M:%S GMT")
    body = ET.SubElement(root, "body")
    for outline in outlines:
        name = outline.title or outline.url
        ET.SubElement(body, "outline", type="rss", text=name, title=name, xmlUrl=outline.url)
    ET.indent(root)
    written: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return written + b"\n"
