"""Every page carries the Content-Security-Policy and the other protective headers; cookies are
HttpOnly."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_pages_send_a_strict_content_security_policy(client, url):
    policy = client.get(url)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy


def test_pages_forbid_framing_and_sniffing(client):
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_session_and_csrf_cookies_are_http_only(client, agent):
    response = client.post(
        "/accounts/login/", {"username": "kees", "password": "correct-horse-battery"}
    )
    assert response.cookies["sessionid"]["httponly"]
    assert client.get("/accounts/login/").cookies["csrftoken"]["httponly"]
