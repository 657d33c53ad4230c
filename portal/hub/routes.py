"""Hub views."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import Response, redirect, render_template, url_for

from portal.errors import NotFound
from portal.hub import bp
from portal.markup import render_markdown
from portal.projects import all_projects
from portal.templating import current_locale

CONTENT_DIR = Path(__file__).parent / "content"
SITE_PAGES = ("accessibilita",)  # the privacy notice is generated: portal/privacy/


@lru_cache(maxsize=16)
def _site_page(name: str, locale: str) -> tuple[str, str]:
    """(title, html) from content/<name>.<locale>.md; the first line is the title."""
    path = CONTENT_DIR / f"{name}.{locale}.md"
    if not path.exists():
        path = CONTENT_DIR / f"{name}.it.md"
    title, _, body = path.read_text(encoding="utf-8").partition("\n")
    return title.lstrip("# ").strip(), render_markdown(body)


@bp.get("/")
def index():
    return render_template("hub/index.html", tenants=all_projects())


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says."""
    return redirect(url_for("static", filename="favicon.svg"), 301)


@bp.get("/projects.css")
def project_colours():
    """Each project's colour for the hub's cards (no inline styles under our CSP)."""
    css = "\n".join(f".project-{t.slug} {{ --tenant-primary: {t.primary_colour}; }}" for t in all_projects())
    return Response(css, mimetype="text/css", headers={"Cache-Control": "public, max-age=300"})


@bp.get("/info/<name>")
def static_page(name: str):
    if name not in SITE_PAGES:
        raise NotFound()
    title, html = _site_page(name, current_locale())
    return render_template("hub/site_page.html", title=title, html=html)
