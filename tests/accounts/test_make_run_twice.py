"""`make run` twice with the privacy officer's edits between: the loaders create what is missing
and leave what exists alone, so every edit survives and the second run writes no history row."""

import pytest
from django.apps import apps
from django.core.management import call_command

from consents.models import ConsentEvent, ConsentPurpose
from privacy_register.models import Controller, ProcessingActivity, Processor, PublishedStatement
from requests_desk.models import DataSubjectRequest, OutboxMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def history_rows() -> dict[str, int]:
    """The number of rows of every history table (django-simple-history) of the project."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model.__name__.startswith("Historical")
    }


def make_run():
    """What `make run` does before it starts the servers (the data part of it)."""
    call_command("setup_roles", verbosity=0)
    call_command("load_demo", stdout=None)


def test_a_second_run_keeps_the_officers_edits_and_writes_no_history(capsys):
    make_run()
    officer = UserFactory(username="priya")

    # The officer's edits, as the admin saves them (with history and the officer as its user).
    newsletters = ProcessingActivity.objects.get(slug="nieuwsbrieven")
    newsletters.purposes = "Alleen de nieuwsbrief waarvoor je koos, één keer per maand."
    newsletters.internal_note = "Frequentie afgestemd met marketing."
    newsletters._history_user = officer
    newsletters.save()
    newsletters.processors.clear()
    controller = Controller.objects.get()
    controller.phone = "020 1234567"
    controller._history_user = officer
    controller.save()
    Processor.objects.filter(name="Belbureau").update(country="BE")
    ConsentPurpose.objects.filter(slug="telemarketing").update(name="Bellen met aanbiedingen")

    before = history_rows()
    events, letters = ConsentEvent.objects.count(), OutboxMessage.objects.count()
    requests, statements = DataSubjectRequest.objects.count(), PublishedStatement.objects.count()
    capsys.readouterr()
    make_run()
    out = capsys.readouterr().out

    assert history_rows() == before
    assert (ConsentEvent.objects.count(), OutboxMessage.objects.count()) == (events, letters)
    assert DataSubjectRequest.objects.count() == requests
    assert PublishedStatement.objects.count() == statements
    newsletters.refresh_from_db()
    assert newsletters.purposes.startswith("Alleen de nieuwsbrief waarvoor je koos")
    assert newsletters.internal_note == "Frequentie afgestemd met marketing."
    assert not newsletters.processors.exists()
    assert newsletters.history.first().history_user == officer
    assert Controller.objects.get().phone == "020 1234567"
    assert Processor.objects.get(name="Belbureau").country == "BE"
    assert ConsentPurpose.objects.get(slug="telemarketing").name == "Bellen met aanbiedingen"
    assert "Register: 0 created," in out


def test_load_rezulto_register_twice_with_an_edit_between_keeps_the_edit(capsys):
    call_command("load_rezulto_register")
    activity = ProcessingActivity.objects.get(slug="marktonderzoek")
    activity.owner = "Team Onderzoek"
    activity.save()
    before = history_rows()
    capsys.readouterr()
    call_command("load_rezulto_register")
    assert "Register: 0 created," in capsys.readouterr().out
    assert history_rows() == before
    assert ProcessingActivity.objects.get(slug="marktonderzoek").owner == "Team Onderzoek"
