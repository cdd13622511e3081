"""The inline scripts a Blogger page carries, generated deterministically.

Three kinds, as on real pages: the ``jstiming`` bootstrap in the ``<head>``, the comment
iframe helper (``BLOG_CMT_createIframe``) and analytics, and a minified theme/gadget bundle
(lazy loading, share menus, table of contents...) of about ``size`` characters; plus one
``_WidgetManager._RegisterWidget`` call per sidebar widget. None of them names a post id or
page type: those come only from ``common.widget_context``.
"""

# ruff: noqa: E501  (generated CSS/JS templates read better as one rule or statement per line)

from __future__ import annotations

import functools
import random

_NAMES = "abcdefghijklmnopqrstuvwxyz"
_WORDS = [
    "lazy",
    "load",
    "image",
    "src",
    "data-src",
    "observer",
    "scroll",
    "menu",
    "toggle",
    "share",
    "copy",
    "link",
    "theme",
    "dark",
    "mode",
    "search",
    "query",
    "toc",
    "heading",
    "anchor",
    "slider",
    "item",
    "width",
    "height",
    "offset",
    "timer",
    "cookie",
    "consent",
    "storage",
    "key",
    "value",
    "render",
    "widget",
    "label",
    "archive",
    "popular",
    "snippet",
]

JSTIMING = """<script type="text/javascript">(function(){var a=window,b="jstiming",c="tick";
(function(){function d(e){this.t={};this.tick=function(g,h,k){k=void 0!=k?k:(new Date).getTime();
this.t[g]=[k,h]};this.tick("start",null,e)}var f=new d;a.jstiming={Timer:d,load:f};
if(a.performance&&a.performance.timing){var l=a.performance.timing,m=a[b].load,n=l.navigationStart;
0<n&&(m.tick("_wtsrt",void 0,n),m.tick("wtsrt_","_wtsrt",l.responseStart))}})()})();</script>"""


def comment_iframe_script(blog_id: str) -> str:
    """``BLOG_CMT_createIframe`` and the analytics snippet Blogger appends to every page."""
    return f"""<script type='text/javascript'>
function BLOG_CMT_createIframe(a){{var b=document.getElementById('comment-editor');if(!b)return;
var c=b.getAttribute('src')||'';b.setAttribute('src',a+(c.indexOf('#')>=0?'':'#')+'%7B%22color%22%3A%22rgb(34%2C34%2C34)%22%7D');
b.style.height=Math.max(410,b.scrollHeight)+'px'}}
window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments)}}
gtag('js',new Date());gtag('config','G-FAKE{blog_id[-6:]}',{{'anonymize_ip':true}});
</script>"""


def _identifier(rng: random.Random) -> str:
    return rng.choice(_NAMES) + rng.choice(_NAMES + "0123456789_$")


def _statement(rng: random.Random, names: list[str]) -> str:
    a, b = rng.choice(names), rng.choice(names)
    word = rng.choice(_WORDS)
    pick = rng.randrange(8)
    if pick == 0:
        return f"var {a}=document.querySelectorAll('.{word}-{rng.choice(_WORDS)}')"
    if pick == 1:
        return f"for(var i=0;i<{a}.length;i++){{{a}[i].classList.toggle('{word}')}}"
    if pick == 2:
        return f"if({a}&&{a}.{word}){{{b}.setAttribute('data-{word}',{a}.{word})}}"
    if pick == 3:
        return f"{a}=window.localStorage.getItem('{word}')||{rng.randint(0, 999)}"
    if pick == 4:
        return f"{b}.addEventListener('{rng.choice(('click', 'scroll', 'load'))}',function(e){{e.preventDefault();{a}(e.target)}},!1)"
    if pick == 5:
        return f"return {a}?{a}.{word}:{b}"
    if pick == 6:
        return f"{a}.style.{rng.choice(('height', 'width', 'top'))}={b}.offsetHeight+{rng.randint(1, 64)}+'px'"
    return f"setTimeout(function(){{{a}.{word}()}},{rng.choice((100, 250, 500, 1000))})"


def _function(rng: random.Random) -> str:
    name = _identifier(rng) + rng.choice(_WORDS).title()
    params = [_identifier(rng) for _ in range(rng.randint(1, 3))]
    names = params + [_identifier(rng) for _ in range(3)]
    body = ";".join(_statement(rng, names) for _ in range(rng.randint(3, 9)))
    return f"function {name}({','.join(params)}){{{body}}}"


@functools.cache
def theme_bundle(theme: str, size: int) -> str:
    """A minified theme/gadget script of about ``size`` characters (never fewer), cached."""
    rng = random.Random(f"bundle:{theme}")
    parts: list[str] = []
    total = 0
    while total < size:
        part = _function(rng)
        parts.append(part)
        total += len(part) + 1
    return "<script type='text/javascript'>//<![CDATA[\n" + "\n".join(parts) + "\n//]]></script>"


def register_widgets(widgets: list[tuple[str, str, str]]) -> str:
    """One ``_RegisterWidget`` call per ``(view, widget_id, section)``, as Blogger ends a page."""
    calls = "\n".join(
        f"_WidgetManager._RegisterWidget('_{view}View', new _WidgetInfo('{widget_id}', "
        f"'{section}', document.getElementById('{widget_id}'), {{}}, 'displayModeFull'));"
        for view, widget_id, section in widgets
    )
    return f"<script type='text/javascript'>\n{calls}\n</script>"
