"""What an alert keeps of a search page: its scope (network, one kind, one project's slice),
its words and its filters, in a canonical form, so that the same search saved twice is one
alert, and the search can be re-run, linked and described."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from portal.directory import vocabulary as voc
from portal.directory.kinds import KIND_PATHS
from portal.directory.search import query_from_args
from portal.directory.template_helpers import facet_label, facet_title, kind_label
from portal.models import Alert, Tenant
from portal.projects import short_names
from portal.security import UNUSABLE
from portal.urls import public_url
from portal.vocabularies import ateco
from search_index import SearchQuery
from search_index.contract import FACET_FIELDS

# Filters an alert keeps: words and facets; not the order, the page or the archive (an alert is
# about what is new and open), nor the open/closed facet.
KEPT = ("q", *(name for name in FACET_FIELDS if name != "status"))
MAX_PAIRS = 20
MAX_WORDS = 120
DESCRIPTION_LENGTH = 160
COMUNE = re.compile(r"^[^\W\d_][\w' .-]{0,59}$")


def is_known(name: str, value: str) -> bool:
    """A filter value the portal's vocabularies offer (what a search page's checkboxes send)."""
    if name == "tenants":
        return value in short_names()
    if name == "province":
        return value in voc.PROVINCES
    if name == "sector":
        return any(section.code == value for section in ateco.sections())
    if name == "comune":
        return bool(COMUNE.match(value))
    tables = {"kind": voc.KINDS, "targets": voc.TARGET_GROUPS, "cost": voc.COST, "allowance": voc.ALLOWANCE,
              "opportunity_type": voc.OPPORTUNITY_GROUPS, "deadline": voc.DEADLINE_WINDOWS}  # fmt: skip
    return value in tables.get(name, {})


@dataclass(frozen=True)
class SavedSearch:
    tenant: Tenant | None
    kind: str | None
    params: tuple[tuple[str, str], ...]

    @classmethod
    def from_query_string(cls, query_string: str, tenant: Tenant | None, kind: str | None) -> SavedSearch:
        pairs = parse_qsl(query_string[:4000], keep_blank_values=False)
        return cls.from_pairs(pairs, tenant, kind)

    @classmethod
    def from_pairs(cls, pairs, tenant: Tenant | None, kind: str | None, *, known_only: bool = True) -> SavedSearch:
        """The canonical search: words in lower case with single spaces, no control characters;
        with `known_only` (saving a new alert) only filter values the vocabularies know."""
        kept: set[tuple[str, str]] = set()
        for name, raw in pairs:
            value = " ".join(UNUSABLE.sub(" ", str(raw)).split())
            value = value.lower()[:MAX_WORDS] if name == "q" else value[:100]
            wanted = name in KEPT and value and not (kind and name == "kind")
            if wanted and (name == "q" or not known_only or is_known(name, value)):
                kept.add((name, value))
        return cls(tenant, kind if kind in KIND_PATHS else None, tuple(sorted(kept))[:MAX_PAIRS])

    @classmethod
    def of(cls, alert: Alert, tenant: Tenant | None) -> SavedSearch:
        """A saved alert's search as it was saved (a value since gone from a vocabulary stays, and
        simply matches nothing new)."""
        return cls.from_pairs([tuple(pair) for pair in alert.params], tenant, alert.kind, known_only=False)

    @property
    def key(self) -> str:
        scope = [self.tenant.slug if self.tenant else "", self.kind or "", list(self.params)]
        return hashlib.sha256(json.dumps(scope, ensure_ascii=False).encode()).hexdigest()

    @property
    def text(self) -> str:
        return next((value for name, value in self.params if name == "q"), "")

    def query(self) -> SearchQuery:
        """The search, newest first, open entries only."""
        query = query_from_args(MultiDict(list(self.params)), self.tenant, self.kind)
        query.sort, query.with_facets = "newest", False
        return query

    def url(self, build: Callable[..., str] = public_url) -> str:
        """The search page itself: on the public address (mails, feeds), or `url_for` for pages."""
        args: dict[str, list[str]] = {}
        for name, value in self.params:
            args.setdefault(name, []).append(value)
        if self.tenant is not None:
            return build("tenant_site.directory_slice", tenant=self.tenant.slug, **args)
        if self.kind:
            return build("directory.listing", kind_path=KIND_PATHS[self.kind], **args)
        return build("directory.search", **args)

    def describe(self) -> str:
        """The search in words, for the alert's mail and page: «tirocinio» · Province: Asti."""
        parts = [f"«{self.text}»"] if self.text else []
        if self.kind:
            parts.append(kind_label(self.kind))
        by_name: dict[str, list[str]] = {}
        for name, value in self.params:
            if name != "q":
                by_name.setdefault(name, []).append(facet_label(name, value))
        parts += [f"{facet_title(name)}: {', '.join(values)}" for name, values in by_name.items()]
        if self.tenant is not None:
            parts.append(self.tenant.short_name)
        described = " · ".join(parts) or _("Everything new in the directory")
        return described if len(described) <= DESCRIPTION_LENGTH else described[: DESCRIPTION_LENGTH - 1] + "…"
