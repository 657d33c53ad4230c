"""domain model: official vocabularies, internships, eligibility

Revision ID: 0006_domain_model
Revises: 0005_postgres_search
Create Date: 2026-12-01

Organisations get ATECO 2025 codes, ISTAT comune codes, headcount, accreditations and intern
profiles; entries get ISTAT comune codes, eligibility (age, DID, residence permit, Italian level,
qualification, access route) and, for opportunities and training, the structured fields of
internships, work grants, jobs and courses. Existing rows are kept: every old value is mapped
to the new vocabularies where the mapping is certain (a comune spelt as ISTAT spells it, an
ATECO 2007 section that did not split, "6 mesi", "600 € al mese"); what cannot be mapped is
kept in `to_complete` ({field: old value}), which the row's editors see as "to be completed".
The same mapping is applied to changes waiting for review (`pending_changes`).
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0006_domain_model"
down_revision = "0005_postgres_search"
branch_labels = None
depends_on = None

ENTRY_COLUMNS = [
    ("comune_code", sa.String(6)), ("age_min", sa.Integer()), ("age_max", sa.Integer()),
    ("did_required", sa.Boolean()), ("permit_accepted", sa.Boolean()), ("italian_level", sa.String(2)),
    ("qualification", sa.String(200)), ("access_route", sa.String(20)), ("to_complete", sa.JSON(none_as_null=True)),
    ("programme", sa.String(20)), ("promoter", sa.String(200)), ("host", sa.String(200)),
    ("duration_months", sa.Integer()), ("hours_per_week", sa.Integer()), ("monthly_allowance", sa.Integer()),
    ("allowance_paid_by", sa.String(20)), ("meal_vouchers", sa.Boolean()), ("contract_type", sa.String(20)),
    ("ccnl", sa.String(120)), ("l68_reserved", sa.Boolean()), ("sessions", sa.Integer()), ("eqf_level", sa.Integer()),
    ("certificate", sa.String(30)), ("italian_level_reached", sa.String(2)),
]  # fmt: skip
# Only a value that says one thing is converted ("6 mesi", "1.200 € lordi al mese"); ranges,
# yearly sums, cents and anything else are kept for the editors in `to_complete`.
DUPLICATE = "duplicate:"  # a note's marker: the code was already another organisation's (shown translated)
MONTHS = re.compile(r"^\s*(\d{1,2})\s*mes[ei]\s*$", re.IGNORECASE)
EUROS = re.compile(
    r"^\s*(?:€|euro)?\s*(\d{1,3}(?:\.\d{3})+|\d{1,5})(?:,00)?\s*(?:€|euro|eur)?"
    r"(?:\s*(?:lordi|lorde|al\s+mese|mensili|mensile|/\s*mese))*\s*$",
    re.IGNORECASE,
)
MAX_MONTHS = 24  # the longest any internship may last; a longer old value is checked by its editors
# A monthly amount outside this range is more likely a yearly sum, a typo or a net figure read
# wrongly than a monthly gross allowance or pay: its editors confirm it. Net amounts ("netti")
# are never converted: the new field is gross.
MIN_EUROS, MAX_EUROS = 50, 3000


def _months(text):
    found = MONTHS.match(text)
    value = int(found.group(1)) if found else 0
    return value if 1 <= value <= MAX_MONTHS else None


def _euros(text):
    found = EUROS.match(text)
    value = int(found.group(1).replace(".", "")) if found else 0
    return value if MIN_EUROS <= value <= MAX_EUROS else None


def upgrade():
    with op.batch_alter_table("entry", schema=None) as batch_op:
        for name, type_ in ENTRY_COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
        batch_op.create_index(batch_op.f("ix_entry_comune_code"), ["comune_code"], unique=False)
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ateco_code", sa.String(8), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("comune_code", sa.String(6), nullable=True))
        batch_op.add_column(sa.Column("headcount_band", sa.String(10), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("accreditations", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("intern_profiles", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("to_complete", sa.JSON(none_as_null=True), nullable=True))

    bind = op.get_bind()
    _migrate_organisations(bind)
    _migrate_entries(bind)

    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.create_index("uq_organisation_fiscal_code", ["fiscal_code"], unique=True,
                              sqlite_where=sa.text("fiscal_code != ''"), postgresql_where=sa.text("fiscal_code != ''"))
        batch_op.create_index("uq_organisation_vat_number", ["vat_number"], unique=True,
                              sqlite_where=sa.text("vat_number != ''"), postgresql_where=sa.text("vat_number != ''"))
        batch_op.drop_column("ateco_section")
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.drop_column("duration")
        batch_op.drop_column("allowance")


# --- mapping old values ---------------------------------------------------------------------------


def _place(values, notes):
    from portal.vocabularies.places import find_comune

    if "comune" in values or "province" in values:
        found = find_comune(values.get("comune") or "", values.get("province") or None)
        if found:
            values["comune"], values["comune_code"] = found.name, found.code
        elif values.get("comune"):
            notes["comune"] = values["comune"]


def _organisation_values(values):
    from portal.vocabularies.ateco import SECTIONS_2007_TO_2025
    from portal.vocabularies.organisations import LEGACY_KINDS

    values, notes = dict(values), {}
    if "ateco_section" in values:
        old = values.pop("ateco_section") or ""
        values["ateco_code"] = SECTIONS_2007_TO_2025.get(old, "")
        if old and not values["ateco_code"]:
            notes["ateco_code"] = f"ATECO 2007 {old}"
    if values.get("kind") in LEGACY_KINDS:
        new = LEGACY_KINDS[values["kind"]]
        if new is None:
            notes["kind"] = values["kind"]
        values["kind"] = new or "other"
    _place(values, notes)
    return values, notes


def _entry_values(values):
    from portal.vocabularies.people import LEGACY_TARGET_GROUPS, TARGET_GROUPS

    values, notes = dict(values), {}
    if "target_groups" in values:
        old = values.get("target_groups") or []
        mapped = [LEGACY_TARGET_GROUPS.get(code, code if code in TARGET_GROUPS else None) for code in old]
        values["target_groups"] = sorted({code for code in mapped if code})
        lost = [code for code, new in zip(old, mapped, strict=True) if not new]
        if lost:
            notes["target_groups"] = ", ".join(lost)
    if values.get("opportunity_type") == "tirocinio_extracurricolare":  # formativo or inserimento: not known
        values["opportunity_type"] = None
        notes["opportunity_type"] = "tirocinio_extracurricolare"
    if "duration" in values:
        old = values.pop("duration") or ""
        months = _months(old)
        values["duration_months"] = months
        if old and months is None:
            notes["duration_months"] = old
    if "allowance" in values:
        old = values.pop("allowance") or ""
        euros = _euros(old)
        values["monthly_allowance"] = euros
        if old and euros is None:
            notes["monthly_allowance"] = old
    _place(values, notes)
    return values, notes


def _pending(raw, convert):
    """A waiting change in the new vocabulary (notes on what it proposed are kept with the row's)."""
    if not raw:
        return None, {}
    converted, notes = convert(raw)
    return converted, notes


def _migrate_organisations(bind):
    org = sa.table("organisation", sa.column("id"), sa.column("kind"), sa.column("ateco_section"),
                   sa.column("comune"), sa.column("province"), sa.column("fiscal_code"), sa.column("vat_number"),
                   sa.column("ateco_code"), sa.column("comune_code"), sa.column("to_complete", sa.JSON(none_as_null=True)),
                   sa.column("pending_changes", sa.JSON(none_as_null=True)))  # fmt: skip
    from portal.vocabularies.organisations import compact_fiscal_code, compact_vat_number

    compact = {"fiscal_code": compact_fiscal_code, "vat_number": compact_vat_number}
    seen = set()  # an 11-digit number names one body, as fiscal code or as VAT number
    for row in bind.execute(sa.select(org).order_by(org.c.id)).mappings():
        values, notes = _organisation_values(
            {k: row[k] for k in ("kind", "ateco_section", "comune", "province")}
        )
        codes = {}
        for field, compactor in compact.items():  # saved compact; the first organisation keeps a duplicate
            code = values[field] = compactor(row[field] or "")
            if code and code in seen:
                values[field], notes[field] = "", f"{DUPLICATE}{code}"
            elif code:
                codes[field] = code
        seen.update(codes.values())
        pending, pending_notes = _pending(row["pending_changes"], _organisation_values)
        notes.update({k: v for k, v in pending_notes.items() if k not in notes})
        bind.execute(org.update().where(org.c.id == row["id"]).values(
            **values, to_complete=notes or None, pending_changes=pending))  # fmt: skip


def _migrate_entries(bind):
    entry = sa.table("entry", sa.column("id"), sa.column("opportunity_type"), sa.column("duration"),
                     sa.column("allowance"), sa.column("comune"), sa.column("province"),
                     sa.column("target_groups", sa.JSON()), sa.column("comune_code"), sa.column("duration_months"),
                     sa.column("monthly_allowance"), sa.column("to_complete", sa.JSON(none_as_null=True)),
                     sa.column("pending_changes", sa.JSON(none_as_null=True)))  # fmt: skip
    fields = ("opportunity_type", "duration", "allowance", "comune", "province", "target_groups")
    for row in bind.execute(sa.select(entry).order_by(entry.c.id)).mappings():
        values, notes = _entry_values({k: row[k] for k in fields})
        pending, pending_notes = _pending(row["pending_changes"], _entry_values)
        notes.update({k: v for k, v in pending_notes.items() if k not in notes})
        bind.execute(entry.update().where(entry.c.id == row["id"]).values(
            **values, to_complete=notes or None, pending_changes=pending))  # fmt: skip


def downgrade():
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ateco_section", sa.String(1), nullable=False, server_default=""))
        batch_op.drop_index("uq_organisation_vat_number")
        batch_op.drop_index("uq_organisation_fiscal_code")
        for name in ("to_complete", "intern_profiles", "accreditations", "headcount_band", "comune_code"):
            batch_op.drop_column(name)
    op.execute("UPDATE organisation SET ateco_section = ateco_code WHERE length(ateco_code) = 1")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_column("ateco_code")
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("allowance", sa.String(120), nullable=True))
        batch_op.add_column(sa.Column("duration", sa.String(120), nullable=True))
        batch_op.drop_index(batch_op.f("ix_entry_comune_code"))
        for name, _type in reversed(ENTRY_COLUMNS):
            batch_op.drop_column(name)
