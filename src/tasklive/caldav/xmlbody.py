"""WebDAV XML bodies with the standard library: reading requests, writing multistatus answers."""

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote

from tasklive.errors import InvalidInputError, PermissionDeniedError

DAV = "DAV:"
CALDAV = "urn:ietf:params:xml:ns:caldav"
CS = "http://calendarserver.org/ns/"
ICAL = "http://apple.com/ns/ical/"
for _prefix, _uri in (("d", DAV), ("cal", CALDAV), ("cs", CS), ("ical", ICAL)):
    ET.register_namespace(_prefix, _uri)

STATUS_TEXT = {
    200: "OK",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    424: "Failed Dependency",
    507: "Insufficient Storage",
}


def tag(namespace: str, name: str) -> str:
    """An element name in ElementTree's {namespace}name form."""
    return f"{{{namespace}}}{name}"


class BadXmlError(InvalidInputError, status=400, code="bad_xml"):
    """A request body that is not well-formed XML (or declares entities)."""


class DavPreconditionError(PermissionDeniedError, code="precondition"):
    """A WebDAV/CalDAV precondition that failed; answered with a DAV:error body naming it."""

    def __init__(self, message: str, namespace: str, condition: str) -> None:
        super().__init__(message)
        self.condition = (namespace, condition)


def parse(body: bytes) -> ET.Element | None:
    """The request body's root element; None for an empty body."""
    if not body.strip():
        return None
    # No DTDs: entity declarations are how XML bombs are made.
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        raise BadXmlError("The request body must not declare a DTD or entities.")
    try:
        return ET.fromstring(body)
    except ET.ParseError as exc:
        raise BadXmlError("The request body is not well-formed XML.") from exc


def requested_props(root: ET.Element | None) -> list[str] | None:
    """The property names a PROPFIND or REPORT asks for; None means all (allprop / no body)."""
    if root is None:
        return None
    prop = root.find(tag(DAV, "prop"))
    if prop is None:
        return None
    return [child.tag for child in prop]


def hrefs(root: ET.Element) -> list[str]:
    """The DAV:href values of a body (calendar-multiget)."""
    return [(el.text or "").strip() for el in root.iter(tag(DAV, "href"))]


_PLAIN = re.compile(r"[A-Za-z0-9/@:+._~-]*")


def href(path: str) -> str:
    """A path as an href: each segment percent-encoded."""
    return path if _PLAIN.fullmatch(path) else quote(path, safe="/@:+")


@dataclass(frozen=True)
class Whole:
    """A property element as stored (a dead property): sent with its attributes and content."""

    element: ET.Element


Value = str | ET.Element | list[ET.Element] | Whole | None


@dataclass
class Resource:
    """One response of a multistatus: found properties by name, and the names not found."""

    path: str
    found: dict[str, Value] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    status: int | None = None  # a whole-resource status (404 in a sync report)
    others: dict[int, list[str]] = field(default_factory=dict)  # PROPPATCH answers
    description: str | None = None  # why, for a person reading the answer
    error: tuple[str, str] | None = None  # a DAV:error condition beside a whole-resource status


def element(name: str, value: Value = None) -> ET.Element:
    """An element with text, one child, or children (or a stored one as it is)."""
    if isinstance(value, Whole):
        return value.element
    el = ET.Element(name)
    if isinstance(value, str):
        el.text = value
    elif isinstance(value, ET.Element):
        el.append(value)
    elif isinstance(value, list):
        el.extend(value)
    return el


def _propstat(names: Iterable[tuple[str, Value]], status: int) -> ET.Element:
    propstat = ET.Element(tag(DAV, "propstat"))
    prop = ET.SubElement(propstat, tag(DAV, "prop"))
    for name, value in names:
        prop.append(element(name, value))
    ET.SubElement(propstat, tag(DAV, "status")).text = f"HTTP/1.1 {status} {STATUS_TEXT[status]}"
    return propstat


def multistatus(resources: Iterable[Resource], sync_token: str | None = None) -> bytes:
    """A 207 Multi-Status body."""
    root = ET.Element(tag(DAV, "multistatus"))
    for resource in resources:
        response = ET.SubElement(root, tag(DAV, "response"))
        ET.SubElement(response, tag(DAV, "href")).text = href(resource.path)
        if resource.status is not None:
            line = f"HTTP/1.1 {resource.status} {STATUS_TEXT[resource.status]}"
            ET.SubElement(response, tag(DAV, "status")).text = line
            if resource.error is not None:
                _error(response, *resource.error)
            _describe(response, resource.description)
            continue
        if resource.found or not (resource.missing or resource.others):
            response.append(_propstat(resource.found.items(), 200))
        if resource.missing:
            response.append(_propstat(((n, None) for n in resource.missing), 404))
        for status, names in resource.others.items():
            response.append(_propstat(((n, None) for n in names), status))
        _describe(response, resource.description)
    if sync_token is not None:
        ET.SubElement(root, tag(DAV, "sync-token")).text = sync_token
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body


def _describe(response: ET.Element, text: str | None) -> None:
    if text:
        ET.SubElement(response, tag(DAV, "responsedescription")).text = text


def _error(parent: ET.Element, namespace: str, condition: str) -> None:
    ET.SubElement(ET.SubElement(parent, tag(DAV, "error")), tag(namespace, condition))


def error_body(namespace: str, condition: str) -> bytes:
    """A DAV:error body naming the precondition that failed."""
    root = ET.Element(tag(DAV, "error"))
    ET.SubElement(root, tag(namespace, condition))
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body
