"""Reading an export file safely: it is untrusted input, so entity declarations (billion
laughs), external entities and DTDs are refused by defusedxml before anything is parsed."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import parse

from .records import ImportFileError

# Characters XML 1.0 cannot carry, even in CDATA.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def read_xml(path: str | Path) -> Element:
    try:
        return parse(str(path), forbid_dtd=True).getroot()
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file.") from None
    except OSError as error:
        raise ImportFileError(f"{path}: cannot be read ({error.strerror}).") from None
    except ParseError as error:
        line, column = error.position
        raise ImportFileError(
            f"{path} is not well-formed XML (line {line}, column {column}): {error.msg}."
        ) from None
    except DefusedXmlException:
        raise ImportFileError(
            f"{path} declares a DTD or entities, which an export never does; refused."
        ) from None


def text_of(element: Element | None, path: str | None = None, namespaces=None) -> str:
    """The stripped text of ``element`` (or of its child at ``path``), "" when absent."""
    if element is not None and path is not None:
        element = element.find(path, namespaces)
    if element is None or element.text is None:
        return ""
    return element.text.strip()


def utc_datetime(value: str, formats: tuple[str, ...]) -> datetime.datetime | None:
    """A UTC-aware datetime from the first format that fits, or None."""
    value = value.strip()
    if value.endswith("Z"):
        value = value[:-1]
    for fmt in formats:
        try:
            moment = datetime.datetime.strptime(value, fmt)
        except ValueError:
            continue
        if moment.year < 1971:  # WordPress writes 0000-00-00 00:00:00 for "no date"
            return None
        return moment.replace(tzinfo=datetime.UTC)
    return None


def xml_safe(text: str) -> str:
    return XML_ILLEGAL.sub("", text)
