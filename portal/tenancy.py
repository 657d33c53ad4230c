"""Tenant isolation: one guard on the application's session that scopes or refuses every
statement touching a tenant-owned table.

Design (see also docs/tenancy.md)
---------------------------------
Every tenant-owned model inherits `TenantScoped` (a `tenant_id NOT NULL` column). The
*active tenant* is the one of `tenant_scope(tenant)` (CLI, jobs, tests) or else the
request's `g.tenant` (set from `/<tenant>/...` before any view runs). The guard lives on
the application's session class (`PortalSession`, the class of `db.session`), not on
SQLAlchemy's global `Session`, and it *fails closed*: what it cannot prove scoped, it refuses
with `TenantScopeError`.

- ORM statements (select, update, delete, including joins, `select_from`, subqueries,
  EXISTS, CTEs, relationship and refresh loads) get `tenant_id = <active>` on every tenant
  entity through `with_loader_criteria`. A tenant-owned *table* used raw (not through its
  model) inside such a statement cannot be scoped that way, so the statement is refused.
- An UPDATE may not set `tenant_id` to another tenant.
- ORM bulk INSERT (`session.execute(insert(Model), rows)`) and `insert(Model).values(...)`
  are checked row by row: every `tenant_id` must be the active tenant.
- Core statements and `text()` that name a tenant-owned table are refused.
- `session.get()` (which may answer from the identity map without SQL) and `session.refresh()`
  check the object's tenant: another tenant's row is not found (`get`) or refused (`refresh`).
- At flush, new, changed and deleted tenant rows must belong to the active tenant
  (a missing `tenant_id` is filled in).
- With no active tenant, any of the above raises.

Crossing tenants is always explicit and visible in the code: `execution_options(all_tenants=True)`
on one statement, or `all_tenants_writes(session)` for a block of writes (tenant sync, admin CLI).
Connections taken straight from the engine (migrations, test set-up) are outside the
session and outside the guard, on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from flask import g, has_app_context
from flask_sqlalchemy.session import Session as FlaskSQLAlchemySession
from sqlalchemy import ForeignKey, event
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, declared_attr, mapped_column, with_loader_criteria
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BindParameter, TextClause
from sqlalchemy.sql.expression import TableClause
from sqlalchemy.util import LRUCache

_scoped_tenant_id: ContextVar[int | None] = ContextVar("crocevia_tenant_id", default=None)

ALL_TENANTS = "all_tenants"


class TenantScopeError(RuntimeError):
    """Raised when tenant data is read or written without an active tenant, for another
    tenant, or by a statement the guard cannot prove scoped."""


class TenantScoped:
    """Mixin for rows owned by one tenant."""

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:  # noqa: N805 - SQLAlchemy declared_attr signature
        return mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), index=True, nullable=False)


def tenant_owned_models() -> list[type]:
    """Every mapped class that is TenantScoped (the guard's and the property test's list)."""
    from portal.extensions import db

    registry = db.Model.registry  # type: ignore[attr-defined]
    return [mapper.class_ for mapper in registry.mappers if issubclass(mapper.class_, TenantScoped)]


class _TenantTables:
    """The tenant-owned table names (and a pattern finding them in SQL text), computed again only
    when a class was mapped since: every statement asks."""

    mapped = -1
    names: frozenset[str] = frozenset()
    pattern = re.compile("(?!)")

    def current(self) -> _TenantTables:
        from portal.extensions import db

        mapped = len(db.Model.registry.mappers)  # type: ignore[attr-defined]
        if mapped != self.mapped:
            self.names = frozenset(model.__table__.name for model in tenant_owned_models())  # type: ignore[attr-defined]
            alternatives = "|".join(re.escape(name) for name in sorted(self.names))
            self.pattern = re.compile(rf"\b({alternatives})\b", re.IGNORECASE)
            self.mapped = mapped
        return self


_TENANT_TABLES = _TenantTables()


def _tenant_tables() -> frozenset[str]:
    return _TENANT_TABLES.current().names


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


def _require_tenant(what: str) -> int:
    tenant_id = active_tenant_id()
    if tenant_id is None:
        raise TenantScopeError(f"{what} with no active tenant (fail closed).")
    return tenant_id


# --- reading the statement ---------------------------------------------------------------


# Statements of one shape reach the same tables: keyed by SQLAlchemy's cache key (the structure,
# ORM entities included, without the bound values), a walk is done once per shape, not per statement.
_REACHED_BY_SHAPE: LRUCache[Any, tuple[frozenset[str], frozenset[str]]] = LRUCache(1000)


def _tables_reached(statement) -> tuple[frozenset[str], frozenset[str]]:
    """(tenant tables the statement uses, tenant tables it reaches through ORM entities)."""
    tenant_tables = _tenant_tables()
    cache_key = statement._generate_cache_key()
    if cache_key is None:  # a construct SQLAlchemy cannot cache: walk it every time
        return _walk(statement, tenant_tables)
    shape = (cache_key.key, tenant_tables)
    reached = _REACHED_BY_SHAPE.get(shape)
    if reached is None:
        reached = _REACHED_BY_SHAPE[shape] = _walk(statement, tenant_tables)
    return reached


def _walk(statement, tenant_tables: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    used: set[str] = set()
    through_orm: set[str] = set()
    for element in visitors.iterate(statement):
        if isinstance(element, TableClause) and element.name in tenant_tables:
            used.add(element.name)
        entity = getattr(element, "_annotations", {}).get("parententity")
        if entity is not None:
            for table in entity.mapper.tables:
                if table.name in tenant_tables:
                    through_orm.add(table.name)
    return frozenset(used), frozenset(through_orm)


def _text_names_a_tenant_table(clause: TextClause) -> bool:
    return _TENANT_TABLES.current().pattern.search(clause.text) is not None


def _bound_value(value: Any) -> Any:
    return value.value if isinstance(value, BindParameter) else value


def _inline_tenant_ids(statement) -> list[Any] | None:
    """`tenant_id` values written inline by an INSERT/UPDATE's `.values(...)`, or None when
    the statement writes none; a value that is not a plain bound value reads as unprovable."""
    values = getattr(statement, "_values", None) or {}
    found = [
        _bound_value(value)
        for column, value in values.items()
        if getattr(column, "key", getattr(column, "name", column)) == "tenant_id"
    ]
    if getattr(statement, "_multi_values", None):
        found.append(object())  # multi-row VALUES: not provable here
    return found or None


def _check_rows(parameters: Any, tenant_id: int) -> None:
    rows = parameters if isinstance(parameters, list | tuple) else [parameters]
    for row in rows:
        if not isinstance(row, dict) or row.get("tenant_id") != tenant_id:
            raise TenantScopeError("bulk insert of rows for another (or no) tenant refused.")


# --- the guard ---------------------------------------------------------------------------------


def _guard_statement(state: ORMExecuteState) -> None:
    """do_orm_execute: scope ORM statements on tenant entities; refuse what cannot be scoped."""
    if state.execution_options.get(ALL_TENANTS):
        return
    statement = state.statement
    if isinstance(statement, TextClause):
        if _text_names_a_tenant_table(statement):
            raise TenantScopeError("text() statement on a tenant-owned table (use all_tenants=True if meant).")
        return
    used, through_orm = _tables_reached(statement)
    if not used and not through_orm:
        return
    tenant_id = _require_tenant("Tenant data queried")
    if used - through_orm:
        raise TenantScopeError(
            f"statement reaches tenant tables {sorted(used - through_orm) or sorted(used)} "
            "without their models: it cannot be scoped (fail closed)."
        )
    if state.is_insert:
        inline = _inline_tenant_ids(statement)
        if inline is not None and any(value != tenant_id for value in inline):
            raise TenantScopeError("insert for another tenant refused.")
        if inline is None:
            if getattr(statement, "select", None) is not None:
                raise TenantScopeError("INSERT … SELECT on a tenant table refused.")
            _check_rows(state.parameters, tenant_id)
        return
    if state.is_update:
        inline = _inline_tenant_ids(statement) or []
        if any(value != tenant_id for value in inline):
            raise TenantScopeError("update moving rows to another tenant refused.")
    state.statement = statement.options(
        with_loader_criteria(TenantScoped, lambda cls: cls.tenant_id == tenant_id, include_aliases=True)
    )


def _refuse_foreign_writes(session: Session, _flush_context, _instances) -> None:
    """before_flush: new, changed and deleted tenant rows belong to the active tenant."""
    if session.info.get(ALL_TENANTS):
        return
    for obj in [*session.new, *session.dirty, *session.deleted]:
        if not isinstance(obj, TenantScoped):
            continue
        tenant_id = _require_tenant(f"{type(obj).__name__} written")
        if obj.tenant_id is None:
            obj.tenant_id = tenant_id
        elif obj.tenant_id != tenant_id:
            raise TenantScopeError(f"{type(obj).__name__} of tenant {obj.tenant_id} written from tenant {tenant_id}.")


class PortalSession(FlaskSQLAlchemySession):
    """The class of `db.session`: `get` and `refresh` respect the active tenant too, since
    they can answer from the identity map without a statement the guard would see."""

    def _foreign(self, obj: Any) -> bool:
        if obj is None or not isinstance(obj, TenantScoped) or self.info.get(ALL_TENANTS):
            return False
        return obj.tenant_id != _require_tenant(f"{type(obj).__name__} read")

    def get(self, entity: Any, ident: Any, **kwargs: Any) -> Any:
        options = kwargs.get("execution_options") or {}
        obj = super().get(entity, ident, **kwargs)
        if options.get(ALL_TENANTS):
            return obj
        if isinstance(entity, type) and issubclass(entity, TenantScoped) and obj is None:
            _require_tenant(f"{entity.__name__} read")
        return None if self._foreign(obj) else obj

    def refresh(self, instance: object, attribute_names: Any = None, with_for_update: Any = None) -> None:
        if self._foreign(instance):
            raise TenantScopeError(f"refresh of another tenant's {type(instance).__name__} refused.")
        super().refresh(instance, attribute_names=attribute_names, with_for_update=with_for_update)


def install_tenant_guard(session_target) -> None:
    """Attach the guard to the application's session (idempotent)."""
    if not event.contains(session_target, "do_orm_execute", _guard_statement):
        event.listen(session_target, "do_orm_execute", _guard_statement)
        event.listen(session_target, "before_flush", _refuse_foreign_writes)


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
