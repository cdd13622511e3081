"""Precompiled XPath queries with the result types parsing relies on.

``lxml.etree.XPath`` returns a union of every XPath result type; these wrappers compile the
expression once, at import, and state what the expression yields, so that callers stay
typed. An expression that yields something else is a programming error (``TypeError``).

None of them uses EXSLT's regular expressions (``re:test``): compiled without them
(``regexp=False``), lxml does not register those functions on every call, a fixed cost that a
page pays some fifteen to thirty times (about 0.35 us a call, 1% of a small page's parse).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from lxml import etree
from lxml.html import HtmlElement


def class_token(name: str, subject: str = "@class") -> str:
    """Return an XPath predicate true exactly when ``@class`` holds the token ``name``.

    The token test (``concat`` + ``normalize-space``) builds two strings per element; the
    substring test before it (implied by the token test, so the result is the same) rejects
    almost every element without building them, which makes searches of big trees several
    times cheaper. ``subject`` is what holds the class value: ``@class`` in an element's
    predicate, ``.`` in an attribute step's (``.//div/@class[...]/..``, which libxml2 tests
    far more cheaply).
    """
    return (
        f"(contains({subject}, '{name}')"
        f" and contains(concat(' ', normalize-space({subject}), ' '), ' {name} '))"
    )


# XPath's normalize-space splits at these only (not at no-break or other Unicode spaces).
_XML_SPACES = str.maketrans("\t\n\r", "   ")


def class_tokens(classes: str) -> list[str]:
    """Return the tokens of a ``class`` value as :func:`class_token`'s test reads them.

    Split at space, tab, CR and LF only, as ``normalize-space`` does (empty strings may be
    among them): ``name in class_tokens(value)`` is that test.
    """
    return classes.translate(_XML_SPACES).split(" ")


class Elements:
    """An XPath expression that selects elements."""

    def __init__(self, expression: str) -> None:
        """Compile ``expression``."""
        self.expression = expression
        self._xpath = etree.XPath(expression, regexp=False)

    def __call__(
        self, node: etree._Element, **variables: str | list[HtmlElement]
    ) -> list[HtmlElement]:
        """Return the selected elements of ``node``'s tree, in document order.

        ``variables`` bind ``$name`` references in the expression: a string, or a list of
        elements of the same tree (a node-set).
        """
        result = self._xpath(node, **variables)
        if not isinstance(result, list):
            raise TypeError(f"XPath {self.expression!r} did not select nodes")
        return cast("list[HtmlElement]", result)


class Strings:
    """An XPath expression that selects attribute values or text nodes."""

    def __init__(self, expression: str) -> None:
        """Compile ``expression``."""
        self.expression = expression
        self._xpath = etree.XPath(expression, regexp=False)

    def __call__(self, node: etree._Element) -> list[str]:
        """Return the selected values as plain strings, in document order."""
        result = self._xpath(node)
        if not isinstance(result, list):
            raise TypeError(f"XPath {self.expression!r} did not select nodes")
        return [str(value) for value in result]


class Text:
    """An XPath expression that evaluates to one string (``normalize-space(...)``)."""

    def __init__(self, expression: str) -> None:
        """Compile ``expression``."""
        self.expression = expression
        self._xpath = etree.XPath(expression, regexp=False)

    def __call__(self, node: etree._Element) -> str:
        """Return the string value."""
        return str(self._xpath(node))


class FirstDescendant:
    """The first descendant element, in page order, that passes a test: ``descendant::*[P][1]``.

    libxml2 does not stop that query at its first match: the node test and ``P`` run over
    every descendant before ``[1]`` picks one (only a step whose one predicate is a constant
    position stops early), so that a question asked of a comment section or a post's box
    walked its whole thread. The first :attr:`probe` descendants are tested in Python by
    ``test`` (``P`` written out, pinned against the query by the callers' tests); the query
    runs only on a scope whose match, if any, lies past them.
    """

    def __init__(
        self, predicate: str, test: Callable[[HtmlElement], bool], probe: int = 24
    ) -> None:
        """Compile ``descendant::*[predicate][1]``; ``test`` is ``predicate`` for one element."""
        self.query = Elements(f"descendant::*[{predicate}][1]")
        self.test = test
        self.probe = probe

    def __call__(self, scope: HtmlElement) -> list[HtmlElement]:
        """Return ``[first]``, the first descendant of ``scope`` that passes, or ``[]``."""
        for seen, element in enumerate(scope.iterdescendants(etree.Element)):
            if seen == self.probe:
                return self.query(scope)
            if self.test(element):
                return [element]
        return []
