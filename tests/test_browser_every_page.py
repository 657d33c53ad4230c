"""Accessibility of every page type, in Italian and in English (axe-core in Debian's Chromium:
no violation of impact serious or critical), and keyboard-only use of search, filters and forms."""

from __future__ import annotations

import re

import pytest

from tests.browser_support import require_browser, serious_violations
from tests.conftest import Outbox

require_browser()
pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

PASSWORD = "crocevia-demo-2026"
PUBLIC = [
    "/", "/vicenza/", "/ciao/attivita", "/work-in/news/", "/directory/",
    "/directory/opportunities/?province=AT&targets=neet", "/directory/training/?targets=protezione-internazionale",
    "/directory/events/?province=VI", "/directory/organisations/?province=MI", "/search?q=tirocinio",
    "/search?q=zxqwvnessunrisultato", "/auth/login", "/auth/register", "/auth/forgot-password",
    "/vicenza/newsletter/", "/api/v1/docs", "/nessuno/", "/vicenza/search?q=lavoro&targets=protezione-internazionale",
    "/auth/confirm", "/alerts/new?search=q%3Dtirocinio%26province%3DAT&kind=opportunity",
    "/info/privacy", "/vicenza/privacy/", "/privacy/request",
]  # fmt: skip
DETAILS = {  # a listing, and the kind of link on it that leads to a detail page
    "/directory/opportunities/": "/directory/opportunities/", "/directory/training/": "/directory/training/",
    "/directory/events/": "/directory/events/", "/directory/organisations/": "/directory/organisations/",
    "/work-in/news/": "/work-in/news/",
}  # fmt: skip


