"""Check the national-services links against the live sites, and record the check in the data.

The data files in data/national_services/ carry `checked_on` and `to_verify` for every link. A
machine with web access runs `flask --app wsgi national-services check` before going to production
(and then now and then): every distinct URL is fetched once, following redirects; a link that
answers 2xx is "ok", one that ends on another host is "moved" (someone should look at where it now
leads), anything else is "broken". With `--record`, the links found ok get `checked_on = <today>`
and `to_verify = false` in their files; moved and broken ones are left for a person to fix.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from portal.vocabularies.national_services import DATA, Catalogue

USER_AGENT = "Crocevia link check (+https://github.com/crocevia)"
TIMEOUT_SECONDS = 15


@dataclass(frozen=True)
class LinkResult:
    url: str
    status: str  # "ok", "moved" or "broken"
    detail: str  # the HTTP status, where it now leads, or the error

    @property
    def ok(self) -> bool:
        return self.status == "ok"


Fetch = Callable[[str], tuple[int, str]]  # url -> (HTTP status, final URL after redirects)


def fetch(url: str) -> tuple[int, str]:
    """GET the URL (many official sites refuse HEAD), following redirects; the status and final URL."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, response.geturl()
    except urllib.error.HTTPError as error:
        return error.code, error.geturl() or url


def check_url(url: str, get: Fetch | None = None) -> LinkResult:
    try:
        status, final = (get or fetch)(url)
    except (OSError, ValueError) as error:  # DNS, refused, TLS, timeout
        return LinkResult(url, "broken", str(getattr(error, "reason", error)))
    if not 200 <= status < 300:
        return LinkResult(url, "broken", f"HTTP {status}")
    if urlsplit(final).hostname != urlsplit(url).hostname:
        return LinkResult(url, "moved", f"now leads to {final}")
    return LinkResult(url, "ok", f"HTTP {status}")


def distinct_urls(catalogue: Catalogue) -> list[str]:
    """Every url and source of the data, once each, in the order of the files."""
    seen: dict[str, None] = {}
    for _where, fact in catalogue.facts():
        seen.setdefault(fact.url)
        seen.setdefault(fact.source)
    return list(seen)


def check_all(urls: Iterable[str], get: Fetch | None = None) -> list[LinkResult]:
    return [check_url(url, get) for url in urls]


# One fact as the data files write it: url, source, checked_on, to_verify on consecutive lines.
_FACT = re.compile(
    r'^url = "(?P<url>[^"]+)"\nsource = "(?P<source>[^"]+)"\nchecked_on = \d{4}-\d{2}-\d{2}\nto_verify = (?:true|false)$',
    re.MULTILINE,
)


def record(verified: set[str], today: date, folder: Path = DATA) -> int:
    """Mark as checked today every fact whose url and source are both verified; how many changed."""
    changed = 0
    for path in sorted(folder.glob("*.toml")):
        text = path.read_text("utf-8")

        def mark(match: re.Match[str]) -> str:
            nonlocal changed
            if match["url"] not in verified or match["source"] not in verified:
                return match[0]
            changed += 1
            return f'url = "{match["url"]}"\nsource = "{match["source"]}"\nchecked_on = {today.isoformat()}\nto_verify = false'

        updated = _FACT.sub(mark, text)
        if updated != text:
            path.write_text(updated, "utf-8")
    return changed
