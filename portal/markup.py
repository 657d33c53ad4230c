"""Markdown to safe HTML: rendered, then sanitised with an allow-list (nh3)."""

from __future__ import annotations

import markdown as markdown_lib
import nh3
from flask_babel import lazy_gettext as _l

MARKDOWN_HELP = _l(
    "Write in Markdown: ## for a heading, **bold**, - for a list, [text](https://…) for a link. "
    "Scripts and unsafe links are removed when you save."
)

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    # No `id` or `name` anywhere: an id chosen by an author can shadow the page's own
    # elements and globals (DOM clobbering).
    "*": {"lang"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitise_html(html: str) -> str:
    """Drop scripts, event handlers, styles and non-http(s)/mailto/tel URLs."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """Markdown (tables, lists, headings) to sanitised HTML; headings start at h2 (the toc
    extension shifts them; the ids it adds are dropped by the sanitiser)."""
    html = markdown_lib.markdown(
        text or "",
        extensions=["tables", "sane_lists", "smarty", "toc"],
        extension_configs={"toc": {"baselevel": 2, "permalink": False}},
        output_format="html",
    )
    return sanitise_html(html)
