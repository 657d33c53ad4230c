"""Writes the demo directory (idempotent) and synthetic entries into the database."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import func, insert, select

from portal.auth.services import find_user_by_email
from portal.cli import demo_directory as data
from portal.cli.progress import bar
from portal.directory.services import add_approved_links
from portal.extensions import db
from portal.models import Entry, Organisation, Tenant
from portal.models.base import utcnow
from portal.models.directory import Event, Opportunity, Status, TrainingOffer, entry_tenant, organisation_editor
from portal.slugs import slugify
from portal.timezone import rome_today

CLASSES = {"opportunity": Opportunity, "training": TrainingOffer, "event": Event}


def _published(**fields: Any) -> dict[str, Any]:
    now = utcnow()
    return {"status": Status.PUBLISHED, "published_at": now, "reviewed_at": now, **fields}


def load_demo_directory(tenants: list[Tenant]) -> int:
    """Create the demo organisations and entries that are missing; partners edit their project's ones."""
    by_slug = {t.slug: t for t in tenants}
    added = 0
    orgs: dict[str, Organisation] = {o.name: o for o in db.session.scalars(select(Organisation))}
    for number, (slug, name, kind, legal, ateco, comune, prov, hosts, text) in enumerate(data.ORGANISATIONS):
        if name in orgs or slug not in by_slug:
            continue
        org = Organisation(
            **_published(
                slug=slugify(name, 100),
                name=name,
                kind=kind,
                legal_form=legal,
                ateco_section=ateco,
                comune=comune,
                province=prov,
                hosts_interns=hosts,
                intern_places=2 if hosts else 0,
                description=text,
                vat_number=data.valid_vat(number + 1) if kind in ("company", "cooperative") else "",
                email=f"info@{slugify(name, 30)}.example",
            )
        )
        db.session.add(org)
        add_approved_links(org, [by_slug[slug].id])
        orgs[name] = org
        added += 1
        editor = find_user_by_email(f"partner.{slug}@crocevia.example")
        if editor is not None:
            db.session.flush()
            db.session.execute(insert(organisation_editor).values(organisation_id=org.id, user_id=editor.id))
    titles = set(db.session.scalars(select(Entry.title)))
    today = rome_today()
    for slug, org_name, kind, title, comune, prov, days, extra in data.ENTRIES:
        if title in titles or org_name not in orgs:
            continue
        entry = CLASSES[kind](
            **_published(
                slug=slugify(title, 120),
                title=title,
                comune=comune,
                province=prov,
                organisation=orgs[org_name],
                **extra,
                **data.entry_dates(kind, today + timedelta(days=days)),
            )
        )
        entry.tenants = [by_slug[slug]]
        entry.closes_on = entry.compute_closes_on()
        db.session.add(entry)
        added += 1
    db.session.commit()
    return added


def generate_synthetic_entries(count: int, tenants: list[Tenant], seed: int = 7) -> int:
    """`count` published entries with varied Italian text, inserted in bulk."""
    rng = random.Random(seed)
    sentences = data.corpus_sentences(Path(current_app.config["TENANTS_DIR"]))
    start = (db.session.scalar(select(func.max(Entry.id))) or 0) + 1
    org_rows = []
    for number in range(max(1, count // 20)):
        comune, province = rng.choice(data.COMUNI)
        org_rows.append(
            _published(
                slug=f"synthetic-org-{start}-{number}",
                name=f"Impresa {rng.choice(data.ROLES).title()} {number}",
                kind="company",
                comune=comune,
                province=province,
                version=1,
                ateco_section=rng.choice("CFGHINQS"),
                description=" ".join(rng.sample(sentences, 2)),
                created_at=utcnow(),
                updated_at=utcnow(),
            )
        )
    db.session.execute(insert(Organisation), org_rows)
    org_ids = list(
        db.session.scalars(select(Organisation.id).where(Organisation.slug.like(f"synthetic-org-{start}-%")))
    )
    today, tenant_ids = rome_today(), [t.id for t in tenants]
    progress = bar(count, "generating", "entry")
    for offset in range(0, count, 2000):
        rows, links = [], []
        for number in range(offset, min(count, offset + 2000)):
            item = data.synthetic_entry(rng, sentences, start + number)
            closes = today + timedelta(days=item.pop("closes_in"))
            rows.append(
                _published(
                    id=start + number,
                    slug=f"synthetic-{start + number}",
                    organisation_id=rng.choice(org_ids),
                    closes_on=closes,
                    target_groups=rng.sample(sorted(data_targets()), 2),
                    is_free=rng.choice([True, False, None]),
                    version=1,
                    created_at=utcnow(),
                    updated_at=utcnow(),
                    address="",
                    **item,
                    deadline=closes if item["kind"] == "opportunity" else None,
                )
            )
            links.append({"entry_id": start + number, "tenant_id": rng.choice(tenant_ids)})
        entry_table = Entry.__table__
        db.session.execute(insert(entry_table), [{**r, "status": r["status"].value} for r in rows])  # type: ignore[arg-type]
        db.session.execute(insert(entry_tenant), links)
        progress.update(len(rows))
    progress.close()
    db.session.commit()
    return count


def data_targets() -> set[str]:
    from portal.directory.vocabulary import TARGET_GROUPS

    return set(TARGET_GROUPS)
