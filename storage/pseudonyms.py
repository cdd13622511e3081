"""Pseudonymised authors for exports: a keyed hash in place of a name or a profile URL.

Researchers must often hand data on without names. :class:`Pseudonymiser` replaces each
author name and author URL with ``HMAC-SHA256(key, kind + ":" + value)`` (hex, first 32
digits): the same author gets the same token in every record and every export made with the
same key, and nobody without the key can recompute a name's token to find it. Names and URLs
are hashed apart (``name:``/``url:``), so a name equal to some URL does not share its token.
NULL stays NULL.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

PSEUDONYM_KEY_ENV = "BLOGINGEST_PSEUDONYM_KEY"
"""The environment variable that may hold the key (``--pseudonym-key`` wins over it)."""

_TOKEN_DIGITS = 32  # 128 bits: no two authors of any archive share a token by chance

_AUTHOR_FIELDS = {"author": "name", "author_url": "url"}


class Pseudonymiser:
    """Replaces author names and URLs of export records with keyed tokens."""

    def __init__(self, key: str) -> None:
        """``key`` must be non-empty: an empty key would make the tokens anyone's to compute."""
        if not key:
            raise ValueError("the pseudonym key is empty")
        self._key = key.encode("utf-8")
        self._cache: dict[tuple[str, str], str] = {}

    def token(self, kind: str, value: str) -> str:
        """Return the token of ``value`` (a ``name`` or a ``url``)."""
        cached = self._cache.get((kind, value))
        if cached is None:
            message = f"{kind}:{value}".encode()
            digest = hmac.new(self._key, message, hashlib.sha256).hexdigest()
            cached = digest[:_TOKEN_DIGITS]
            if len(self._cache) < 100_000:  # bounded: an archive's authors, not its comments
                self._cache[(kind, value)] = cached
        return cached

    def record(self, record: dict[str, Any]) -> dict[str, Any]:
        """Return ``record`` with ``author``/``author_url`` (and its ``comments``') replaced."""
        result = dict(record)
        for field, kind in _AUTHOR_FIELDS.items():
            value = result.get(field)
            if isinstance(value, str):
                result[field] = self.token(kind, value)
        comments = result.get("comments")
        if isinstance(comments, list):
            result["comments"] = [self.record(comment) for comment in comments]
        return result
