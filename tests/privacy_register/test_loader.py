"""`load_rezulto_register` loads what the privacy statement says, and changes nothing the
second time."""

import pytest
from django.core.management import call_command

from privacy_register.models import Controller, ProcessingActivity, Processor

pytestmark = pytest.mark.django_db


def test_the_controller_is_rezulto(register):
    controller = Controller.objects.get()
    assert (controller.name, controller.kvk_number) == ("Rezulto B.V.", "84541423")
    assert controller.address == "Sarphatipark 25, 1073 CP Amsterdam"


@pytest.mark.parametrize(
    ("slug", "legal_basis"),
    [
        ("verkoop-en-levering", "contract"),
        ("websitegedrag", "legitimate_interest"),
        ("acties-en-winacties", "consent"),
        ("nieuwsbrieven", "consent"),
        ("accounts", "consent"),
        ("accountanalyse", "legitimate_interest"),
        ("social-media", "legitimate_interest"),
        ("marktonderzoek", "consent"),
        ("klantenservice", "contract"),
        ("klantenservice-verbetering", "legitimate_interest"),
        ("marketing-email", "legitimate_interest"),
        ("telemarketing", "consent"),
        ("direct-mail", "legitimate_interest"),
        ("privacyverzoeken", "legal_obligation"),
    ],
)
def test_every_activity_of_the_statement_with_its_legal_basis(register, slug, legal_basis):
    assert ProcessingActivity.objects.active().get(slug=slug).legal_basis == legal_basis


def test_the_soft_opt_in_runs_two_years_after_the_last_purchase(register):
    marketing = ProcessingActivity.objects.get(slug="marketing-email")
    assert (marketing.retention_months, marketing.retention_event) == (24, "last_purchase")
    assert marketing.is_direct_marketing


def test_newsletters_last_until_opt_out(register):
    assert ProcessingActivity.objects.get(slug="nieuwsbrieven").retention_event == "until_opt_out"


def test_the_processor_categories_of_the_statement(register):
    kinds = set(Processor.objects.values_list("kind", flat=True))
    assert {"technical", "mailing_house", "research_agency", "call_agency"} <= kinds


def test_running_it_twice_changes_nothing(register, capsys):
    history = ProcessingActivity.history.count()
    call_command("load_rezulto_register")
    assert "0 created, 0 changed" in capsys.readouterr().out
    assert ProcessingActivity.history.count() == history


def test_a_change_by_the_officer_is_put_back_and_recorded(register):
    ProcessingActivity.objects.filter(slug="nieuwsbrieven").update(owner="Iemand")
    call_command("load_rezulto_register", verbosity=0)
    newsletter = ProcessingActivity.objects.get(slug="nieuwsbrieven")
    assert newsletter.owner == "Privacy officer"
    assert newsletter.history.first().owner == "Privacy officer"