def _in(lang: str, path: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


def _check(page, url: str, problems: dict[str, list[str]]) -> None:
    response = page.goto(url)
    assert response is not None and response.status < 500, url
    found = serious_violations(page)
    if found:
        problems[url] = found


def _detail_links(page, live: str) -> list[str]:
    links = []
    for listing, prefix in DETAILS.items():
        page.goto(live + listing)
        hrefs = [a.get_attribute("href") or "" for a in page.locator(f"main a[href^='{prefix}']").all()]
        links.append(next(h for h in hrefs if h.rstrip("/") != prefix.rstrip("/") and "?" not in h
                          and not h.endswith((".csv", ".ics", ".atom"))))  # fmt: skip
    return links


def _subscription_page(app) -> str:
    """The page a subscriber reaches from the link in every newsletter: manage the subscription."""
    from portal.extensions import db
    from portal.models import Subscription, Tenant
    from portal.models.base import utcnow
    from portal.models.newsletter import SubscriptionStatus
    from portal.newsletters.subscriptions import manage_token
    from portal.tenancy import tenant_scope

    with app.app_context():
        tenant = db.session.scalar(db.select(Tenant).where(Tenant.slug == "vicenza"))
        with tenant_scope(tenant):
            subscription = Subscription(tenant_id=tenant.id, email="lettore@example.it", consent_at=utcnow(),
                                        status=SubscriptionStatus.CONFIRMED)  # fmt: skip
            db.session.add(subscription)
            db.session.commit()
            return f"/vicenza/newsletter/manage/{manage_token(subscription)}"


def _sign_in(page, live: str, email: str) -> None:
    page.goto(live + "/auth/login?lang=it")
    page.get_by_label("Indirizzo e-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    expect(page.get_by_text("Accesso eseguito con il profilo di")).to_be_visible()


@pytest.mark.parametrize("lang", ["it", "en"])
def test_every_public_page_type_passes_axe(app, page, indexed_demo, live_server, lang, outbox):
    # the demo data indexed: listings with their facets, as a resident sees them
    problems: dict[str, list[str]] = {}
    for path in [*PUBLIC, *_detail_links(page, live_server), _subscription_page(app)]:
        _check(page, live_server + _in(lang, path), problems)
    page.goto(live_server + "/auth/forgot-password?lang=it")  # a reset link, then the page it opens
    page.get_by_label("Indirizzo e-mail").fill("residente@crocevia.example")
    with page.expect_navigation():
        page.get_by_role("button").filter(has_text="Invia").click()
    [mail] = outbox.to("residente@crocevia.example")
    _check(page, live_server + _in(lang, Outbox.link(mail, "/auth/reset-password/")), problems)
    page.goto(live_server + _in(lang, "/auth/register"))
    with page.expect_navigation():  # the form posts and the page comes back with its errors
        page.locator("form button[type=submit]").last.click()
    found = serious_violations(page)
    if found:
        problems["register with errors"] = found
    assert problems == {}


def _something_to_review(app, org_id: int) -> None:
    """A pending entry in the queue and a token in the list, so both pages are checked full."""
    from portal.api import services as tokens
    from portal.directory import services
    from portal.extensions import db
    from portal.models import Organisation, User

    with app.app_context():
        org = db.session.get(Organisation, org_id)
        partner = db.session.scalar(db.select(User).where(User.email == "partner.vicenza@crocevia.example"))
        services.create_entry(partner, org, "event", {"title": "Incontro da rivedere", "description": "In attesa.",
                                                      "comune": org.comune, "province": org.province,
                                                      "tenant_ids": [], "target_groups": [], "starts_at": None})  # fmt: skip
        tokens.create_token(None, org, "Gestionale")
        db.session.commit()


@pytest.mark.parametrize("lang", ["it", "en"])
def test_every_management_and_moderation_page_passes_axe(app, page, live_server, lang):
    problems: dict[str, list[str]] = {}
    _sign_in(page, live_server, "partner.vicenza@crocevia.example")
    page.goto(live_server + "/directory/manage/")
    edit_org = page.locator("main a[href*='/directory/manage/organisations/']").first.get_attribute("href") or ""
    org_id = edit_org.split("/organisations/")[1].split("/")[0]
    partner_pages = [
        "/directory/manage/",
        f"/directory/manage/organisations/{org_id}",
        "/account/",
        "/account/password",
        "/account/privacy",
    ]
    partner_pages += [
        f"/directory/manage/organisations/{org_id}/{kind}/new" for kind in ("opportunity", "training", "event")
    ]
    page.goto(live_server + "/directory/manage/")
    entry = page.locator("main a[href*='/directory/manage/entries/']").first.get_attribute("href")
    partner_pages += [entry] if entry else []
    placements = page.locator("main a[href*='/outcomes']").first
    partner_pages += [placements.get_attribute("href") or ""] if placements.count() else []
    for path in partner_pages:
        _check(page, live_server + _in(lang, path), problems)
    page.goto(live_server + "/auth/logout")
    page.context.clear_cookies()
    _something_to_review(app, int(org_id))
    _sign_in(page, live_server, "coordinatore.vicenza@crocevia.example")
    for path in ("/directory/moderation/", f"/directory/manage/organisations/{org_id}/tokens", "/vicenza/manage/",
                 "/directory/manage/organisations/new", "/vicenza/manage/pages/new",
                 "/vicenza/manage/pages/home/it", "/vicenza/manage/news/new", "/vicenza/manage/members",
                 "/vicenza/manage/newsletter/", "/vicenza/manage/newsletter/new", "/vicenza/manage/kpi/",
                 "/vicenza/manage/kpi/?from=2030-01-01&to=2020-01-01"):  # fmt: skip
        _check(page, live_server + _in(lang, path), problems)
    assert problems == {}


def test_search_filters_and_forms_work_with_the_keyboard_alone(page, indexed_demo, live_server):  # facets: the index
    page.goto(live_server + "/directory/training/?lang=it")
    page.locator("#q").focus()
    page.keyboard.type("italiano")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"q=italiano"))
    facet = page.locator("fieldset.facet input[type=checkbox]").first
    summary = page.locator("details#filters > summary")
    for _ in range(60):  # Tab until the first filter has the focus, as a keyboard user would
        page.keyboard.press("Tab")
        if summary.evaluate("el => el === document.activeElement && !el.parentElement.open"):
            page.keyboard.press("Enter")  # a phone: the "Filtri" button opens the filters
        if facet.evaluate("el => el === document.activeElement"):
            break
    else:
        raise AssertionError("the first filter cannot be reached with Tab")
    page.keyboard.press("Space")
    expect(facet).to_be_checked()
    page.keyboard.press("Enter")  # submits the search form with the filter
    name, value = facet.get_attribute("name"), facet.get_attribute("value")
    expect(page).to_have_url(re.compile(rf"q=italiano.*{name}={re.escape(value or '')}"))
    page.goto(live_server + "/auth/login?lang=it")
    page.get_by_label("Indirizzo e-mail").focus()
    page.keyboard.type("residente@crocevia.example")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Accesso eseguito con il profilo di")).to_be_visible()
