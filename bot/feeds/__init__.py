"""Live news from RSS and Atom feeds: fetching, parsing, polling, OPML."""
