"""The tenant guard fails closed for every kind of statement (issue 9): the edges a review
reproduced, then a property test that generates statements against every tenant-owned model
and checks that each one is scoped to the active tenant or refused."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, exists, func, insert, select, text, update
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.models import (
    Delivery,
    InternshipOutcome,
    Issue,
    Membership,
    NewsPost,
    Opportunity,
    Organisation,
    Subscription,
    Tenant,
    User,
)
from portal.tenancy import TenantScopeError, all_tenants_writes, tenant_owned_models, tenant_scope
from tests.snapshots import built_once


@pytest.fixture
@built_once
def two_tenants(app, tenants, make_user):
    """alice and ciao, each with a row of every tenant-owned model."""
    user_id = make_user("persona@example.it")
    ids = {}
    with app.app_context(), all_tenants_writes(db.session):
        org = Organisation(slug="officina", name="Officina", kind="company")
        entry = Opportunity(slug="tirocinio", organisation=org, title="Tirocinio", description="x")
        db.session.add_all([org, entry])
        db.session.flush()
        for slug in ("alice", "ciao"):
            tenant = db.session.get(Tenant, tenants[slug].id)
            with tenant_scope(tenant):
                db.session.add(Membership(tenant_id=tenant.id, user_id=user_id, role="member"))
                db.session.add(
                    NewsPost(tenant_id=tenant.id, slug=f"n-{slug}", title=f"News {slug}", body_md="x", body_html="x")
                )
                subscription = Subscription(tenant_id=tenant.id, email=f"{slug}@example.it", status="confirmed")
                issue = Issue(tenant_id=tenant.id, subject=f"Issue {slug}")
                db.session.add_all([subscription, issue])
                db.session.flush()
                db.session.add(
                    Delivery(
                        tenant_id=tenant.id,
                        issue_id=issue.id,
                        subscription_id=subscription.id,
                        email=subscription.email,
                    )
                )
                db.session.add(InternshipOutcome(tenant_id=tenant.id, entry_id=entry.id, started_on=date(2025, 3, 1)))
                db.session.flush()
            ids[slug] = tenant.id
        db.session.commit()
    return ids


# --- the edges reproduced in review ---------------------------------------------------


def test_get_does_not_hand_out_another_tenants_row_from_the_identity_map(app, two_tenants):
    with app.app_context():
        with tenant_scope(db.session.get(Tenant, two_tenants["ciao"])):
            post = db.session.scalar(select(NewsPost))
            post_id = post.id
        with tenant_scope(db.session.get(Tenant, two_tenants["alice"])):
            assert db.session.get(NewsPost, post_id) is None  # it is in the identity map, and still not given
        with pytest.raises(TenantScopeError):
            db.session.get(NewsPost, post_id)  # no scope at all: fail closed


def test_get_with_the_filter_off_then_a_scope_does_not_leak(app, two_tenants):
    with app.app_context():
        post = db.session.scalar(
            select(NewsPost).where(NewsPost.tenant_id == two_tenants["ciao"]).execution_options(all_tenants=True)
        )
        with tenant_scope(db.session.get(Tenant, two_tenants["alice"])):
            assert db.session.get(NewsPost, post.id) is None


def test_a_tenant_table_reached_only_through_a_join_select_from_or_subquery_is_scoped(app, two_tenants):
    with app.app_context(), tenant_scope(db.session.get(Tenant, two_tenants["alice"])):
        via_join = db.session.scalar(
            select(func.count()).select_from(User).join(Membership, Membership.user_id == User.id)
        )
        via_select_from = db.session.scalar(select(func.count()).select_from(Membership))
        via_subquery = db.session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.id.in_(select(Membership.user_id).where(Membership.tenant_id == two_tenants["ciao"])))
        )
        via_exists = db.session.scalar(select(exists().where(NewsPost.tenant_id == two_tenants["ciao"])))
    assert (via_join, via_select_from, via_subquery, via_exists) == (1, 1, 0, False)


def test_raw_table_references_are_refused(app, two_tenants):
    table = Membership.__table__
    with app.app_context(), tenant_scope(db.session.get(Tenant, two_tenants["alice"])):
        for statement in (
            select(func.count()).select_from(table),
            select(table.c.id),
            select(User.id).join(table, table.c.user_id == User.id),
        ):
            with pytest.raises(TenantScopeError):
                db.session.execute(statement)


def test_an_orm_bulk_insert_with_a_foreign_tenant_id_is_refused(app, two_tenants, tenants):
    with app.app_context(), tenant_scope(db.session.get(Tenant, two_tenants["alice"])):
        with pytest.raises(TenantScopeError):
            db.session.execute(
                insert(NewsPost),
                [{"tenant_id": two_tenants["ciao"], "slug": "x", "title": "x", "body_md": "x", "body_html": "x"}],
            )
        db.session.rollback()
        db.session.execute(
            insert(NewsPost),
            [{"tenant_id": two_tenants["alice"], "slug": "ok", "title": "x", "body_md": "x", "body_html": "x"}],
        )
        assert db.session.scalar(select(func.count()).select_from(NewsPost)) == 2


def test_refresh_under_another_tenants_scope_does_not_load_the_row(app, two_tenants):
    with app.app_context():
        with tenant_scope(db.session.get(Tenant, two_tenants["ciao"])):
            post = db.session.scalar(select(NewsPost))
        with tenant_scope(db.session.get(Tenant, two_tenants["alice"])), pytest.raises(TenantScopeError):
            db.session.refresh(post)


def test_text_and_core_statements_on_tenant_tables_are_refused(app, two_tenants):
    table = NewsPost.__table__
    with app.app_context(), tenant_scope(db.session.get(Tenant, two_tenants["alice"])):
        for statement in (
            text("SELECT title FROM news_post"),
            text("UPDATE news_post SET title = 'x'"),
            update(table).values(title="x"),
            delete(table),
            insert(table).values(tenant_id=two_tenants["ciao"], slug="x", title="x", body_md="x", body_html="x"),
        ):
            with pytest.raises(TenantScopeError):
                db.session.execute(statement)
        assert db.session.execute(text("SELECT count(*) FROM tenant")).scalar() == 5  # shared tables are fine
    with app.app_context():  # an explicit, visible escape hatch
        titles = db.session.execute(text("SELECT title FROM news_post").execution_options(all_tenants=True)).all()
        assert len(titles) == 2


def test_the_guard_is_on_the_applications_session_not_on_every_session(app, two_tenants):
    with app.app_context():
        with Session(db.engine) as plain:  # another program's session on the same engine: not ours to police
            assert plain.scalar(select(func.count()).select_from(NewsPost)) == 2
        with pytest.raises(TenantScopeError):
            db.session.scalar(select(func.count()).select_from(NewsPost))


def test_every_tenant_owned_model_is_known_to_the_guard():
    assert {m.__name__ for m in tenant_owned_models()} >= {
        "Membership",
        "Page",
        "NewsPost",
        "Subscription",
        "Issue",
        "Delivery",
        "InternshipOutcome",
    }


# --- the property test ----------------------------------------------------------------------

SHAPES = (
    "entity",
    "column",
    "count_select_from",
    "join_from_user",
    "subquery_in",
    "exists",
    "raw_table_count",
    "orm_update",
    "orm_update_to_other",
    "orm_delete",
    "core_update",
    "core_delete",
    "orm_bulk_insert_foreign",
    "core_insert",
    "text_select",
    "get_foreign",
    "where_other_tenant",
    "scalar_subquery",
    "cte",
)


def _statement(shape: str, model, own: int, other: int):
    table = model.__table__
    column = model.id
    if shape == "entity":
        return select(model)
    if shape == "column":
        return select(column)
    if shape == "count_select_from":
        return select(func.count()).select_from(model)
    if shape == "join_from_user":
        return select(func.count(model.id)).select_from(Tenant).join(model, model.tenant_id == Tenant.id)
    if shape == "subquery_in":
        return select(func.count()).select_from(Tenant).where(Tenant.id.in_(select(model.tenant_id)))
    if shape == "exists":
        return select(exists().where(model.tenant_id == other))
    if shape == "raw_table_count":
        return select(func.count()).select_from(table)
    if shape == "orm_update":
        return update(model).values(tenant_id=own)
    if shape == "orm_update_to_other":
        return update(model).values(tenant_id=other)
    if shape == "scalar_subquery":
        return select(Tenant.id, select(func.count(model.id)).where(model.tenant_id == Tenant.id).scalar_subquery())
    if shape == "cte":
        ids = select(model.id, model.tenant_id).cte()
        return select(func.count()).select_from(ids)
    if shape == "orm_delete":
        return delete(model).where(model.tenant_id == other)
    if shape == "core_update":
        return update(table).values(tenant_id=own)
    if shape == "core_delete":
        return delete(table).where(table.c.tenant_id == other)
    if shape == "core_insert":
        return insert(table).values(tenant_id=other)
    if shape == "text_select":
        return text(f"SELECT count(*) FROM {table.name}")
    if shape == "where_other_tenant":
        return select(model).where(model.tenant_id == other)
    raise AssertionError(shape)


def _counts(model) -> dict[int, int]:
    return dict(
        db.session.execute(
            select(model.tenant_id, func.count()).group_by(model.tenant_id).execution_options(all_tenants=True)
        ).all()
    )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    model=st.sampled_from(sorted(tenant_owned_models(), key=lambda m: m.__name__)),
    shape=st.sampled_from(SHAPES),
    own_is_alice=st.booleans(),
)
def test_every_generated_statement_is_scoped_or_refused(app, two_tenants, model, shape, own_is_alice):
    own, other = (
        (two_tenants["alice"], two_tenants["ciao"]) if own_is_alice else (two_tenants["ciao"], two_tenants["alice"])
    )
    with app.app_context():
        before = _counts(model)
        with tenant_scope(db.session.get(Tenant, own)):
            try:
                if shape == "get_foreign":
                    foreign_id = db.session.scalar(
                        select(model.id).where(model.tenant_id == other).execution_options(all_tenants=True)
                    )
                    result = [db.session.get(model, foreign_id)]
                    assert result == [None]
                elif shape == "orm_bulk_insert_foreign":
                    db.session.execute(insert(model), [{"tenant_id": other}])
                    raise AssertionError("a foreign bulk insert went through")
                else:
                    result = db.session.execute(_statement(shape, model, own, other))
                    rows = result.all() if getattr(result, "returns_rows", True) else []
                    _check_rows(shape, model, rows, own, other)
                db.session.flush()
            except TenantScopeError:
                pass  # refused: fine
            finally:
                db.session.rollback()
        after = _counts(model)
        assert after.get(other) == before.get(other)  # the other tenant's rows are untouched


def _check_rows(shape: str, model, rows, own: int, other: int) -> None:
    own_count = _counts(model).get(own, 0)
    if shape in ("entity", "where_other_tenant"):
        assert all(row[0].tenant_id == own for row in rows)
        if shape == "where_other_tenant":
            assert rows == []
    elif shape == "column":
        own_ids = set(
            db.session.scalars(select(model.id).where(model.tenant_id == own).execution_options(all_tenants=True))
        )
        assert {row[0] for row in rows} <= own_ids
    elif shape in ("count_select_from", "join_from_user", "raw_table_count", "text_select"):
        assert rows[0][0] == own_count  # only the own tenant's rows are counted
    elif shape == "subquery_in":
        assert rows[0][0] == 1  # only the own tenant has rows visible
    elif shape == "exists":
        assert rows[0][0] is False
    elif shape == "scalar_subquery":
        assert {tenant_id: count for tenant_id, count in rows if count} == {own: own_count}
    elif shape == "cte":
        assert rows[0][0] == own_count
