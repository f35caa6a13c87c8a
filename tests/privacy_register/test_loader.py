"""`load_rezulto_register` loads what the privacy statement says, creates only what is missing,
and never puts back what the privacy officer changed."""

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
    assert "Register: 0 created," in capsys.readouterr().out
    assert ProcessingActivity.history.count() == history


def test_a_change_by_the_officer_is_kept_and_no_history_is_written(register):
    newsletter = ProcessingActivity.objects.get(slug="nieuwsbrieven")
    newsletter.owner = "Iemand"
    newsletter.save()
    newsletter.recipient_categories.clear()
    history = ProcessingActivity.history.count()
    call_command("load_rezulto_register", verbosity=0)
    newsletter.refresh_from_db()
    assert newsletter.owner == "Iemand"
    assert not newsletter.recipient_categories.exists()
    assert ProcessingActivity.history.count() == history


def test_a_deleted_activity_is_created_again_with_its_links(register):
    ProcessingActivity.objects.filter(slug="telemarketing").delete()
    call_command("load_rezulto_register", verbosity=0)
    telemarketing = ProcessingActivity.objects.get(slug="telemarketing")
    assert telemarketing.processors.get().name == "Belbureau"


@pytest.mark.parametrize(
    ("slug", "requirement"),
    [
        ("verkoop-en-levering", "for_contract"),
        ("nieuwsbrieven", "voluntary"),
        ("accounts", "voluntary"),
        ("marktonderzoek", "voluntary"),
        ("websitegedrag", "not_provided"),
        ("social-media", "not_provided"),
    ],
)
def test_whether_giving_the_data_is_required_as_the_statement_says(register, slug, requirement):
    assert ProcessingActivity.objects.get(slug=slug).provision_requirement == requirement


def test_only_the_social_media_data_comes_from_elsewhere_with_its_source(register):
    elsewhere = ProcessingActivity.objects.filter(obtained_from_subject=False)
    assert [a.slug for a in elsewhere] == ["social-media"]
    assert "Socialemediaplatforms" in elsewhere.get().data_source


def test_the_seed_names_no_transfer_and_no_automated_decision(register):
    assert not ProcessingActivity.objects.exclude(automated_decisions="").exists()
    assert not ProcessingActivity.objects.filter(transfers__isnull=False).exists()


def test_working_choices_are_internal_notes_not_public_text(register):
    analytics = ProcessingActivity.objects.get(slug="websitegedrag")
    assert analytics.internal_note.startswith("Werkkeuze")
    assert not ProcessingActivity.objects.filter(retention_note__icontains="werkkeuze").exists()
    assert not ProcessingActivity.objects.filter(public_text__icontains="werkkeuze").exists()
