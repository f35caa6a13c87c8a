"""The completeness report's findings, each with a link to fix it."""

import datetime as dt

import pytest

from privacy_register.models import ProcessingActivity, Processor, ProcessorAgreement
from privacy_register.selectors import completeness_findings

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 25)


def problems(name):
    return [f.problem for f in completeness_findings(today=TODAY) if f.subject == name]


def agreement(processor, expires_on):
    ProcessorAgreement.objects.create(
        processor=processor,
        signed_on=dt.date(2024, 1, 1),
        expires_on=expires_on,
        document_reference="VO",
    )


def test_an_empty_mandatory_field_is_found(register):
    newsletter = ProcessingActivity.objects.get(slug="nieuwsbrieven")
    newsletter.recipient_categories.clear()
    assert any("categorieën ontvangers" in p for p in problems("Nieuwsbrieven"))


def test_a_missing_statement_item_is_found(register):
    ProcessingActivity.objects.filter(slug="nieuwsbrieven").update(provision_requirement="")
    ProcessingActivity.objects.filter(slug="social-media").update(data_source="")
    assert any("verplichting tot verstrekken" in p for p in problems("Nieuwsbrieven"))
    assert any("bron van de gegevens" in p for p in problems("Sociale media"))
    assert not any("bron van de gegevens" in p for p in problems("Nieuwsbrieven"))


def test_a_missing_agreement_is_found_with_a_link(register):
    findings = [f for f in completeness_findings(today=TODAY) if f.subject == "Verzendhuis"]
    assert findings[0].problem == "Geen verwerkersovereenkomst"
    assert findings[0].fix_url.endswith("/change/")


def test_expired_and_expiring_agreements_are_found(register):
    agreement(Processor.objects.get(name="Verzendhuis"), dt.date(2026, 11, 1))
    agreement(Processor.objects.get(name="Belbureau"), dt.date(2027, 1, 10))
    agreement(Processor.objects.get(name="Onderzoeksbureau"), dt.date(2027, 6, 1))
    assert problems("Verzendhuis") == ["Verwerkersovereenkomst verlopen op 2026-11-01"]
    assert problems("Belbureau") == ["Verwerkersovereenkomst verloopt op 2027-01-10"]
    assert problems("Onderzoeksbureau") == []


def test_an_overdue_review_is_found(register):
    ProcessingActivity.objects.filter(slug="accounts").update(next_review_on=dt.date(2026, 1, 1))
    assert any(
        "Review verlopen" in p
        for p in problems(ProcessingActivity.objects.get(slug="accounts").name)
    )


def test_a_consent_activity_without_a_consent_purpose_is_found(register):
    assert any("toestemmingsgrootboek" in p for p in problems("Telemarketing"))
    from tests.factories import ConsentPurposeFactory

    ConsentPurposeFactory(activity=ProcessingActivity.objects.get(slug="telemarketing"))
    assert not any("toestemmingsgrootboek" in p for p in problems("Telemarketing"))


def test_the_report_page(client_as, register):
    body = (
        client_as("auditor")
        .get("/admin/privacy_register/processingactivity/volledigheid/")
        .content.decode()
    )
    assert "Geen verwerkersovereenkomst" in body and "Herstellen" in body
