"""Every model in the admin × every role → status, for the list, a row's page, its history, add and
delete, on the demo office. Each model is named below with what the privacy officer may do with it;
a model registered in the admin without a line here fails the test, so the matrix grows with the
admin."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import SignInEvent
from api.models import ApiCall, ApiClient, WebhookDelivery, WebhookSubscription
from api.services import apikey_create
from audit_exports.models import ExportJob
from breaches.models import Breach, NoticeLookup
from connectors.models import Connector, ConnectorRun, Operation
from consents.models import DataSubject
from consents.services import ledger_checkpoint
from privacy_register.models import Processor, ProcessorAgreement, System
from requests_desk.models import DataSubjectRequest, InboundMessage, Reminder
from subject_rights.models import AccessPackage
from tests.conftest import MATRIX_ROLES

pytestmark = pytest.mark.django_db

PAGES = ("list", "change", "history", "add", "delete")
# What the officer gets per page; the auditor gets the same for looking and 403 for add and delete.
EDITS = dict.fromkeys(PAGES, 200)
ADDS = {**EDITS, "delete": 403}  # a subject leaves only by erasure, a service
RECORD = {**EDITS, "add": 403, "delete": 403}  # written by the services only
SUPERUSER = dict.fromkeys(PAGES, 403)  # django-axes' own tables

POLICY = {
    "accounts.signinevent": RECORD,
    "auth.group": EDITS,
    "auth.user": EDITS,
    "axes.accessattempt": SUPERUSER,
    "axes.accessfailurelog": SUPERUSER,
    "axes.accesslog": SUPERUSER,
    "mfa.authenticator": SUPERUSER,  # allauth's own table; a factor is removed by its owner
    "privacy_register.controller": EDITS,
    "privacy_register.datasubjectcategory": EDITS,
    "privacy_register.personaldatacategory": EDITS,
    "privacy_register.processingactivity": EDITS,
    "privacy_register.processor": EDITS,
    "privacy_register.processoragreement": EDITS,
    "privacy_register.publishedstatement": RECORD,
    "privacy_register.recipientcategory": EDITS,
    "privacy_register.securitymeasure": EDITS,
    "privacy_register.system": EDITS,
    "consents.consentevent": RECORD,
    "consents.consentpurpose": EDITS,
    "consents.datasubject": ADDS,
    "consents.ledgercheckpoint": RECORD,
    "requests_desk.datasubjectrequest": RECORD,
    "requests_desk.inboundmessage": RECORD,
    "requests_desk.lettertemplate": RECORD,
    "requests_desk.outboxmessage": RECORD,
    "requests_desk.reminder": RECORD,
    "requests_desk.requestevent": RECORD,
    "requests_desk.requesttask": RECORD,
    "audit_exports.exportjob": RECORD,
    "subject_rights.accesspackage": RECORD,
    "breaches.apfiling": RECORD,
    "breaches.assessment": RECORD,
    "breaches.breach": RECORD,
    "breaches.breachevent": RECORD,
    "breaches.breachreminder": RECORD,
    "breaches.noticelookup": RECORD,
    "breaches.peoplenotice": RECORD,
    "connectors.connector": EDITS,
    "connectors.connectorrun": RECORD,
    "api.apiclient": EDITS,
    "api.apikey": RECORD,
    "api.apicall": RECORD,
    "api.webhooksubscription": EDITS,
    "api.webhookdelivery": RECORD,
}


def expected(policy: dict, role: str, page: str) -> int:
    if role in ("anonymous", "no_role", "agent"):
        return 302  # to the admin's login page
    if role == "auditor" and policy is not SUPERUSER:
        return 403 if page in ("add", "delete") else 200
    return policy[page]


@pytest.fixture
def office(privacy_officer):
    """The demo office, plus a row of each model the demo leaves empty."""
    call_command("load_demo", verbosity=0)
    ProcessorAgreement.objects.create(
        processor=Processor.objects.first(), signed_on="2025-01-01", document_reference="DPA-1"
    )
    Reminder.objects.create(
        request=DataSubjectRequest.objects.first(), kind="target", deadline_on="2026-12-01"
    )
    ExportJob.objects.create(
        created_by=privacy_officer, tables=["consents.consentevent"], format="csv"
    )
    AccessPackage.objects.create(
        request=DataSubjectRequest.objects.first(), expires_at=timezone.now(), max_downloads=3
    )
    ConnectorRun.objects.create(
        request=DataSubjectRequest.objects.first(),
        connector=Connector.objects.first(),
        operation=Operation.ACCESS,
    )
    InboundMessage.objects.create(
        message_id="<vraag@school.example>", kind="request", from_address="a@school.example"
    )
    ledger_checkpoint()
    NoticeLookup.objects.create(
        breach=Breach.objects.first(), subject="Datalek", body="Wat er gebeurde", by=privacy_officer
    )
    SignInEvent.objects.create(kind="signed_in", user=privacy_officer, username="priya")
    Authenticator.objects.create(user=privacy_officer, type="recovery_codes", data={})
    client = ApiClient.objects.create(
        name="Webshop", system=System.objects.first(), scopes=["consents:read"]
    )
    apikey_create(client=client)
    ApiCall.objects.create(client=client, method="POST", route="x/", status=200, duration_ms=1)
    subscription = WebhookSubscription.objects.create(
        client=client, url="http://127.0.0.1:9/hook", events=["subject.erased"]
    )
    WebhookDelivery.objects.create(subscription=subscription, event="subject.erased", body="{}")
    assert DataSubject.objects.exists()


def test_every_admin_model_has_a_line_in_the_matrix():
    assert {model._meta.label_lower for model in admin.site._registry} == set(POLICY)


def pages() -> tuple[dict[str, dict[str, int]], list[str]]:
    """Every admin page of the office → {role: status}, and the models that have no row to open
    (the language crawl, tests/platform/test_language_crawl.py, fetches the same pages)."""
    matrix, missing = {}, []
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        row = model._default_manager.order_by("pk").first()
        urls = {"list": reverse(f"{info}_changelist"), "add": reverse(f"{info}_add")}
        if row is not None:
            for page in ("change", "history", "delete"):
                urls[page] = reverse(f"{info}_{page}", args=[row.pk])
        elif model._meta.app_label != "axes":
            missing.append(f"{model._meta.label}: no row to open")
        policy = POLICY[model._meta.label_lower]
        for page, url in urls.items():
            matrix[url] = {role: expected(policy, role, page) for role in MATRIX_ROLES}
    return matrix, missing


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_every_admin_page_per_role(client_as, office, role):
    client = client_as(role)
    matrix, wrong = pages()
    for url, row in matrix.items():
        status = client.get(url).status_code
        if status != row[role]:
            wrong.append(f"GET {url}: expected {row[role]}, got {status}")
    assert not wrong, "\n".join(wrong)
