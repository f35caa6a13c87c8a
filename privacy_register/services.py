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


def _upsert(model: type[models.Model], lookup: dict, values: dict) -> tuple[models.Model, str]:
    """get_or_create, and save only the fields that differ: a second run writes nothing, so the
    history shows only real changes. Says "created", "changed" or ""."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), "created"
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if changed:
        for field in changed:
            setattr(obj, field, values[field])
        obj.save(update_fields=changed)
    return obj, "changed" if changed else ""


def _set_m2m(manager, wanted) -> bool:
    current = set(manager.values_list("pk", flat=True))
    target = {obj.pk for obj in wanted}
    if current != target:
        manager.set(wanted)
        return True
    return False


@transaction.atomic
def register_load_rezulto() -> dict[str, int]:
    """Load (or bring up to date) the register that Rezulto's privacy statement describes.
    Idempotent: what already matches is left untouched."""
    counts = {"created": 0, "changed": 0}

    def tally(upserted: tuple[models.Model, str]) -> models.Model:
        obj, what = upserted
        if what:
            counts[what] += 1
        return obj

    controller = Controller.objects.first()
    if controller is None:
        Controller.objects.create(**rezulto.CONTROLLER)
        counts["created"] += 1
    else:
        tally(_upsert(Controller, {"pk": controller.pk}, rezulto.CONTROLLER))

    subjects = {
        k: tally(_upsert(DataSubjectCategory, {"name": v}, {})) for k, v in rezulto.SUBJECTS.items()
    }
    data = {
        k: tally(_upsert(PersonalDataCategory, {"name": name}, {"is_special": special}))
        for k, (name, special) in rezulto.DATA.items()
    }
    recipients = {
        k: tally(_upsert(RecipientCategory, {"name": v}, {})) for k, v in rezulto.RECIPIENTS.items()
    }
    security = {
        k: tally(_upsert(SecurityMeasure, {"name": v}, {})) for k, v in rezulto.SECURITY.items()
    }
    processors = {
        name: tally(_upsert(Processor, {"name": name}, {"kind": kind, "country": country}))
        for name, (kind, country) in rezulto.PROCESSORS.items()
    }
    systems = {
        slug: tally(
            _upsert(
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
        values = {
            "legitimate_interest": "",
            "balancing_note": "",
            "is_direct_marketing": False,
            "retention_months": None,
            "retention_note": "",
            "is_searchable_by_subject": True,
            **rezulto.COMMON,
            **spec,
        }
        activity = tally(_upsert(ProcessingActivity, {"slug": slug}, values))
        for field, wanted in links.items():
            if _set_m2m(getattr(activity, field), wanted):
                counts["changed"] += 1
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
