"""The ``<b:skin>`` stylesheet each fake theme inlines, generated deterministically.

Real Blogger pages carry 20-60 KB of theme CSS in the ``<head>`` (``<style id='page-skin-1'>``
plus the ``template-skin`` block), the bulk of their weight next to widget scripts. The rules
here style the theme's own classes with varied declarations (colours, spacing, fonts,
transitions), nested in responsive ``@media`` blocks, after ``@font-face`` rules, as a real skin
does. The same theme name always yields the same text.
"""

# ruff: noqa: E501  (generated CSS/JS templates read better as one rule or statement per line)

from __future__ import annotations

import functools
import random

_COMMON = [
    "body",
    "content-outer",
    "content-inner",
    "header-outer",
    "header-inner",
    "main-outer",
    "main-inner",
    "column-center-inner",
    "column-right-inner",
    "sidebar",
    "section",
    "widget",
    "widget-content",
    "post",
    "post-outer",
    "post-title",
    "post-header",
    "post-footer",
    "post-body",
    "post-labels",
    "date-header",
    "blog-pager",
    "blog-pager-older-link",
    "blog-pager-newer-link",
    "home-link",
    "comments",
    "comment",
    "comment-block",
    "comment-header",
    "comment-content",
    "comment-actions",
    "comment-replies",
    "avatar-image-container",
    "navbar",
    "Navbar",
    "Header",
    "BlogArchive",
    "Label",
    "PopularPosts",
    "Profile",
    "Followers",
    "FollowByEmail",
    "Attribution",
    "Subscribe",
    "ReportAbuse",
    "Feed",
    "item-thumbnail",
    "item-title",
    "item-snippet",
    "item-content",
    "archivedate",
    "post-count",
    "post-count-link",
    "zippy",
    "toggle",
    "hierarchy",
    "posts",
    "profile-img",
    "profile-name-link",
    "profile-textblock",
    "feed-links",
    "status-msg-wrap",
    "status-msg-body",
    "jump-link",
    "share-button",
    "goog-inline-block",
    "footer-outer",
    "tabs-inner",
    "region-inner",
    "fauxcolumn-outer",
    "cap-top",
    "cap-bottom",
]

_THEME_CLASSES = {
    "layouts": "titlewrapper descriptionwrapper date-outer date-posts post-header-line-1 "
    "post-footer-line post-timestamp post-author post-comment-link post-icons "
    "fauxcolumns columns-inner sidebar-right-1 loadmore comment-thread inline-thread",
    "contempo": "centered centered-top-container centered-bottom main-heading "
    "header-widget byline byline-label flat-button flat-icon-button ripple hamburger-menu "
    "sidebar-container sidebar-invisible snippet-container snippet-item r-snippetized "
    "post-bottom share-buttons svg-icon-24-button float-container page page_body",
    "plusui": "mainWrp mainIn mnBr mnBrs blogItm mainbar sidebar sideIn headCn headL headN "
    "headH headR tSrch tIc bIc pTtl aTtl pDesc pInf pSml pIm pNm pDr aTtmp pEnt postBody pSh "
    "pShc pNav nwr olr brdCmb cm cmBr cmBri cmBtn cmBd cmH cmHl cAv cIn cNm cCn cTm ntry "
    "pCntn pSnpt blogPg jsLd blogPts wL lbM fotIn credit",
}

_COLORS = [
    "#222222",
    "#333333",
    "#444444",
    "#666666",
    "#777777",
    "#888888",
    "#999999",
    "#cccccc",
    "#dddddd",
    "#eeeeee",
    "#f5f5f5",
    "#ffffff",
    "#2288bb",
    "#33aaff",
    "#0b5394",
    "#e06666",
    "#6aa84f",
    "#f1c232",
    "#c27ba0",
    "#3d85c6",
    "rgba(0,0,0,.54)",
    "rgba(0,0,0,.12)",
    "rgba(255,255,255,.8)",
    "transparent",
]
_LENGTHS = [
    "0",
    "1px",
    "2px",
    "4px",
    "5px",
    "8px",
    "10px",
    "12px",
    "15px",
    "16px",
    "20px",
    "24px",
    "30px",
    "40px",
    ".5em",
    "1em",
    "1.5em",
    "2em",
]
_FONTS = [
    "normal normal 15px Arial, Tahoma, Helvetica, FreeSans, sans-serif",
    "normal bold 22px 'Roboto', sans-serif",
    "italic normal 13px Georgia, Utopia, serif",
    "normal normal 12px 'Open Sans', sans-serif",
    "normal bold 11px Arial, sans-serif",
    "normal normal 18px 'Lora', serif",
]
_DISPLAYS = ["block", "inline-block", "flex", "none", "table", "inline"]
_POSITIONS = ["relative", "absolute", "static", "sticky"]
_EASINGS = ["ease", "ease-in-out", "linear", "cubic-bezier(.4,0,.2,1)"]
_PSEUDO = ("", "", "", ":hover", ":focus", ":first-child", ":last-child", "::before", "::after")
_ELEMENTS = ("", "", "", " a", " h2", " h3", " ul", " li", " img", " p", " span", " .title")


