"""Reporting, assessing and deciding, filing with the AP in phases, closing: the rules of
LEGAL.md §5 as the services apply them."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from breaches import ap_form
from breaches.deadlines import AMSTERDAM
from breaches.models import ApFiling, Assessment, Breach, BreachStatus, Decision, FilingKind
from breaches.services import (
    ap_file,
    ap_follow_up,
    ap_withdraw,
    breach_close,
    breach_report,
    notice_not_needed,
)
from privacy_register.models import PersonalDataCategory, Processor
from requests_desk.models import OutboxKind, OutboxMessage
from requests_desk.outbox import outbox_sweep
from tests.factories import decide, report_breach

pytestmark = pytest.mark.django_db


def test_a_report_by_an_agent_tells_the_privacy_officer_at_once(register, agent, privacy_officer):
    breach = report_breach(by=agent)
    assert breach.reference.startswith(f"DL-{timezone.localdate().year}-")
    alert = OutboxMessage.objects.get(letter_kind=OutboxKind.BREACH_ALERT)
    assert alert.to == privacy_officer.email and breach.reference in alert.subject
    assert outbox_sweep() == 1
    assert mail.outbox[0].to == [privacy_officer.email]
    assert Assessment.objects.filter(breach=breach).exists()
    assert breach.events.get().kind == "reported"


def test_awareness_is_kept_to_the_minute_and_the_clock_follows_it(register, agent):
    aware = dt.datetime(2026, 3, 2, 14, 20, 37, tzinfo=AMSTERDAM)
    with time_machine.travel(dt.datetime(2026, 3, 2, 15, 0, tzinfo=AMSTERDAM)):
        breach = report_breach(by=agent, aware_at=aware)
    assert breach.aware_at == aware.replace(second=0)
    assert breach.notify_by == dt.datetime(2026, 3, 5, 15, 0, tzinfo=AMSTERDAM)


def test_awareness_in_the_future_is_refused(register, agent):
    with pytest.raises(ValidationError) as refused:
        report_breach(by=agent, aware_at=timezone.now() + dt.timedelta(hours=2))
    assert refused.value.code == "aware_in_future"
    assert not Breach.objects.exists()


def test_a_processors_report_names_the_processor_from_the_register(register, agent):
    with pytest.raises(ValidationError) as refused:
        report_breach(by=agent, how_found="processor")
    assert refused.value.code == "processor_missing"
    processor = Processor.objects.first()
    breach = report_breach(by=agent, how_found="processor", processor=processor)
    assert breach.processor == processor


def test_a_user_without_a_role_may_not_report(register, no_role):
    with pytest.raises(ValidationError):
        report_breach(by=no_role)


def test_only_the_officer_decides_and_a_decision_needs_reasoning(register, agent, privacy_officer):
    breach = report_breach(by=agent)
    with pytest.raises(ValidationError) as refused:
        decide(breach, decision=Decision.RISK, by=agent)
    assert refused.value.code == "not_permitted"
    with pytest.raises(ValidationError) as refused:
        decide(breach, decision=Decision.RISK, by=privacy_officer, reasoning=" ")
    assert refused.value.code == "reasoning_missing"
    special = PersonalDataCategory.objects.create(name="Gezondheidsgegevens", is_special=True)
    decide(breach, decision=Decision.RISK, by=privacy_officer, data_categories=[special])
    breach.refresh_from_db()
    assert breach.status == BreachStatus.ASSESSED
    assert breach.assessment.decided_by == privacy_officer
    assert breach.assessment.history.count() >= 2  # created, then decided
    fields = {f["key"]: f["value"] for f in ap_form.form_fields(breach)}
    assert str(special) in fields["special_categories"]


def test_the_ap_is_notified_only_for_a_risk(register, agent, privacy_officer):
    breach = report_breach(by=agent)
    decide(breach, decision=Decision.NO_RISK, by=privacy_officer)
    with pytest.raises(ValidationError) as refused:
        ap_file(breach=breach, filed_at=timezone.now(), ap_reference="X", by=privacy_officer)
    assert refused.value.code == "no_risk"
    breach_close(breach=breach, note="Vastgelegd, geen melding.", by=privacy_officer)
    assert Breach.objects.get().status == BreachStatus.CLOSED


def test_filing_after_72_hours_requires_the_reasons_for_the_delay(register, agent, privacy_officer):
    aware = timezone.now() - dt.timedelta(hours=80)
    breach = report_breach(by=agent, aware_at=aware)
    decide(breach, decision=Decision.RISK, by=privacy_officer)
    with pytest.raises(ValidationError) as refused:
        ap_file(breach=breach, filed_at=timezone.now(), ap_reference="M-1", by=privacy_officer)
    assert refused.value.code == "late_reasons_missing"
    filing = ap_file(
        breach=breach,
        filed_at=timezone.now(),
        ap_reference="M-1",
        late_reasons="De verwerker meldde het pas na drie dagen.",
        by=privacy_officer,
    )
    content = {f["key"]: f["value"] for f in filing.content}
    assert content["late_reasons"] == "De verwerker meldde het pas na drie dagen."


def test_a_filing_within_72_hours_needs_no_reasons_and_happens_once(
    register, agent, privacy_officer
):
    breach = report_breach(by=agent)
    decide(breach, decision=Decision.RISK, by=privacy_officer)
    ap_file(breach=breach, filed_at=timezone.now(), ap_reference="M-2", by=privacy_officer)
    with pytest.raises(ValidationError) as refused:
        ap_file(breach=breach, filed_at=timezone.now(), ap_reference="M-3", by=privacy_officer)
    assert refused.value.code == "filed"
    with pytest.raises(ValidationError) as refused:
        decide(breach, decision=Decision.NO_RISK, by=privacy_officer)
    assert refused.value.code == "filed"


def test_follow_ups_in_phases_then_a_withdrawal_each_dated(register, agent, privacy_officer):
    breach = report_breach(by=agent)
    decide(breach, decision=Decision.RISK, by=privacy_officer)
    with pytest.raises(ValidationError):
        ap_follow_up(breach=breach, filed_at=timezone.now(), text="Meer.", by=privacy_officer)
    ap_file(breach=breach, filed_at=timezone.now(), ap_reference="M-4", by=privacy_officer)
    ap_follow_up(breach=breach, filed_at=timezone.now(), text="Aantal: 52.", by=privacy_officer)
    ap_follow_up(breach=breach, filed_at=timezone.now(), text="Oorzaak.", by=privacy_officer)
    ap_withdraw(
        breach=breach, filed_at=timezone.now(), text="Geen persoonsgegevens.", by=privacy_officer
    )
    with pytest.raises(ValidationError) as refused:
        ap_follow_up(breach=breach, filed_at=timezone.now(), text="Nog.", by=privacy_officer)
    assert refused.value.code == "withdrawn"
    kinds = list(ApFiling.objects.values_list("kind", "ap_reference"))
    assert kinds == [
        (FilingKind.INITIAL, "M-4"),
        (FilingKind.FOLLOW_UP, "M-4"),
        (FilingKind.FOLLOW_UP, "M-4"),
        (FilingKind.WITHDRAWAL, "M-4"),
    ]
    assert all(f.filed_at for f in ApFiling.objects.all())


def test_the_ap_notification_holds_every_field_of_the_form(register, agent, privacy_officer):
    breach = report_breach(by=agent, occurred_at=timezone.now() - dt.timedelta(days=1))
    decide(breach, decision=Decision.HIGH_RISK, by=privacy_officer)
    filing = ap_file(breach=breach, filed_at=timezone.now(), ap_reference="M-5", by=privacy_officer)
    keys = [f["key"] for f in filing.content]
    assert keys == [
        "controller_name",
        "controller_kvk",
        "controller_address",
        "contact_email",
        "contact_phone",
        "dpo_name",
        "dpo_email",
        "kind",
        "our_reference",
        "ap_reference",
        "summary",
        "people_count",
        "records",
        "occurred_at",
        "aware_at",
        "how_found",
        "processor",
        "nature",
        "cause",
        "deadline",
        "filed_at",
        "late_reasons",
        "activities",
        "systems",
        "data_categories",
        "special_categories",
        "subject_categories",
        "consequences",
        "decision",
        "reasoning",
        "measures_taken",
        "measures_planned",
        "people_informed",
        "encrypted",
        "cross_border",
    ]
    values = {f["key"]: f["value"] for f in filing.content}
    assert values["controller_name"] and values["controller_kvk"]
    assert values["consequences"] == breach.assessment.consequences
    assert values["people_count"] == "40 – 40"
    text = ap_form.as_text(filing.content)
    assert "Ontvanger gevraagd de lijst te verwijderen." in text


def test_a_high_risk_breach_closes_only_once_the_people_are_told_or_why_not(
    register, agent, privacy_officer
):
    breach = report_breach(by=agent)
    decide(breach, decision=Decision.HIGH_RISK, by=privacy_officer)
    with pytest.raises(ValidationError) as refused:
        breach_close(breach=breach, note="", by=privacy_officer)
    assert refused.value.code == "not_filed"
    ap_file(breach=breach, filed_at=timezone.now(), ap_reference="M-6", by=privacy_officer)
    with pytest.raises(ValidationError) as refused:
        breach_close(breach=breach, note="", by=privacy_officer)
    assert refused.value.code == "people_not_told"
    notice_not_needed(
        breach=breach,
        ground="unintelligible",
        reason="De bijlage was versleuteld.",
        by=privacy_officer,
    )
    breach_close(breach=breach, note="", by=privacy_officer)
    assert Breach.objects.get().status == BreachStatus.CLOSED


def test_every_model_keeps_its_history():
    from django.apps import apps

    models = list(apps.get_app_config("breaches").get_models())
    without = [
        m.__name__
        for m in models
        if not m.__name__.startswith("Historical")
        and m.__name__ != "ReferenceCounter"
        and not hasattr(m, "history")
    ]
    assert without == []


def test_a_refused_report_writes_nothing(register, agent):
    with pytest.raises(ValidationError):
        breach_report(
            title="x",
            what_happened="y",
            aware_at=timezone.now(),
            how_found="processor",
            cause="other",
            by=agent,
        )
    assert not Breach.objects.exists() and not OutboxMessage.objects.exists()


def test_the_auditor_exports_find_the_breach_history_tables():
    from audit_exports.tables import exportable_tables

    tables = set(exportable_tables())
    for name in (
        "breach",
        "assessment",
        "apfiling",
        "peoplenotice",
        "breachreminder",
        "breachevent",
    ):
        assert f"breaches.historical{name}" in tables


def test_the_assessments_history_keeps_the_registers_rows_it_named(
    register, agent, privacy_officer
):
    from privacy_register.models import ProcessingActivity

    breach = report_breach(by=agent)
    first, second = ProcessingActivity.objects.order_by("pk")[:2]
    decide(breach, decision=Decision.RISK, by=privacy_officer, activities=[first])
    decide(breach, decision=Decision.RISK, by=privacy_officer, activities=[second])
    versions = breach.assessment.history.order_by("history_id")
    named = [list(v.activities.values_list("processingactivity_id", flat=True)) for v in versions]
    # Every change is a version, the many-to-many ones included (a set() is a removal and an add).
    assert [first.pk] in named and named[-1] == [second.pk]
