#!/usr/bin/env python3
"""Take the README's screenshots of every role's main screens from a running demo office.

    .venv/bin/python tools/screenshots.py --base-url http://127.0.0.1:8000 [--out docs/screenshots]

The server must run the demo (`make run`, or migrate, setup_roles, create_demo_users and load_demo
on a database of its own) with the same DATABASE_URL and SECRET_KEY as this script: the script
reads that database for what a browser cannot find by itself (a person's personal link to the
preference centre, which is signed with the server's key, and a request worth showing) and then
drives Debian's chromium through Playwright, logged in through the login form as the demo users.
Writes one PNG per screen into --out:

    public-request-form.png   the public request form (anyone)
    preference-centre.png     a person's preference centre (their personal link)
    desk-queue.png            the desk's queue (the agent)
    desk-request.png          a request being worked (the agent)
    officer-start.png         the privacy officer's start page (the admin index)
    breach-register.png       the register of breaches (the privacy officer)
"""

import argparse
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"


def demo_office(base_url: str) -> dict:
    """What the screens need from the demo data: the demo users' passwords, a person with a
    consent (for the preference centre), and an open request with tasks (for the request page)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["SELF_SERVICE_BASE_URL"] = base_url  # the personal link points at this server
    import django

    django.setup()
    from accounts.demo_users import DEMO_USERS
    from accounts.roles import AGENT, PRIVACY_OFFICER
    from consents.models import Action, ConsentState
    from requests_desk.models import DataSubjectRequest, Status
    from self_service.links import preference_centre_url

    users = {role: (username, password) for username, password, role, *_names in DEMO_USERS}
    state = (
        ConsentState.objects.filter(status=Action.GIVEN, subject__email__contains="@")
        .select_related("subject")
        .order_by("subject__pk")
        .first()
    )
    request = (
        DataSubjectRequest.objects.filter(status=Status.IN_PROGRESS, tasks__isnull=False)
        .order_by("due_on", "pk")
        .first()
    )
    if state is None or request is None:
        raise SystemExit("No demo data in this database: run `manage.py load_demo` first.")
    return {
        "agent": users[AGENT],
        "officer": users[PRIVACY_OFFICER],
        "preferences": urlsplit(preference_centre_url(state.subject)).path,
        "request": request.reference,
    }


def log_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def take(context, base_url: str, out: Path, shots: list[tuple[str, str]]) -> None:
    page = context.new_page()
    for name, path in shots:
        response = page.goto(f"{base_url}{path}")
        if response is None or response.status != 200:
            raise SystemExit(f"{path}: {response and response.status}, not 200")
        page.screenshot(path=str(out / name), full_page=True)
        print(out / name)  # not the path: the preference centre's holds a person's token
    page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--base-url", required=True, help="the running server, e.g. http://127.0.0.1:8000"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    base_url = args.base_url.rstrip("/")
    args.out.mkdir(parents=True, exist_ok=True)
    office = demo_office(base_url)

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        viewport = {"width": 1280, "height": 900}

        def context(username=None, password=None):
            # A Dutch browser, as the office's users have; each role in a session of its own.
            ctx = browser.new_context(locale="nl-NL", viewport=viewport)
            if username:
                page = ctx.new_page()
                log_in(page, base_url, username, password)
                page.close()
            return ctx

        take(
            context(),
            base_url,
            args.out,
            [
                ("public-request-form.png", "/privacy/verzoek/"),
                ("preference-centre.png", office["preferences"]),
            ],
        )
        take(
            context(*office["agent"]),
            base_url,
            args.out,
            [("desk-queue.png", "/desk/"), ("desk-request.png", f"/desk/{office['request']}/")],
        )
        take(
            context(*office["officer"]),
            base_url,
            args.out,
            [
                ("officer-start.png", "/admin/"),
                ("breach-register.png", "/desk/datalekken/register/"),
            ],
        )
        browser.close()


if __name__ == "__main__":
    main()