def _declaration(rng: random.Random) -> str:
    """One ``property:value`` pair chosen among the kinds a Blogger skin uses."""
    pick = rng.randrange(14)
    length = functools.partial(rng.choice, _LENGTHS)
    if pick == 0:
        return f"color:{rng.choice(_COLORS)}"
    if pick == 1:
        return f"background:{rng.choice(_COLORS)} none repeat scroll top left"
    if pick == 2:
        return f"margin:{length()} {length()} {length()}"
    if pick == 3:
        return f"padding:{length()} {length()}"
    if pick == 4:
        return f"font:{rng.choice(_FONTS)}"
    if pick == 5:
        return f"border-{rng.choice(('top', 'bottom', 'left', 'right'))}:1px solid {rng.choice(_COLORS)}"
    if pick == 6:
        return f"line-height:{rng.choice(('1.2', '1.4', '1.6', '1.8', 'normal'))}"
    if pick == 7:
        return f"display:{rng.choice(_DISPLAYS)}"
    if pick == 8:
        return f"position:{rng.choice(_POSITIONS)}"
    if pick == 9:
        ms = rng.choice((150, 200, 250, 300, 400))
        return f"transition:{rng.choice(('color', 'opacity', 'all', 'transform'))} {ms}ms {rng.choice(_EASINGS)}"
    if pick == 10:
        return f"box-shadow:0 {length()} {length()} {rng.choice(_COLORS)}"
    if pick == 11:
        return f"border-radius:{length()}"
    if pick == 12:
        return f"max-width:{rng.choice(('100%', '320px', '640px', '960px', 'none'))}"
    return f"text-{rng.choice(('align:center', 'align:left', 'decoration:none', 'transform:uppercase'))}"


def _rule(rng: random.Random, classes: list[str]) -> str:
    outer, inner = rng.choice(classes), rng.choice(classes)
    selector = f".{outer}{rng.choice(_ELEMENTS)}{rng.choice(_PSEUDO)}"
    if rng.random() < 0.4:
        selector += f",.{outer} .{inner}{rng.choice(_PSEUDO)}"
    body = ";".join(_declaration(rng) for _ in range(rng.randint(2, 7)))
    return f"{selector}{{{body}}}"


def _font_faces(rng: random.Random) -> list[str]:
    faces = []
    for family in ("Roboto", "Open Sans", "Lora"):
        for weight in (400, 700):
            token = "".join(
                rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789") for _ in range(40)
            )
            faces.append(
                f"@font-face{{font-family:'{family}';font-style:normal;font-weight:{weight};"
                f"font-display:swap;src:url(//fonts.gstatic.com/s/{family.lower().replace(' ', '')}"
                f"/v30/{token}.woff2) format('woff2');unicode-range:U+0000-00FF,U+0131,U+0152-0153}}"
            )
    return faces


@functools.cache
def skin_css(theme: str, size: int) -> str:
    """About ``size`` characters (never fewer) of skin CSS for ``theme``, newline-separated rules.

    Cached: every page of a theme at a given size shares the one string.
    """
    rng = random.Random(f"skin:{theme}")
    classes = _COMMON + _THEME_CLASSES[theme].split()
    lines = [
        "/*\n-----------------------------------------------\n"
        f"Blogger Template Style\nName:     {theme.title()}\n"
        "----------------------------------------------- */",
        *_font_faces(rng),
    ]
    total = sum(len(line) + 1 for line in lines)
    while total < size:
        if rng.random() < 0.12:
            rules = "\n".join(_rule(rng, classes) for _ in range(rng.randint(4, 12)))
            width = rng.choice((480, 640, 800, 960, 1200))
            block = f"@media screen and (max-width:{width}px){{\n{rules}\n}}"
        else:
            block = _rule(rng, classes)
        lines.append(block)
        total += len(block) + 1
    return "\n".join(lines)
