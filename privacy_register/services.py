"""The register's operations: loading Rezulto's register and publishing the statement."""

from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import translation

from privacy_register import rezulto
from privacy_register.models import (
    Controller,
    DataSubjectCategory,
    PersonalDataCategory,
    ProcessingActivity,
    Processor,
    PublishedStatement,
    RecipientCategory,
    SecurityMeasure,
    System,
)


def _get_or_create(model: type[models.Model], lookup: dict, values: dict):
    """The row matched by `lookup`, created with `values` when missing. An existing row is left
    exactly as it is — the privacy officer's edits are never put back, and no history row is
    written. Says (row, created)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), True
    return obj, False


@transaction.atomic
def register_load_rezulto() -> dict[str, int]:
    """Load the register that Rezulto's privacy statement describes: create what is missing and
    leave what exists alone (matched by name or code), so that running it again — `make run` does
    at every start — never overwrites the privacy officer's work and writes no history. Says how
    many rows it created and how many it left as they were."""
    counts = {"created": 0, "kept": 0}

    def tally(result) -> models.Model:
        obj, created = result
        counts["created" if created else "kept"] += 1
        return obj

    controller = Controller.objects.first()
    if controller is None:
        Controller.objects.create(**rezulto.CONTROLLER)
        counts["created"] += 1
    else:
        counts["kept"] += 1

    subjects = {
        k: tally(_get_or_create(DataSubjectCategory, {"name": v}, {}))
        for k, v in rezulto.SUBJECTS.items()
    }
    data = {
        k: tally(_get_or_create(PersonalDataCategory, {"name": name}, {"is_special": special}))
        for k, (name, special) in rezulto.DATA.items()
    }
    recipients = {
        k: tally(_get_or_create(RecipientCategory, {"name": v}, {}))
        for k, v in rezulto.RECIPIENTS.items()
    }
    security = {
        k: tally(_get_or_create(SecurityMeasure, {"name": v}, {}))
        for k, v in rezulto.SECURITY.items()
    }
    processors = {
        name: tally(_get_or_create(Processor, {"name": name}, {"kind": kind, "country": country}))
        for name, (kind, country) in rezulto.PROCESSORS.items()
    }
    systems = {
        slug: tally(
            _get_or_create(
                System,
                {"slug": slug},
                {"name": name, "processor": processors.get(processor) if processor else None},
            )
        )
        for slug, (name, processor) in rezulto.SYSTEMS.items()
    }

    for slug, spec in rezulto.ACTIVITIES.items():
        spec = dict(spec)
        links = {
            "data_subject_categories": [subjects[k] for k in spec.pop("subjects")],
            "personal_data_categories": [data[k] for k in spec.pop("data")],
            "recipient_categories": [recipients[k] for k in spec.pop("recipients")],
            "processors": [processors[k] for k in spec.pop("processors", [])],
            "systems": [systems[k] for k in spec.pop("systems", [])],
            "security_measures": list(security.values()),
        }
        activity, created = _get_or_create(
            ProcessingActivity, {"slug": slug}, {**rezulto.COMMON, **spec}
        )
        counts["created" if created else "kept"] += 1
        if created:  # the links of an existing activity are the officer's too
            for field, wanted in links.items():
                getattr(activity, field).set(wanted)
    return counts


def statement_context() -> dict:
    """What the generated privacy statement says, read from the register."""
    activities = (
        ProcessingActivity.objects.active()
        .prefetch_related(
            "personal_data_categories", "recipient_categories", "processors", "security_measures"
        )
        .order_by("name")
    )
    return {
        "controller": Controller.objects.first(),
        "activities": activities,
        "processor_kinds": sorted(
            {p.get_kind_display() for p in Processor.objects.filter(activities__status="active")},
            key=str,
        ),
        "security_measures": SecurityMeasure.objects.all(),
    }


@transaction.atomic
def statement_publish(*, by) -> PublishedStatement:
    """Publish the statement as the register stands now, as a new version; earlier versions are
    kept unchanged and stay readable."""
    last = PublishedStatement.objects.select_for_update().order_by("-version").first()
    with translation.override("nl"):
        content = render_to_string("privacy_register/statement_content.html", statement_context())
    return PublishedStatement.objects.create(
        version=(last.version if last else 0) + 1, published_by=by, content=content
    )
