"""decode: bytes -> text, and every kind of bad input refused with a clear reason."""

import codecs
import zlib

import pytest

from unspin.read import read_path
from unspin.read.decode import decode_bytes, sniff_binary
from unspin.read.errors import ReadFailure
from unspin.read.ids import article_id
from unspin.types import ItemFailure


def test_utf8_with_and_without_bom_and_newlines_normalised():
    text = "Héadline\r\n\r\nBody line one.\rBody line two.\n"
    assert decode_bytes(text.encode("utf-8")) == "Héadline\n\nBody line one.\nBody line two.\n"
    assert decode_bytes(codecs.BOM_UTF8 + text.encode("utf-8")) == "Héadline\n\nBody line one.\nBody line two.\n"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(encoding):
    text = "Zürich council “approves” budget\n\nThe vote was 31 to 12."
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(encoding, b"")
    assert decode_bytes(bom + text.encode(encoding)) == text


def test_cp1252_curly_quotes_and_dashes_decode_correctly():
    text = "The mayor said \u201cwe will not back down\u201d \u2014 and the council\u2019s vote followed."
    assert decode_bytes(text.encode("cp1252")) == text


def test_latin1_accents_decode_correctly():
    text = "Caf\u00e9 owners in the old town said the r\u00e9sum\u00e9 of the na\u00efve plan was read aloud."
    assert decode_bytes(text.encode("latin-1")) == text


def test_non_latin_legacy_encoding_is_detected():
    text = "Городской совет во вторник утвердил новое расписание паромов и автобусов на лето."
    assert decode_bytes(text.encode("cp1251")) == text


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  "])
def test_empty_or_whitespace_refused(data):
    with pytest.raises(ReadFailure, match="empty|only whitespace"):
        decode_bytes(data)


@pytest.mark.parametrize(
    "data, what",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "ZIP"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (zlib.compress(b"x" * 100)[:2] + b"\x00\x01\x02" * 20, "NUL|control"),
        (b"some text\x00with a NUL byte", "NUL"),
    ],
)
def test_binary_input_refused_naming_the_kind(data, what):
    with pytest.raises(ReadFailure, match=what):
        decode_bytes(data)
    assert sniff_binary(data) is not None


def test_plain_text_is_not_binary():
    assert sniff_binary(b"Ordinary text\twith a tab.\n") is None


def test_size_limit_names_size_limit_and_how_to_raise(tmp_path):
    big = tmp_path / "huge.txt"
    line = b"A line of ordinary article text that repeats many times over.\n"
    with big.open("wb") as fh:
        for _ in range(50_000_000 // len(line) + 1):
            fh.write(line)
    assert big.stat().st_size > 50_000_000
    (result,) = list(read_path(big))
    assert isinstance(result, ItemFailure)
    assert "50.0 MB" in result.reason and "20,000,000" in result.reason and "max_bytes" in result.reason


def test_raising_the_limit_lets_the_file_through(tmp_path):
    path = tmp_path / "small.txt"
    path.write_text("Headline Here\n\n" + "Body sentence about the harbour. " * 60)
    (refused,) = list(read_path(path, max_bytes=1000))
    assert isinstance(refused, ItemFailure) and "1,000-byte limit" in refused.reason
    (article,) = list(read_path(path, max_bytes=10_000))
    assert article.title.text == "Headline Here"


def test_article_id_is_stable_and_content_based():
    a = article_id("Title\n\nBody.")
    assert a == article_id("Title\n\nBody.\n") and len(a) == 16 and int(a, 16) >= 0
    assert a != article_id("Title\n\nOther body.")
