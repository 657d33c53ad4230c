"""Writes the demo network (idempotent) and synthetic entries into the database."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import func, insert, select

from portal.auth.services import find_user_by_email
from portal.cli import demo_network as demo
from portal.cli.progress import bar
from portal.directory.services import add_approved_links
from portal.extensions import db
from portal.models import Entry, Organisation, Tenant
from portal.models.base import utcnow
from portal.models.directory import Event, Opportunity, Status, TrainingOffer, entry_tenant, organisation_editor
from portal.slugs import slugify, unique_slug
from portal.timezone import rome_today

CLASSES = {"opportunity": Opportunity, "training": TrainingOffer, "event": Event}


def _published(**fields: Any) -> dict[str, Any]:
    now = utcnow()
    return {"status": Status.PUBLISHED, "published_at": now, "reviewed_at": now, **fields}


def load_demo_directory(tenants: list[Tenant]) -> int:
    """Create the demo organisations and entries that are missing; each project's partner edits its
    project's organisations."""
    by_slug = {t.slug: t for t in tenants}
    added = 0
    existing: dict[str, Organisation] = {o.name: o for o in db.session.scalars(select(Organisation))}
    demo_orgs, demo_entries = demo.network(rome_today())
    orgs: dict[str, Organisation] = {}
    for item in demo_orgs:
        if item.tenant not in by_slug:
            continue
        org = existing.get(item.fields["name"])
        if org is None:
            org = Organisation(**_published(slug=unique_slug(Organisation, slugify(item.fields["name"], 100)),
                                            **item.fields))  # fmt: skip
            db.session.add(org)
            db.session.flush()
            add_approved_links(org, [by_slug[item.tenant].id])
            editor = find_user_by_email(f"partner.{item.tenant}@crocevia.example")
            if editor is not None:
                db.session.execute(insert(organisation_editor).values(organisation_id=org.id, user_id=editor.id))
            added += 1
        orgs[item.key] = org
    titles = set(db.session.scalars(select(Entry.title)))
    for entry_data in demo_entries:
        title = entry_data.fields["title"]
        if title in titles or entry_data.organisation not in orgs:
            continue
        entry = CLASSES[entry_data.kind](**_published(
            slug=unique_slug(Entry, slugify(title, 120)), organisation=orgs[entry_data.organisation],
            **entry_data.fields))  # fmt: skip
        entry.tenants = [by_slug[entry_data.tenant]]
        entry.closes_on = entry.compute_closes_on()
        db.session.add(entry)
        titles.add(title)
        added += 1
    db.session.commit()
    return added


def generate_synthetic_entries(count: int, tenants: list[Tenant], seed: int = 7) -> int:
    """`count` published entries in the style of the demo network, inserted in bulk."""
    rng = random.Random(seed)
    sentences = demo.corpus_sentences(Path(current_app.config["TENANTS_DIR"]))
    start = (db.session.scalar(select(func.max(Entry.id))) or 0) + 1
    org_rows = []
    for number in range(max(1, count // 20)):
        territory = rng.choice(demo.TERRITORIES)
        comune = rng.choice(territory.comuni())
        template = rng.choice(demo.ORGANISATIONS)
        org_rows.append(_published(
            slug=f"synthetic-org-{start}-{number}", name=f"{template.name} {number} – {comune.name}",
            kind=template.kind, comune=comune.name, comune_code=comune.code, province=comune.province, version=1,
            ateco_code=template.ateco, description=f"{demo.FICTITIOUS} " + " ".join(rng.sample(sentences, 2)),
            created_at=utcnow(), updated_at=utcnow()))  # fmt: skip
    db.session.execute(insert(Organisation), org_rows)
    org_ids = list(
        db.session.scalars(select(Organisation.id).where(Organisation.slug.like(f"synthetic-org-{start}-%")))
    )
    today, tenant_ids = rome_today(), [t.id for t in tenants]
    progress = bar(count, "generating", "entry")
    for offset in range(0, count, 2000):
        rows, links = [], []
        for number in range(offset, min(count, offset + 2000)):
            item = demo.synthetic_entry(rng, sentences, start + number, today)
            rows.append(_published(
                id=start + number, slug=f"synthetic-{start + number}", organisation_id=rng.choice(org_ids),
                is_free=rng.choice([True, False, None]), version=1, created_at=utcnow(), updated_at=utcnow(),
                address="", **item))  # fmt: skip
            links.append({"entry_id": start + number, "tenant_id": rng.choice(tenant_ids)})
        keys = set().union(*rows) & set(Entry.__table__.c.keys())  # one statement: every row the same keys
        rows = [{k: (r["status"].value if k == "status" else r.get(k)) for k in keys} for r in rows]
        db.session.execute(insert(Entry.__table__), rows)  # type: ignore[arg-type]
        db.session.execute(insert(entry_tenant), links)
        progress.update(len(rows))
    progress.close()
    db.session.commit()
    return count
