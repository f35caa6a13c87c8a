"""The sign-in history: every sign-in, failure, lockout, factor added or removed and role change
is a line with who, when, from where and how, and auditors export it like every history table."""

import json
import time

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.contrib.auth.models import Group
from django.test import Client

from accounts.models import SignInEvent, SignInEventKind
from accounts.roles import AUDITOR, PRIVACY_OFFICER
from audit_exports.tables import exportable_tables

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chromium/140"


def sign_in(client, username, password=PASSWORD):
    return client.post(
        "/accounts/login/",
        {"login": username, "password": password},
        REMOTE_ADDR="198.51.100.7",
        HTTP_USER_AGENT=BROWSER,
    )


def test_a_sign_in_and_a_failure_say_who_when_where_and_how(client, agent):
    sign_in(Client(), "kees", "wrong")
    sign_in(Client(), "klaas", "wrong")  # no such account: recorded as typed
    sign_in(client, "kees")
    signing_in = SignInEvent.objects.exclude(kind=SignInEventKind.ROLE_CHANGED)  # the factory's
    failed, unknown, signed_in = signing_in.order_by("pk")
    assert (failed.kind, failed.user, failed.username) == (SignInEventKind.FAILED, None, "kees")
    assert (unknown.kind, unknown.username, unknown.address) == ("failed", "klaas", "198.51.100.7")
    assert signed_in.kind == SignInEventKind.SIGNED_IN and signed_in.user == agent
    assert (signed_in.method, signed_in.address, signed_in.user_agent) == (
        "password",
        "198.51.100.7",
        BROWSER,
    )
    assert signed_in.at is not None


def test_a_factor_added_and_removed(
    client, privacy_officer, settings, django_capture_on_commit_callbacks
):
    settings.STAFF_MFA_REQUIRED = True
    secret = generate_totp_secret()
    TOTP.activate(privacy_officer, secret)
    sign_in(client, "priya")
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    client.post("/accounts/2fa/authenticate/", {"code": code})
    # Removing a factor asks for the password again (allauth's reauthentication).
    response = client.post("/accounts/2fa/totp/deactivate/")
    assert "/reauthenticate/" in response["Location"]
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/2fa/totp/deactivate/")
    removed = SignInEvent.objects.get(kind=SignInEventKind.FACTOR_REMOVED)
    assert (removed.user, removed.method, removed.by) == (privacy_officer, "totp", privacy_officer)
    assert removed.address == "127.0.0.1"


def test_a_role_change_in_the_admin_names_who_made_it(client_as, agent):
    officer = client_as("privacy_officer")
    change = f"/admin/auth/user/{agent.pk}/change/"
    page = officer.get(change)
    assert page.status_code == 200
    data = {
        "username": "kees",
        "first_name": agent.first_name,
        "last_name": agent.last_name,
        "email": agent.email,
        "is_active": "on",
        "groups": [Group.objects.get(name=AUDITOR).pk],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
    }
    assert officer.post(change, data).status_code == 302
    lines = SignInEvent.objects.filter(
        kind=SignInEventKind.ROLE_CHANGED, user=agent, by__isnull=False
    )
    assert sorted(lines.values_list("detail", flat=True)) == ["+Auditor", "-Klantenservice"]
    assert {(line.method, line.by.username) for line in lines} == {("admin", "priya")}


def test_a_role_given_by_a_script_is_recorded_as_the_systems(privacy_officer):
    privacy_officer.groups.add(Group.objects.get(name=AUDITOR))
    line = SignInEvent.objects.filter(kind=SignInEventKind.ROLE_CHANGED).latest("pk")
    assert (line.detail, line.method, line.by) == ("+Auditor", "system", None)
    assert PRIVACY_OFFICER in privacy_officer.groups.values_list("name", flat=True)


def test_auditors_export_the_sign_in_history(client_as, agent):
    auditor = client_as("auditor")
    SignInEvent.objects.all().delete()  # the factories' role lines
    sign_in(Client(), "kees", "wrong")
    sign_in(Client(), "kees")
    assert "accounts.signinevent" in exportable_tables()
    response = auditor.post(
        "/admin/audit_exports/exportjob/nieuw/",
        {"tables": ["accounts.signinevent"], "format": "json"},
    )
    assert response.status_code == 200
    rows = json.loads(b"".join(response.streaming_content))
    (rows,) = rows.values()
    assert len(rows) == 2
    assert {row["wat"] for row in rows} == {"ingelogd", "inloggen mislukt"}
    assert {row["adres"] for row in rows} == {"198.51.100.7"}


def test_the_sign_in_history_in_the_admin_is_read_only(client_as, agent):
    sign_in(Client(), "kees")
    line = SignInEvent.objects.get(kind=SignInEventKind.SIGNED_IN)
    officer = client_as("privacy_officer")
    assert officer.get("/admin/accounts/signinevent/").status_code == 200
    officer.post(f"/admin/accounts/signinevent/{line.pk}/change/", {"detail": "weg"})
    line.refresh_from_db()
    assert line.detail == ""


def test_the_history_page_in_the_admin_has_a_fixed_number_of_queries(client_as, agent):
    """As many queries for 45 lines as for 5 (the actor joined, not fetched per line)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    officer = client_as("privacy_officer")
    counts = []
    for lines in (5, 40):
        SignInEvent.objects.bulk_create(
            SignInEvent(kind=SignInEventKind.UNLOCKED, user=agent, username="kees", by=agent)
            for _ in range(lines)
        )
        with CaptureQueriesContext(connection) as queries:
            assert officer.get("/admin/accounts/signinevent/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 16
