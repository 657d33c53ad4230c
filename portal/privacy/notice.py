"""The art. 13 GDPR notice ("Informativa sul trattamento dei dati personali"), built from data.

Every kind of personal data the portal holds is listed once in KINDS, with its purpose, legal
basis and retention. A project's [privacy] section in tenant.toml names its controller, DPO
contact, processors, transfers, which kinds it controls jointly with the portal operator
(art. 26), and may restate a purpose or legal basis. Retention periods that a purge enforces come
from config.py only (the notice and the purge read the same setting); a project may state a
retention text only for the kinds no purge covers.

[privacy] keys (all optional; facts about a project only from its seed, else left empty):

    controller = ""              # the data controller, as the project's own sources name it
    controller_contact = ""      # how to reach it (address, e-mail, PEC)
    dpo_contact = ""             # its data protection officer (art. 37-39)
    lead_body = ""               # the lead body (capofila) the seed names: a hint shown to coordinators only
    joint_controllership = []    # kinds shared with the portal operator, e.g. ["accounts", "directory"]
    transfers = {it = "", en = ""}             # outside the EEA; empty: none
    [[privacy.processors]]                     # art. 28 processors
    name = ""; role = {it = "", en = ""}
    [privacy.purposes]   <kind> = {it = "", en = ""}
    [privacy.legal_bases] <kind> = {it = "", en = ""}
    [privacy.retention]  <kind> = {it = "", en = ""}   # only kinds without a configured period
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from portal.models import Tenant

GARANTE_URL = "https://www.garanteprivacy.it/"
OPERATOR, PROJECT, JOINT = "operator", "project", "joint"


@dataclass(frozen=True)
class Kind:
    """One kind of personal data: what, why, on which basis, who controls it by default."""

    key: str
    label: Any
    data: Any
    purpose: Any
    legal_basis: Any
    controller: str = OPERATOR  # who decides about it when no joint controllership is stated
    recipients: Any = ""
    # A retention the configuration fixes (and a purge enforces): the setting names, else None.
    retention_settings: tuple[str, ...] = ()


KINDS: tuple[Kind, ...] = (
    Kind(
        "accounts",
        _l("Accounts"),
        _l(
            "Name, e-mail address, password (stored only as a one-way hash), preferred language, last sign-in, "
            "and the roles held in each project."
        ),  # fmt: skip
        _l("Letting people sign in, edit what their role allows and receive the messages they asked for."),
        _l("Performance of the service the person asked for (art. 6(1)(b) GDPR)."),
        controller=JOINT,
        retention_settings=("UNCONFIRMED_ACCOUNT_DAYS",),
    ),
    Kind(
        "newsletter",
        _l("Newsletter subscriptions and their consent records"),
        _l(
            "E-mail address, language, and the record of consent: when it was given, on which form, the version "
            "of the text accepted, when it was confirmed and, if so, when it was withdrawn."
        ),  # fmt: skip
        _l("Sending the project's newsletter and proving the consent given (art. 7(1) GDPR)."),
        _l("Consent (art. 6(1)(a) GDPR), which can be withdrawn at any time with the link in every message."),
        controller=PROJECT,
        retention_settings=("NEWSLETTER_CONFIRM_DAYS",),
    ),
    Kind(
        "alerts",
        _l("Saved-search alerts"),
        _l("E-mail address, the saved search, frequency, language, and the record of consent."),
        _l("Mailing the new entries that match the saved search."),
        _l("Consent (art. 6(1)(a) GDPR), which can be withdrawn at any time with the link in every message."),
        retention_settings=("ALERT_CONFIRM_DAYS", "ALERT_STOPPED_RETENTION_DAYS"),
    ),
    Kind(
        "interests",
        _l("Expressions of interest (“Show interest”)"),
        _l("Name, e-mail address, telephone number if given, and the message sent about an offer."),
        _l(
            "Passing the message to the contact of the offer, who replies directly; counting the interest "
            "each offer receives."
        ),  # fmt: skip
        _l("Consent given on the form (art. 6(1)(a) GDPR)."),
        recipients=_l(
            "The organisation that published the offer (or the project's coordinators), which handles "
            "what it receives under its own privacy notice."
        ),  # fmt: skip
        retention_settings=("INTEREST_RETENTION_DAYS",),
    ),
    Kind(
        "directory",
        _l("Directory contacts"),
        _l(
            "The work contacts of organisations and offers (contact person, e-mail, telephone, address) and who "
            "edits them."
        ),  # fmt: skip
        _l("Publishing the network directory of organisations, offers, courses and events."),
        _l(
            "Tasks carried out in the public interest by the projects (art. 6(1)(e) GDPR) and the agreement with "
            "each organisation (art. 6(1)(b) GDPR)."
        ),  # fmt: skip
        controller=JOINT,
    ),
    Kind(
        "companies",
        _l("Company registrations"),
        _l(
            "What a company types when it offers itself to host interns: its name, fiscal code and VAT number, "
            "legal form, sector and comune, the internships it offers, the projects chosen, and its contact "
            "person's name, e-mail address and telephone number, with the record of consent."
        ),  # fmt: skip
        _l(
            "Verifying the company and adding it to the directory of the projects it chose, with its contact "
            "person as the editor of its page."
        ),  # fmt: skip
        _l("Steps taken at the company's request before an agreement (art. 6(1)(b) GDPR)."),
        controller=JOINT,
        recipients=_l("The coordinators of the projects the company chose."),
        retention_settings=("COMPANY_CONFIRM_DAYS", "COMPANY_REGISTRATION_RETENTION_DAYS"),
    ),
    Kind(
        "invitations",
        _l("Invitations"),
        _l("Name and e-mail address of the person invited, the role offered and who sent the invitation."),
        _l("Creating the account with its role when the invited person accepts."),
        _l("Tasks carried out in the public interest by the projects (art. 6(1)(e) GDPR)."),
        controller=JOINT,
        retention_settings=("INVITATION_MAX_AGE",),
    ),
    Kind(
        "outcomes",
        _l("Internship outcomes"),
        _l(
            "How many placements an internship offer led to, when they started and ended and how they ended: "
            "counts and dates only, never names."
        ),  # fmt: skip
        _l("Reporting the project's results to its funder, as aggregates only (counts below 5 are never shown)."),
        _l("Tasks carried out in the public interest by the projects (art. 6(1)(e) GDPR)."),
        controller=PROJECT,
        retention_settings=("OUTCOMES",),
    ),
    Kind(
        "accessibility",
        _l("Accessibility reports"),
        _l("Name, e-mail address, the page concerned and the description of the barrier reported."),
        _l("Answering the report and removing the barrier, as the accessibility statement provides."),
        _l("Consent given on the form (art. 6(1)(a) GDPR)."),
        recipients=_l("The coordinators of the project the report is about (the platform administrators for the hub)."),
        retention_settings=("ACCESSIBILITY",),
    ),
    Kind(
        "audit",
        _l("Audit trail"),
        _l(
            "Who changed what and when in the directory, the newsletters and the accounts; every export and "
            "erasure of personal data."
        ),  # fmt: skip
        _l("Accountability and security of processing (arts. 5(2) and 32 GDPR)."),
        _l("Legal obligation (art. 6(1)(c) GDPR)."),
        controller=JOINT,
        retention_settings=("AUDIT_DETAILS_RETENTION_MONTHS",),
    ),
    Kind(
        "logs",
        _l("Server logs and technical cookies"),
        _l(
            "Client IP address, page requested, time and a request id; a session cookie, a “remember me” cookie "
            "if chosen, and a cookie with the language. No profiling cookies and no third-party analytics."
        ),  # fmt: skip
        _l("Running the portal securely and finding faults."),
        _l("Legitimate interest in the security of the service (art. 6(1)(f) GDPR)."),
        retention_settings=("SERVER_LOG_RETENTION_DAYS",),
    ),
)
BY_KEY = {kind.key: kind for kind in KINDS}
CONFIGURED_RETENTION = {kind.key for kind in KINDS if kind.retention_settings}
SECTION_KEYS = {"controller", "controller_contact", "dpo_contact", "lead_body", "joint_controllership", "transfers",
                "processors", "purposes", "legal_bases", "retention"}  # fmt: skip


class PrivacyConfigError(ValueError):
    """A [privacy] section that cannot make a notice; the message says what to fix."""


def check_section(section: Mapping[str, Any]) -> None:
    """Refuse unknown keys and kinds, and a retention text where the configuration fixes the period."""
    unknown = set(section) - SECTION_KEYS
    if unknown:
        raise PrivacyConfigError(f"unknown keys: {', '.join(sorted(unknown))}")
    for name in ("controller", "controller_contact", "dpo_contact", "lead_body"):
        if not isinstance(section.get(name, ""), str):
            raise PrivacyConfigError(f"{name} must be a text")
    kinds = list(section.get("joint_controllership", []))
    for name in ("purposes", "legal_bases", "retention"):
        kinds += list(section.get(name, {}))
    wrong = [k for k in kinds if k not in BY_KEY]
    if wrong:
        raise PrivacyConfigError(f"unknown kinds of data {wrong}; use {', '.join(BY_KEY)}")
    fixed = sorted(set(section.get("retention", {})) & CONFIGURED_RETENTION)
    if fixed:
        raise PrivacyConfigError(f"retention of {fixed} comes from config.py, not tenant.toml")
    for processor in section.get("processors", []):
        if not isinstance(processor, dict) or not processor.get("name"):
            raise PrivacyConfigError("every [[privacy.processors]] needs a name")


def _localised(value: Any, locale: str) -> str:
    if isinstance(value, dict):
        return str(value.get(locale) or value.get("it") or "")
    return str(value or "")


def retention_text(key: str) -> str:
    """The retention sentence of a kind, with the configured periods (what the purges apply)."""
    from portal.alerts.services import CONFIRM_MAX_AGE as ALERT_CONFIRM
    from portal.newsletters.subscriptions import CONFIRM_MAX_AGE as NEWSLETTER_CONFIRM

    config = current_app.config
    day = 60 * 60 * 24
    if key == "accounts":
        return str(_l("As long as the account exists; accounts never confirmed are deleted after %(days)s days.",
                      days=config["UNCONFIRMED_ACCOUNT_DAYS"]))  # fmt: skip
    if key == "newsletter":
        return str(_l("Until the subscription is erased; a subscription never confirmed is deleted after %(days)s "
                      "days; after unsubscribing, the address is kept marked as unsubscribed only to prove "
                      "that consent was withdrawn, until its erasure is requested.",
                      days=NEWSLETTER_CONFIRM // day))  # fmt: skip
    if key == "alerts":
        return str(_l("Until the alert is stopped, then %(stopped)s days more; an alert never confirmed is "
                      "deleted after %(days)s days.",
                      stopped=config["ALERT_STOPPED_RETENTION_DAYS"], days=ALERT_CONFIRM // day))  # fmt: skip
    if key == "interests":
        return str(_l("%(days)s days after the message was sent, then deleted.",
                      days=config["INTEREST_RETENTION_DAYS"]))  # fmt: skip
    if key == "audit":
        return str(_l("The event (who, what, when) is kept; after %(months)s months its details, such as "
                      "changed values and e-mail addresses, are erased.",
                      months=config["AUDIT_DETAILS_RETENTION_MONTHS"]))  # fmt: skip
    if key == "companies":
        from portal.companies.services import CONFIRM_MAX_AGE as COMPANY_CONFIRM

        return str(_l("A registration never confirmed is deleted after %(days)s days; one verified or declined "
                      "is deleted %(kept)s days after the decision (a verified company's data then stays in the "
                      "directory).", days=COMPANY_CONFIRM // day,
                      kept=config["COMPANY_REGISTRATION_RETENTION_DAYS"]))  # fmt: skip
    if key == "invitations":
        from portal.invitations.services import max_age

        return str(_l("An invitation not accepted is deleted after %(days)s days; an accepted one is deleted with "
                      "the account.", days=max_age() // day))  # fmt: skip
    if key == "outcomes":
        return str(_l("As long as the offer they refer to: they are deleted with it."))
    if key == "accessibility":
        return str(_l("The portal does not store the report: it e-mails it to the people responsible for the "
                      "site and deletes the message once sent."))  # fmt: skip
    if key == "logs":
        return str(_l("%(days)s days.", days=config["SERVER_LOG_RETENTION_DAYS"]))
    return str(_l("As long as the organisation is part of the directory, or until its editors remove the data."))


@dataclass
class NoticeSection:
    key: str
    label: str
    data: str
    purpose: str
    legal_basis: str
    retention: str
    controller: str  # OPERATOR, PROJECT or JOINT
    recipients: str = ""


@dataclass
class Notice:
    """Everything the notice page shows; `missing` lists what the project must still complete."""

    tenant: Tenant | None
    controller: str
    controller_contact: str
    dpo_contact: str
    lead_body: str
    operator: str
    operator_contact: str
    sections: list[NoticeSection]
    processors: list[tuple[str, str]]
    transfers: str
    joint: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def garante_url(self) -> str:
        return GARANTE_URL


def build_notice(tenant: Tenant | None, locale: str) -> Notice:
    """The hub's notice (tenant None: the portal operator) or a project's, from its [privacy] data."""
    config = current_app.config
    section: Mapping[str, Any] = (tenant.privacy or {}) if tenant is not None else {}
    operator = config["PRIVACY_OPERATOR_NAME"]
    operator_contact = config["PRIVACY_CONTACT_EMAIL"]
    joint = [k for k in section.get("joint_controllership", []) if k in BY_KEY] if tenant is not None else []
    sections = []
    for kind in KINDS:
        controller = kind.controller
        if tenant is not None and controller == JOINT and kind.key not in joint:
            controller = OPERATOR
        if tenant is None and controller == JOINT:
            controller = OPERATOR
        own_retention = _localised(section.get("retention", {}).get(kind.key), locale)
        sections.append(
            NoticeSection(
                kind.key,
                str(kind.label),
                str(kind.data),
                _localised(section.get("purposes", {}).get(kind.key), locale) or str(kind.purpose),
                _localised(section.get("legal_bases", {}).get(kind.key), locale) or str(kind.legal_basis),
                own_retention or retention_text(kind.key),
                controller,
                str(kind.recipients),
            )
        )
    if tenant is None:
        controller, contact, dpo = operator, operator_contact, config["PRIVACY_DPO_CONTACT"]
    else:
        controller = section.get("controller", "")
        contact = section.get("controller_contact", "")
        dpo = section.get("dpo_contact", "")
    missing = [name for name, value in (("controller", controller), ("dpo_contact", dpo)) if not value]
    return Notice(
        tenant=tenant,
        controller=controller,
        controller_contact=contact,
        dpo_contact=dpo,
        lead_body=section.get("lead_body", ""),
        operator=operator,
        operator_contact=operator_contact,
        sections=sections,
        processors=[(p["name"], _localised(p.get("role"), locale)) for p in section.get("processors", [])],
        transfers=_localised(section.get("transfers"), locale),
        joint=[str(BY_KEY[k].label) for k in joint],
        missing=missing,
    )
