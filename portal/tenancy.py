"""Tenant resolution and the ORM-level isolation filter.

Every tenant-owned model inherits `TenantScoped`. A `do_orm_execute` listener adds
`tenant_id == <active tenant>` to every ORM SELECT, UPDATE and DELETE that touches
such a model, and a `before_flush` listener refuses to write a row of another
tenant. With no active tenant the query raises `TenantScopeError`: isolation fails
closed. Code that really means to cross tenants says so with
`.execution_options(all_tenants=True)` or runs inside `tenant_scope(tenant)`.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import g, has_app_context
from sqlalchemy import ForeignKey, event
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, declared_attr, mapped_column, with_loader_criteria

_scoped_tenant_id: ContextVar[int | None] = ContextVar("crocevia_tenant_id", default=None)

ALL_TENANTS = "all_tenants"


class TenantScopeError(RuntimeError):
    """Raised when tenant data is read or written without an active tenant."""


class TenantScoped:
    """Mixin for rows owned by one tenant."""

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:  # noqa: N805 - SQLAlchemy declared_attr signature
        return mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), index=True, nullable=False)


def active_tenant_id() -> int | None:
    """The tenant the current code runs for: an explicit scope, else the request's tenant."""
    scoped = _scoped_tenant_id.get()
    if scoped is not None:
        return scoped
    if has_app_context():
        tenant = g.get("tenant")
        if tenant is not None:
            return tenant.id
    return None


@contextmanager
def tenant_scope(tenant) -> Iterator[None]:
    """Run a block (CLI, job, test) on behalf of `tenant`."""
    token = _scoped_tenant_id.set(tenant.id)
    try:
        yield
    finally:
        _scoped_tenant_id.reset(token)


def _touches_tenant_data(state: ORMExecuteState) -> bool:
    return any(issubclass(mapper.class_, TenantScoped) for mapper in state.all_mappers)


def _filter_tenant_rows(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.execution_options.get(ALL_TENANTS) or not _touches_tenant_data(state):
        return
    tenant_id = active_tenant_id()
    if tenant_id is None:
        raise TenantScopeError("Tenant data queried with no active tenant (fail closed).")
    state.statement = state.statement.options(
        with_loader_criteria(
            TenantScoped,
            lambda cls: cls.tenant_id == tenant_id,
            include_aliases=True,
        )
    )


def _refuse_foreign_writes(session: Session, _flush_context, _instances) -> None:
    if session.info.get(ALL_TENANTS):
        return
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if not isinstance(obj, TenantScoped):
            continue
        tenant_id = active_tenant_id()
        if tenant_id is None:
            raise TenantScopeError(f"{type(obj).__name__} written with no active tenant.")
        if obj.tenant_id is None:
            obj.tenant_id = tenant_id
        elif obj.tenant_id != tenant_id:
            raise TenantScopeError(f"{type(obj).__name__} of tenant {obj.tenant_id} written from tenant {tenant_id}.")


def install_tenant_filter(session_factory) -> None:
    """Attach the listeners to a session class or sessionmaker (idempotent)."""
    if not event.contains(session_factory, "do_orm_execute", _filter_tenant_rows):
        event.listen(session_factory, "do_orm_execute", _filter_tenant_rows)
        event.listen(session_factory, "before_flush", _refuse_foreign_writes)


@contextmanager
def all_tenants_writes(session: Session) -> Iterator[None]:
    """Allow a block (tenant sync, admin CLI) to write rows of several tenants."""
    session.info[ALL_TENANTS] = True
    try:
        yield
    finally:
        session.info.pop(ALL_TENANTS, None)


def forget_request_tenant(_exc: BaseException | None = None) -> None:
    """Teardown: a request's tenant never leaks into the next one."""
    g.pop("tenant", None)
