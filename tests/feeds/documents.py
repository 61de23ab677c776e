"""Feed documents as real publishers write them: RSS 2.0, RSS 1.0 (RDF) and Atom."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape


@dataclass
class Story:
    title: str  # may hold HTML, escaped into the XML as publishers do
    body: str  # HTML
    link: str | None = None
    guid: str | None = None
    date: str | None = None  # RFC 822 for RSS 2.0, ISO 8601 for RSS 1.0 and Atom
    categories: list[str] = field(default_factory=list)


def long_body(topic: str, paragraphs: int = 4) -> str:
    """A story's HTML, long enough not to be a teaser (over 80 words)."""
    return "".join(
        f"<p>Paragraph {i} about {topic}: the council met on Tuesday and argued for hours over "
        f"the plan, its cost and who would pay for it, before a late vote settled it.</p>"
        for i in range(1, paragraphs + 1)
    )


def rss2(title: str, link: str, stories: list[Story], *, encoding: str = "utf-8") -> bytes:
    items = []
    for s in stories:
        parts = [f"<title>{escape(s.title)}</title>"]
        if s.link is not None:
            parts.append(f"<link>{escape(s.link)}</link>")
        if s.guid is not None:
            parts.append(f'<guid isPermaLink="false">{escape(s.guid)}</guid>')
        if s.date is not None:
            parts.append(f"<pubDate>{s.date}</pubDate>")
        parts += [f"<category>{escape(c)}</category>" for c in s.categories]
        parts.append(f"<description>{escape(s.body)}</description>")
        items.append("<item>" + "".join(parts) + "</item>")
    text = (
        f'<?xml version="1.0" encoding="{encoding}"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>{escape(title)}</title><link>{escape(link)}</link>"
        "<description>News</description><language>en</language>"
        + "".join(items)
        + "</channel></rss>"
    )
    return text.encode(encoding)


def rss1(title: str, link: str, stories: list[Story]) -> bytes:
    items = []
    for s in stories:
        about = s.link or s.guid or ""
        parts = [f"<title>{escape(s.title)}</title>"]
        if s.link is not None:
            parts.append(f"<link>{escape(s.link)}</link>")
        if s.date is not None:
            parts.append(f"<dc:date>{s.date}</dc:date>")
        parts += [f"<dc:subject>{escape(c)}</dc:subject>" for c in s.categories]
        parts.append(f"<description>{escape(s.body)}</description>")
        items.append(f'<item rdf:about="{escape(about)}">' + "".join(parts) + "</item>")
    text = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<channel rdf:about="{escape(link)}"><title>{escape(title)}</title>'
        f"<link>{escape(link)}</link><description>News</description></channel>"
        + "".join(items)
        + "</rdf:RDF>"
    )
    return text.encode("utf-8")


def atom(title: str, link: str, stories: list[Story]) -> bytes:
    entries = []
    for s in stories:
        parts = [f'<title type="html">{escape(s.title)}</title>']
        if s.link is not None:
            parts.append(f'<link rel="alternate" href="{escape(s.link)}"/>')
        parts.append(f"<id>{escape(s.guid or s.link or s.title)}</id>")
        if s.date is not None:
            parts.append(f"<updated>{s.date}</updated><published>{s.date}</published>")
        parts += [f'<category term="{escape(c)}"/>' for c in s.categories]
        parts.append(f'<content type="html">{escape(s.body)}</content>')
        entries.append("<entry>" + "".join(parts) + "</entry>")
    text = (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f'<title>{escape(title)}</title><link href="{escape(link)}"/>'
        f"<id>{escape(link)}</id><updated>2026-11-29T08:00:00Z</updated>"
        + "".join(entries)
        + "</feed>"
    )
    return text.encode("utf-8")


def article_page(title: str, paragraphs: int = 6) -> bytes:
    """A publisher's article page: navigation, the story, a footer."""
    body = long_body(title.lower(), paragraphs)
    return (
        f"<!doctype html><html><head><title>{escape(title)} | Town Herald</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
        f"<article><h1>{escape(title)}</h1>{body}</article>"
        "<footer>© 2026 Town Herald. All rights reserved. Privacy. Cookies.</footer>"
        "</body></html>"
    ).encode()


LOGIN_WALL = (
    b"<!doctype html><html><head><title>Sign in</title></head><body>"
    b"<form action='/login'><p>Subscribe or log in to keep reading.</p>"
    b"<input name='user'><input type='password' name='pw'><button>Log in</button></form>"
    b"</body></html>"
)
