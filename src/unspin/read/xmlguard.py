"""Feeds are XML from the open web, so a feed that declares a DTD is refused before feedparser
sees it: entity declarations are how billion-laughs and XXE payloads are written.

The check is a real XML parser (defusedxml over expat), so it sees the DOCTYPE wherever it is
(after a long comment, deep in the prolog) and in whatever encoding the document declares or
its byte-order mark implies (UTF-16, UTF-32, Latin-1 ...). One DOCTYPE is let through: the
public DTD of Netscape's RSS 0.91, which old feeds still carry, as long as it declares no
entities. A document expat cannot parse (feedparser copes with much broken XML) is searched
for a DOCTYPE in every encoding it could be in.
"""

from __future__ import annotations

import codecs
import re
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException, DTDForbidden
from defusedxml.ElementTree import fromstring

from unspin.read.errors import ReadFailure

# Public ids of the RSS 0.91 DTD; feeds carry it by habit and it defines no entities we expand.
HARMLESS_DTDS = frozenset({
    "-//Netscape Communications//DTD RSS 0.91//EN",
    "-//Netscape Communications//DTD RSS 0.91 //EN",
})

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def refuse_dtd(data: bytes, source: str) -> None:
    """Raise ``ReadFailure`` when ``data`` declares a DTD (other than the harmless RSS 0.91 one)
    or any entity."""
    try:
        fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DTDForbidden as exc:
        if exc.pubid not in HARMLESS_DTDS:
            raise ReadFailure(f"{source} declares a DTD ({exc.name}), where XML entities are defined; refused for safety") from None
        _refuse_entities(data, source)
    except DefusedXmlException as exc:
        raise ReadFailure(f"{source} declares XML entities ({type(exc).__name__}); refused for safety") from None
    except (ParseError, ValueError, LookupError):
        _scan(data, source)


def _refuse_entities(data: bytes, source: str) -> None:
    try:
        fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise ReadFailure(f"{source} declares XML entities; refused for safety") from None
    except (ParseError, ValueError, LookupError):
        _scan(data, source)


def _scan(data: bytes, source: str) -> None:
    """Broken XML: look for a declaration in each encoding the bytes could be in."""
    for text in _decodings(data):
        found = _DECLARATION.search(text)
        if found is None:
            continue
        if found.group(1).upper() == "DOCTYPE" and not re.search(r"<!\s*ENTITY", text, re.IGNORECASE) and any(
            pubid in text for pubid in HARMLESS_DTDS
        ):
            continue
        raise ReadFailure(f"{source} declares a DTD or XML entities; refused for safety")


def _decodings(data: bytes) -> list[str]:
    encodings = [name for bom, name in _BOMS if data.startswith(bom)]
    head = data[:200].replace(b"\x00", b"")  # a UTF-16/32 declaration reads as ASCII without its zeros
    declared = re.search(rb"encoding\s*=\s*[\"']([A-Za-z0-9._-]+)", head)
    if declared:
        encodings.append(declared.group(1).decode("ascii"))
    encodings += ["utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]
    texts = []
    for name in dict.fromkeys(encodings):
        try:
            texts.append(data.decode(name, errors="ignore"))
        except LookupError:
            continue
    return texts
