"""URL × role → status for every register URL: the admin pages of every model, the exports, the
report, publishing, and the public statement."""

import pytest

from privacy_register.models import ProcessingActivity
from privacy_register.services import statement_publish
from tests.conftest import ADMIN_NEVER, MATRIX_ROLES, assert_status

pytestmark = pytest.mark.django_db

STAFF_READ = {
    "anonymous": 302,
    "no_role": 302,
    "agent": 302,
    "privacy_officer": 200,
    "auditor": 200,
}
OFFICER_ONLY = {
    "anonymous": 302,
    "no_role": 302,
    "agent": 302,
    "privacy_officer": 200,
    "auditor": 403,
}
PUBLIC = dict.fromkeys(MATRIX_ROLES, 200)
MODELS = [
    "controller",
    "datasubjectcategory",
    "personaldatacategory",
    "recipientcategory",
    "securitymeasure",
    "processor",
    "processoragreement",
    "system",
    "processingactivity",
    "publishedstatement",
]


def urls(activity, statement):
    base = "/admin/privacy_register/"
    matrix = {f"{base}{model}/": STAFF_READ for model in MODELS}
    matrix.update({f"{base}{model}/add/": OFFICER_ONLY for model in MODELS})
    matrix[f"{base}publishedstatement/add/"] = ADMIN_NEVER
    matrix[f"{base}controller/add/"] = OFFICER_ONLY
    matrix.update(
        {
            f"{base}processingactivity/{activity.pk}/change/": STAFF_READ,
            f"{base}processingactivity/{activity.pk}/history/": STAFF_READ,
            f"{base}processingactivity/{activity.pk}/delete/": OFFICER_ONLY,
            f"{base}processingactivity/art30.xlsx": STAFF_READ,
            f"{base}processingactivity/art30.csv": STAFF_READ,
            f"{base}processingactivity/volledigheid/": STAFF_READ,
            f"{base}processingactivity/publiceren/": OFFICER_ONLY,
            f"{base}publishedstatement/{statement.pk}/change/": STAFF_READ,
            "/privacy/verklaring/": PUBLIC,
            "/privacy/verklaring/1/": PUBLIC,
        }
    )
    return matrix


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_register_urls(client_as, register, role):
    statement = statement_publish(by=None)
    client = client_as(role)
    for url, expected in urls(ProcessingActivity.objects.first(), statement).items():
        assert_status(client, url, expected[role])


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("agent", 302), ("auditor", 403), ("privacy_officer", 302)],
)
def test_publishing(client_as, register, role, expected):
    assert_status(
        client_as(role), "/admin/privacy_register/processingactivity/publiceren/", expected, "post"
    )


def test_an_auditor_cannot_change_an_activity(client_as, register):
    activity = ProcessingActivity.objects.get(slug="nieuwsbrieven")
    url = f"/admin/privacy_register/processingactivity/{activity.pk}/change/"
    assert client_as("auditor").post(url, {"name": "Gehackt"}).status_code == 403
    activity.refresh_from_db()
    assert activity.name == "Nieuwsbrieven"
