"""Administration from the web (issue 14 point 6): a platform admin finds people, disables and
enables accounts, gives and takes roles, invites people who have no account, edits projects'
settings; every change is an audit event."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Invitation, Membership, Role, Tenant, User
from portal.models.directory import organisation_editor
from portal.tenancy import tenant_scope
from tests.conftest import PASSWORD, Browser

ADMIN = "admin@crocevia.example"
DEMO_PASSWORD = "crocevia-demo-2026"


def user_id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def audit(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        rows = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))
        for row in rows:
            db.session.expunge(row)
        return rows


def test_the_admin_dashboard_shows_every_project_and_the_accounts(app, demo_data, signed_in):
    page = signed_in(ADMIN).get("/admin/").get_data(as_text=True)
    for project in ("ALICE", "WORK-IN", "CIAO!"):
        assert project in page
    assert "/alice/manage/" in page and "/directory/moderation/" in page
    assert "Profili:" in page


def test_the_admin_finds_users_by_email_or_name_page_by_page(app, demo_data, signed_in, make_user):
    for n in range(30):
        make_user(f"persona{n:02d}@esempio.it", name=f"Persona Numero {n}")
    admin = signed_in(ADMIN)
    first = admin.get("/admin/users?q=esempio").get_data(as_text=True)
    assert "30 profili trovati" in first and "persona00@esempio.it" in first and "persona29@esempio.it" not in first
    second = admin.get("/admin/users?q=esempio&page=2").get_data(as_text=True)
    assert "persona29@esempio.it" in second
    by_name = admin.get("/admin/users?q=numero 7").get_data(as_text=True)
    assert "persona07@esempio.it" in by_name and "persona08@esempio.it" not in by_name
    assert "0 profili trovati" in admin.get("/admin/users?q=%25_nessuno").get_data(as_text=True)
    assert admin.get("/admin/users?page=abc").status_code == 200


def test_a_disabled_account_cannot_sign_in_and_its_sessions_end(app, demo_data, signed_in, new_browser, make_user):
    make_user("maria@example.it")
    maria = new_browser()
    maria.login("maria@example.it")
    assert maria.get("/account/").status_code == 200
    target = user_id(app, "maria@example.it")
    admin = signed_in(ADMIN)
    admin.submit(f"/admin/users/{target}/disable", {}, page=f"/admin/users/{target}")
    assert maria.get("/account/").status_code == 302  # the session ended
    refused = new_browser().login("maria@example.it").get_data(as_text=True)
    assert "disattivato" in refused
    assert [e.object_id for e in audit(app, "disable-user")] == [target]

    admin.submit(f"/admin/users/{target}/enable", {}, page=f"/admin/users/{target}")
    assert new_browser().login("maria@example.it").status_code == 302
    assert len(audit(app, "enable-user")) == 1


def test_the_admin_cannot_disable_their_own_account(app, demo_data, signed_in):
    me = user_id(app, ADMIN)
    page = signed_in(ADMIN).submit(f"/admin/users/{me}/disable", {}, page=f"/admin/users/{me}", follow_redirects=True)
    assert "proprio profilo" in page.get_data(as_text=True)
    assert audit(app, "disable-user") == []


def test_the_admin_gives_and_takes_roles_per_project_and_organisation(app, demo_data, signed_in, make_user):
    make_user("maria@example.it")
    target = user_id(app, "maria@example.it")
    admin = signed_in(ADMIN)
    page = f"/admin/users/{target}"
    alice = demo_data["alice"]
    admin.submit(f"{page}/roles", {"role": "coordinator", "tenant_id": str(alice.id), "organisation_id": ""}, page=page)
    with app.app_context(), tenant_scope(alice):
        assert db.session.scalar(select(Membership.role).where(Membership.user_id == target)) == Role.COORDINATOR
    from portal.models import Organisation

    with app.app_context():
        org_id = db.session.scalar(select(Organisation.id).limit(1))
    admin.submit(f"{page}/roles", {"role": "partner_editor", "tenant_id": "", "organisation_id": str(org_id)},
                 page=page)  # fmt: skip
    with app.app_context():
        assert db.session.scalar(select(organisation_editor.c.organisation_id).where(
            organisation_editor.c.user_id == target)) == org_id  # fmt: skip
    missing = admin.submit(f"{page}/roles", {"role": "member", "tenant_id": "", "organisation_id": ""}, page=page,
                           follow_redirects=True)  # fmt: skip
    assert "Scegliere il progetto" in missing.get_data(as_text=True)
    assert len(audit(app, "grant-role")) == 2

    admin.submit(f"{page}/roles/revoke", {"tenant_id": str(alice.id)}, page=page)
    admin.submit(f"{page}/roles/revoke", {"organisation_id": str(org_id)}, page=page)
    with app.app_context(), tenant_scope(alice):
        assert db.session.scalar(select(Membership.id).where(Membership.user_id == target)) is None
    assert len(audit(app, "revoke-role")) == 1 and len(audit(app, "revoke-editor")) == 1


def test_the_admin_resends_the_confirmation_and_sends_a_password_reset(app, demo_data, signed_in, make_user,
                                                                       outbox):  # fmt: skip
    make_user("nuova@example.it", confirmed=False)
    target = user_id(app, "nuova@example.it")
    admin = signed_in(ADMIN)
    admin.submit(f"/admin/users/{target}/resend-confirmation", {}, page=f"/admin/users/{target}")
    admin.submit(f"/admin/users/{target}/password-reset", {}, page=f"/admin/users/{target}")
    texts = [outbox.text(m) for m in outbox.to("nuova@example.it")]
    assert any("/auth/confirm/" in t for t in texts) and any("/auth/reset-password/" in t for t in texts)
    assert len(audit(app, "resend-confirmation")) == 1 and len(audit(app, "send-password-reset")) == 1
    confirmed = user_id(app, "admin@crocevia.example")
    again = admin.submit(f"/admin/users/{confirmed}/resend-confirmation", {}, page=f"/admin/users/{confirmed}",
                         follow_redirects=True)  # fmt: skip
    assert "già confermato" in again.get_data(as_text=True)


def test_an_invited_coordinator_gets_the_account_and_the_role_on_acceptance(app, demo_data, signed_in, outbox,
                                                                             new_browser):  # fmt: skip
    admin = signed_in(ADMIN)
    ciao = demo_data["ciao"]
    sent = admin.submit("/admin/invitations", {"email": "Nuovo.Coord@Example.it", "name": "Nadia Bianchi",
                                               "locale": "it", "role": "coordinator", "tenant_id": str(ciao.id),
                                               "organisation_id": ""})  # fmt: skip
    assert sent.status_code == 302
    assert user_id(app, "nuovo.coord@example.it") is None  # no account before acceptance
    link = outbox.link(outbox.to("nuovo.coord@example.it")[-1], "/invitation/")
    person = new_browser()
    form = person.get(link).get_data(as_text=True)
    assert "Nadia Bianchi" in form
    person.submit(
        link, {"name": "Nadia Bianchi", "password": "una frase lunga 2027", "confirm": "una frase lunga 2027"}
    )
    assert person.login("nuovo.coord@example.it", "una frase lunga 2027").status_code == 302
    assert person.get("/ciao/manage/").status_code == 200
    assert len(audit(app, "invite")) == 1 and len(audit(app, "accept-invitation")) == 1
    reused = new_browser().get(link)
    assert reused.status_code == 400 and "già stato usato" in reused.get_data(as_text=True)


def test_an_expired_or_tampered_invitation_shows_the_link_problem_page(app_factory, demo_data, signed_in, outbox):
    admin = signed_in(ADMIN)
    admin.submit("/admin/invitations", {"email": "tardi@example.it", "name": "", "locale": "it", "role": "member",
                                        "tenant_id": str(demo_data["alice"].id), "organisation_id": ""})  # fmt: skip
    link = outbox.link(outbox.to("tardi@example.it")[-1], "/invitation/")
    expired = Browser(app_factory(INVITATION_MAX_AGE=-1).test_client()).get(link)
    assert expired.status_code == 400 and "scaduto" in expired.get_data(as_text=True)
    assert Browser(app_factory().test_client()).get(link[:-3] + "xyz").status_code == 400


def test_inviting_an_existing_account_gives_the_role_at_once(app, demo_data, signed_in, make_user, outbox):
    make_user("maria@example.it")
    admin = signed_in(ADMIN)
    admin.submit("/admin/invitations", {"email": "maria@example.it", "name": "", "locale": "it", "role": "member",
                                        "tenant_id": str(demo_data["vicenza"].id), "organisation_id": ""})  # fmt: skip
    with app.app_context():
        assert db.session.scalar(select(Invitation.id)) is None
    assert len(audit(app, "grant-role")) == 1


def test_invitation_bad_input_is_refused(app, demo_data, signed_in, outbox):
    admin = signed_in(ADMIN)
    bad = admin.submit("/admin/invitations", {"email": "non-valido", "locale": "it", "role": "partner_editor",
                                              "tenant_id": "", "organisation_id": ""})  # fmt: skip
    assert bad.status_code == 422
    no_org = admin.submit("/admin/invitations", {"email": "a@example.it", "locale": "it", "role": "partner_editor",
                                                 "tenant_id": "", "organisation_id": ""})  # fmt: skip
    assert no_org.status_code == 422 and "organizzazione" in no_org.get_data(as_text=True)
    assert outbox.to("a@example.it") == []


def test_the_admin_edits_a_projects_settings(app, demo_data, signed_in):
    alice = demo_data["alice"]
    admin = signed_in(ADMIN)
    url = f"/admin/projects/{alice.id}"
    saved = admin.submit(url, {"contact_email": "info@alice.example", "contact_phone": "", "contact_address": "",
                               "features": ["pages", "news"], "position": "3"})  # fmt: skip
    assert saved.status_code == 302
    with app.app_context():
        tenant = db.session.get(Tenant, alice.id)
        assert tenant.contacts["email"] == "info@alice.example" and tenant.features == ["pages", "news"]
        assert tenant.position == 3
    events = audit(app, "update-settings")
    assert len(events) == 1 and events[0].object_type == "tenant" and "features" in events[0].changes
    bad = admin.submit(url, {"contact_email": "x", "features": ["pages"], "position": "0"})
    assert bad.status_code == 422
    assert admin.get("/admin/projects/99999").status_code == 404


def test_only_platform_admins_enter(app, demo_data, signed_in, make_user):
    assert Browser(app.test_client()).get("/admin/").status_code == 302
    for email in ("residente@crocevia.example", "coordinatore.alice@crocevia.example"):
        assert signed_in(email).get("/admin/").status_code == 403
    make_user("maria@example.it", password=PASSWORD)
    assert signed_in("maria@example.it").get("/admin/users").status_code == 403
    assert DEMO_PASSWORD


def test_expired_invitations_never_accepted_are_purged(app, demo_data, signed_in, outbox):
    from datetime import timedelta

    from portal.invitations.services import purge_expired
    from portal.models.base import utcnow

    signed_in(ADMIN).submit("/admin/invitations", {"email": "tardi@example.it", "locale": "it", "role": "member",
                                                   "tenant_id": str(demo_data["alice"].id), "organisation_id": ""})  # fmt: skip
    with app.app_context():
        assert purge_expired(utcnow()) == 0
        assert purge_expired(utcnow() + timedelta(days=8)) == 1
        db.session.commit()
        assert db.session.scalar(select(Invitation.id)) is None


def test_an_invitation_opened_after_registering_adds_the_role_to_that_account(app, demo_data, signed_in, outbox,
                                                                               make_user, new_browser):  # fmt: skip
    signed_in(ADMIN).submit("/admin/invitations", {"email": "presto@example.it", "locale": "it", "role": "member",
                                                   "tenant_id": str(demo_data["alice"].id), "organisation_id": ""})  # fmt: skip
    link = outbox.link(outbox.to("presto@example.it")[-1], "/invitation/")
    make_user("presto@example.it", name="Paola Presto")  # registered meanwhile
    person = new_browser()
    assert "Esiste già un profilo" in person.get(link).get_data(as_text=True)
    assert person.submit(link, {"name": "Paola Presto"}).status_code == 302
    with app.app_context(), tenant_scope(db.session.get(Tenant, demo_data["alice"].id)):
        member = db.session.scalar(
            select(Membership.role).where(Membership.user_id == user_id(app, "presto@example.it"))
        )
    assert member == Role.MEMBER
    assert person.login("presto@example.it", PASSWORD).status_code == 302  # the password did not change
