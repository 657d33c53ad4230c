"""axe-core on the issue 14 pages the other browser walks leave out: the network dashboard, a
dashboard with targets (ALICE), and the page behind the privacy link when it lists a company
registration and an invitation, in both languages."""

from __future__ import annotations

import pytest

from tests.browser_support import require_browser, serious_violations

require_browser()
pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

PASSWORD = "crocevia-demo-2026"


def _held_link(app, email: str) -> str:
    from portal.extensions import db
    from portal.invitations.services import invite
    from portal.models import CompanyRegistration, Tenant
    from portal.models.base import utcnow
    from portal.models.company import InvitedRole, RegistrationStatus
    from portal.privacy.services import ADDRESS_LINK
    from portal.tokens import make_token

    with app.app_context(), app.test_request_context():
        alice = db.session.query(Tenant).filter_by(slug="alice").one()
        db.session.add(CompanyRegistration(name="Panificio Ferraris", fiscal_code="01234560016", contact_name="G. F.",
                                           contact_email=email, tenant_ids=[alice.id],
                                           status=RegistrationStatus.PENDING, consent_at=utcnow()))  # fmt: skip
        invite(None, email, "G. F.", InvitedRole.MEMBER, tenant=alice)
        db.session.commit()
        return "/privacy/held/" + make_token(ADDRESS_LINK, {"e": email})


@pytest.mark.parametrize("lang", ["it", "en"])
def test_the_dashboards_and_the_held_data_page_pass_axe(app, page, live_server, lang):
    problems = {}
    held = _held_link(app, f"impresa.{lang}@example.it")
    page.goto(f"{live_server}{held}?lang={lang}")
    assert page.locator("main li", has_text="Panificio Ferraris").count() == 1
    found = serious_violations(page)
    if found:
        problems[held] = found
    page.goto(f"{live_server}/auth/login?lang=it")
    page.get_by_label("Indirizzo e-mail").fill("admin@crocevia.example")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Accedi").click()
    for path in ("/directory/moderation/kpi/", "/alice/manage/kpi/", "/alice/manage/kpi/?from=2026-01-01&to=2025-01-01",
                 "/admin/"):  # fmt: skip
        response = page.goto(f"{live_server}{path}{'&' if '?' in path else '?'}lang={lang}")
        assert response is not None and response.status < 500, path
        found = serious_violations(page)
        if found:
            problems[path] = found
    assert problems == {}
