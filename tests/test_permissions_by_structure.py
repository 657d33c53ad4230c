"""Permissions by structure (issue 9): every rule under a project's /manage/ and under
/directory/manage/ or /directory/moderation/ is refused (403, or the login page) to an
anonymous visitor, a resident, a member of the same project and a coordinator of another
project, for every method it accepts, with real parameters from the demo data. Every rule
under /admin/ is refused to all of them and to the project's own coordinator too (issue 14)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.api import services as tokens
from portal.extensions import db
from portal.models import CompanyRegistration, Entry, Issue, NewsPost, Organisation, Tenant, User
from portal.models.company import RegistrationStatus
from portal.models.directory import organisation_tenant
from portal.tenancy import tenant_scope
from tests.conftest import Browser, csrf_token_from

GUARDED = ("/<tenant>/manage/", "/directory/manage/", "/directory/moderation/", "/admin/")
ADMIN_ONLY = "/admin/"
OWNER = "alice"
DEMO_PASSWORD = "crocevia-demo-2026"


def guarded_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.rule.startswith(GUARDED)]


def _parameters(app) -> dict[str, object]:
    """Real values for every URL parameter, all belonging to the owner project."""
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == OWNER))
        org_id = db.session.scalar(
            select(organisation_tenant.c.organisation_id).where(organisation_tenant.c.tenant_id == tenant.id)
        )
        entry_id = db.session.scalar(select(Entry.id).where(Entry.organisation_id == org_id))
        _secret, api_token = tokens.create_token(None, db.session.get(Organisation, org_id), "Gestionale di prova")
        db.session.commit()
        token_id = api_token.id
        registration = CompanyRegistration(
            name="Impresa di prova", fiscal_code="00743110157", contact_name="Referente", locale="it",
            contact_email="referente@example.it", tenant_ids=[tenant.id], status=RegistrationStatus.PENDING,
        )  # fmt: skip
        db.session.add(registration)
        db.session.commit()
        registration_id = registration.id
        user_id = db.session.scalar(select(User.id).where(User.email == "residente@crocevia.example"))
        with tenant_scope(tenant):
            news_id = db.session.scalar(select(NewsPost.id))
            issue = Issue(tenant_id=tenant.id, subject="Numero di prova")
            db.session.add(issue)
            db.session.commit()
            issue_id = issue.id
        return {
            "tenant": OWNER,
            "news_id": news_id,
            "issue_id": issue_id,
            "page_slug": "home",
            "locale": "it",
            "org_id": org_id,
            "entry_id": entry_id,
            "kind": "opportunity",
            "tenant_id": tenant.id,
            "token_id": token_id,
            "registration_id": registration_id,
            "user_id": user_id,
        }


def _signed_in(app, email):
    browser = Browser(app.test_client())
    return browser.sign_in(email) if email else browser


def refusals(app, people: dict[str, str | None], params: dict[str, object], prefix: str = "") -> list[str]:
    """Every (person, method, URL) that was NOT refused; the test wants none."""
    failures = []
    for name, email in people.items():
        browser = _signed_in(app, email)
        token = csrf_token_from(browser.get("/auth/login" if email is None else "/account/").get_data(as_text=True))
        for rule in guarded_rules(app):
            if not rule.rule.startswith(prefix):
                continue
            if (
                name == "coordinator of another project"
                and not rule.rule.startswith(ADMIN_ONLY)
                and not set(rule.arguments) - {"tenant"}
                and not rule.rule.startswith("/<tenant>/")
            ):
                continue  # a network page of their own (their queue, their partner area)
            url = rule.build({key: params[key] for key in rule.arguments}, append_unknown=False)[1]
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                if method == "GET":
                    response = browser.client.get(url)
                else:
                    response = browser.client.open(url, method=method, data={"csrf_token": token})
                to_login = response.status_code == 302 and "/auth/login" in response.headers.get("Location", "")
                refused = response.status_code == 403 or (email is None and to_login)
                if not refused:
                    failures.append(f"{name}: {method} {url} -> {response.status_code}")
    return failures


@pytest.fixture
def demo(app, tenants, demo_data, make_user):
    make_user("membro.alice@crocevia.example", role="member", tenant=tenants[OWNER], password=DEMO_PASSWORD)
    return _parameters(app)


PEOPLE = {
    "anonymous": None,
    "resident": "residente@crocevia.example",
    "member of the same project": "membro.alice@crocevia.example",
    "coordinator of another project": "coordinatore.ciao@crocevia.example",
}


def test_every_guarded_rule_refuses_everyone_but_its_coordinators(app, demo):
    assert len(guarded_rules(app)) >= 25  # the walk covers the real management surface
    assert refusals(app, PEOPLE, demo) == []


def test_every_admin_rule_refuses_everyone_who_is_not_a_platform_admin(app, demo):
    assert len([rule for rule in guarded_rules(app) if rule.rule.startswith(ADMIN_ONLY)]) >= 10
    people = {**PEOPLE, "coordinator of the same project": "coordinatore.alice@crocevia.example"}
    assert refusals(app, people, demo, prefix=ADMIN_ONLY) == []


def test_the_platform_admin_is_let_in(app, demo):
    browser = _signed_in(app, "admin@crocevia.example")
    for url in ("/admin/", "/admin/users", f"/admin/users/{demo['user_id']}", "/admin/invitations",
                "/admin/projects", f"/admin/projects/{demo['tenant_id']}", "/alice/manage/companies/"):  # fmt: skip
        assert browser.get(url).status_code == 200, url


def test_the_project_coordinator_is_let_in(app, demo):
    browser = _signed_in(app, "coordinatore.alice@crocevia.example")
    for url in (
        "/alice/manage/",
        "/alice/manage/newsletter/",
        "/alice/manage/newsletter/subscribers.csv",
        "/alice/manage/members",
        "/directory/moderation/",
        "/directory/manage/",
        "/alice/manage/companies/",
        f"/alice/manage/companies/{demo['registration_id']}",
    ):
        assert browser.get(url).status_code == 200, url


def test_a_rule_added_without_the_guard_is_caught_by_the_walk(app_factory, demo):
    leaky = app_factory()

    @leaky.get("/directory/manage/leak-for-test")
    def leak():
        return "everyone's data"

    failures = refusals(leaky, {"anonymous": None}, demo)
    assert any("/directory/manage/leak-for-test -> 200" in failure for failure in failures)


def test_the_layout_shows_where_each_permission_is_checked(app):
    """A newcomer reads it in the blueprint tree: the guards hang on three blueprints."""
    guards = {name for name, funcs in app.before_request_funcs.items() if name and funcs}
    assert {"tenant_site.manage", "directory.manage", "directory.moderation", "admin"} <= guards
    for rule in guarded_rules(app):
        assert re.match(r"^(tenant_site\.manage|directory\.manage|directory\.moderation|admin)\.", rule.endpoint), rule
