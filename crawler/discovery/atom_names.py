"""The names a Blogger Atom feed is read by: namespaces, in lxml's ``{uri}`` form, and tags.

One place for every feed reader (the index in :mod:`crawler.discovery.feed`, the entries and
comments in :mod:`crawler.feed_records`), so a name is spelled once.
"""

from __future__ import annotations

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM = f"{{{ATOM_NS}}}"
THREAD = "{http://purl.org/syndication/thread/1.0}"
OPENSEARCH = "{http://a9.com/-/spec/opensearchrss/1.0/}"
FEEDBURNER_NS = "http://rssnamespace.org/feedburner/ext/1.0"
FEEDBURNER = f"{{{FEEDBURNER_NS}}}"
APP = "{http://www.w3.org/2007/app}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

LABEL_SCHEME = "http://www.blogger.com/atom/ns#"
"""The ``scheme`` of a ``category`` that is a post label."""
KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
"""The ``scheme`` of the ``category`` that says what kind of entry it is (post, comment)."""

# Children of an ``entry`` (and of its ``author``) that the readers look at.
ENTRY_ID = f"{ATOM}id"
ENTRY_TITLE = f"{ATOM}title"
ENTRY_PUBLISHED = f"{ATOM}published"
ENTRY_UPDATED = f"{ATOM}updated"
ENTRY_LINK = f"{ATOM}link"
ENTRY_CATEGORY = f"{ATOM}category"
ENTRY_CONTENT = f"{ATOM}content"
ENTRY_AUTHOR = f"{ATOM}author"
ENTRY_TOTAL = f"{THREAD}total"
ENTRY_IN_REPLY_TO = f"{THREAD}in-reply-to"
ENTRY_ORIG_LINK = f"{FEEDBURNER}origLink"
ENTRY_CONTROL = f"{APP}control"
ENTRY_DRAFT = f"{APP}draft"
AUTHOR_NAME = f"{ATOM}name"
AUTHOR_URI = f"{ATOM}uri"
