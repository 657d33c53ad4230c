"""CSRF, body size, headers, cookies, sanitised Markdown, rate limits, no stack traces."""

import pytest

from tests.conftest import PASSWORD


def test_post_without_csrf_token_gets_a_clear_400_page(client, tenants):
    response = client.post("/auth/login", data={"email": "a@b.it", "password": "x"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Il modulo è scaduto o non è stato inviato da questo sito" in html
    assert "Traceback" not in html


def test_language_switch_needs_csrf_too(client):
    assert client.post("/language", data={"lang": "en"}).status_code == 400


def test_a_5_mb_form_body_is_refused_with_413(client):
    response = client.post("/auth/login", data={"email": "x" * (5 * 1024 * 1024)})
    assert response.status_code == 413
    assert "troppo grande" in response.get_data(as_text=True)


def test_security_headers_and_csp_without_inline_script(client, tenants):
    for url in ("/", "/alice/", "/auth/login", "/does-not-exist/"):
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        html = response.get_data(as_text=True)
        assert "<script>" not in html and " onclick=" not in html and " style=" not in html


def test_session_cookie_is_httponly_and_lax(browser, make_user):
    make_user("maria@example.it")
    response = browser.login("maria@example.it")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_cookies_are_secure(app_factory, tmp_root, monkeypatch):
    from config import ProductionConfig

    monkeypatch.setenv("SECRET_KEY", "p" * 40)
    monkeypatch.setenv("PUBLIC_URL", "https://crocevia.example")
    config = ProductionConfig()
    assert config.SESSION_COOKIE_SECURE and config.REMEMBER_COOKIE_SECURE


@pytest.fixture
def coordinator(make_user, tenants, browser):
    make_user("coord@example.it", role="coordinator", tenant=tenants["work-in"])
    browser.login("coord@example.it")
    return browser


HOSTILE = """Ciao <script>alert('x')</script>
<img src="x.png" onerror="alert(1)">
[clicca](javascript:alert(1)) <a href="JaVaScRiPt:alert(2)" onclick="alert(3)">qui</a>
<iframe src="https://evil.example"></iframe> <div style="position:fixed">x</div>"""


def _assert_neutralised(html: str) -> None:
    lowered = html.lower()
    for bad in ("<script", "onerror", "onclick", "javascript:", "<iframe", "position:fixed"):
        assert bad not in lowered, bad


def test_markdown_with_script_and_event_handlers_is_neutralised_on_save(coordinator):
    response = coordinator.submit("/work-in/manage/pages/home/it", {"title": "Titolo", "body": HOSTILE})
    assert response.status_code == 302
    html = coordinator.get("/work-in/").get_data(as_text=True)
    body = html.split('<div class="page-body"', 1)[1].split("</div>", 1)[0]
    _assert_neutralised(body)
    assert "Ciao" in body


def test_markdown_preview_is_sanitised_and_saves_nothing(coordinator):
    response = coordinator.submit(
        "/work-in/manage/news/new", {"title": "Anteprima", "body": HOSTILE, "locale": "it", "preview": "1"}
    )
    html = response.get_data(as_text=True)
    preview = html.split('class="markdown-preview"', 1)[1].split("</section>", 1)[0]
    _assert_neutralised(preview)
    assert "Anteprima: non ancora salvata" in html
    assert "Anteprima" not in coordinator.get("/work-in/manage/").get_data(as_text=True).split("news-title", 1)[1]


def test_news_from_the_browser_is_sanitised(coordinator):
    response = coordinator.submit(
        "/work-in/manage/news/new", {"title": "Notizia", "body": HOSTILE, "locale": "it", "publish": "y"}
    )
    html = coordinator.get(response.headers["Location"]).get_data(as_text=True)
    _assert_neutralised(html.split("<main", 1)[1].split("</main>", 1)[0])


def test_login_is_rate_limited(app_factory, tenants, make_user):
    from tests.conftest import Browser

    limited = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="3 per minute")
    browser = Browser(limited.test_client())
    codes = [browser.login("maria@example.it", "wrong password").status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[-1] == 429
    assert "Troppi tentativi" in browser.login("maria@example.it").get_data(as_text=True)


def test_password_reset_is_rate_limited(app_factory, tenants):
    from tests.conftest import Browser

    limited = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_MAIL_FORMS="2 per minute")
    browser = Browser(limited.test_client())
    codes = [browser.submit("/auth/forgot-password", {"email": "a@example.it"}).status_code for _ in range(4)]
    assert codes[:2] == [200, 200] and codes[-1] == 429


def test_an_unexpected_error_shows_a_friendly_500_without_trace(app_factory):
    failing = app_factory()

    @failing.get("/boom-for-test")
    def boom():
        raise RuntimeError("secret internals")

    response = failing.test_client().get("/boom-for-test")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Si è verificato un errore" in html and "secret internals" not in html and "Traceback" not in html


@pytest.mark.parametrize(
    "url",
    [
        "/%FF%FE/",
        "/alice/%FF",
        "/alice/news/%00",
        "/asti%20est/",
        "/ALICE/",
        "/alice/../etc/passwd",
        "/alice/assets/../../config.py",
        "/" + "a" * 3000 + "/",
        "/alice/news/?page=-1",
        "/alice/news/?page=x",
    ],
)
def test_odd_urls_get_a_4xx_page_never_a_500(client, tenants, url):
    response = client.get(url)
    assert 400 <= response.status_code < 500
    assert "Traceback" not in response.get_data(as_text=True)


def test_login_with_a_10000_character_password_is_just_wrong(browser, make_user):
    make_user("maria@example.it")
    response = browser.login("maria@example.it", "x" * 10000)
    assert response.status_code == 200 and "errati" in response.get_data(as_text=True)


def test_nul_bytes_in_an_otherwise_valid_form_get_a_400_not_a_500(browser):
    response = browser.submit(
        "/auth/register",
        {
            "name": "Ada\x00",
            "email": "ada@example.it",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "locale": "it",
            "accept_privacy": "y",
        },
    )
    assert response.status_code == 400


def test_control_characters_in_fields_do_not_break_anything(browser):
    response = browser.submit(
        "/auth/register",
        {
            "name": "A\x1b\x07",
            "email": "a\x1b@b.it",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "locale": "xx",
            "accept_privacy": "y",
        },
    )
    assert response.status_code == 200
    assert "Inserire un indirizzo e-mail valido" in response.get_data(as_text=True)


def test_rate_limits_are_shared_through_redis_when_configured(app_factory, monkeypatch):
    import redis

    from config import DevelopmentConfig
    from tests.conftest import Browser

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    monkeypatch.setenv("REDIS_URL", url)
    assert url == DevelopmentConfig().RATELIMIT_STORAGE_URI
    limited = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=url, RATELIMIT_LOGIN="2 per minute")
    first, second = Browser(limited.test_client()), Browser(limited.test_client())
    assert first.login("a@example.it", "x").status_code == 200
    assert second.login("a@example.it", "x").status_code == 200
    assert first.login("a@example.it", "x").status_code == 429  # counted across clients, in Redis
    assert redis.Redis.from_url(url).dbsize() > 0  # the counters live in Redis
    redis.Redis.from_url(url).flushdb()


def test_a_control_character_typed_in_a_form_gets_a_message_on_its_field(browser):
    html = browser.submit("/auth/register", {"name": "Nome\x0cCognome", "email": "x@example.it",
                                             "password": PASSWORD, "confirm": PASSWORD, "locale": "it",
                                             "accept_privacy": "y"}).get_data(as_text=True)  # fmt: skip
    assert "caratteri di controllo" in html
