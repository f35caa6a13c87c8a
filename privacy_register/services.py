"""The register's operations: loading Rezulto's register and publishing the statement."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from privacy_register import rezulto
from privacy_register.models import (
    Controller,
    DataSubjectCategory,
    LegalBasis,
    PersonalDataCategory,
    ProcessingActivity,
    Processor,
    PublishedStatement,
    RecipientCategory,
    SecurityMeasure,
    Status,
    System,
    ThirdCountryTransfer,
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
    """What the generated privacy statement says, read from the register: everything Art. 13 and
    14 GDPR require, the right to object apart from the rest (Art. 21(4)). Only the
    public fields are read; the internal note, the balancing note and a transfer's note never are.
    A fixed number of queries, whatever the size of the register."""
    activities = list(
        ProcessingActivity.objects.active()
        .prefetch_related("personal_data_categories", "recipient_categories")
        .order_by("name")
    )
    objection_bases = (LegalBasis.LEGITIMATE_INTEREST, LegalBasis.PUBLIC_TASK)
    return {
        "controller": Controller.objects.first(),
        "activities": activities,
        "objectable": [a for a in activities if a.legal_basis in objection_bases],
        "has_public_task": any(a.legal_basis == LegalBasis.PUBLIC_TASK for a in activities),
        "automated": [a for a in activities if a.automated_decisions.strip()],
        "transfers": list(
            ThirdCountryTransfer.objects.filter(activity__status=Status.ACTIVE)
            .select_related("activity")
            .order_by("activity__name", "country")
        ),
        "processor_kinds": sorted(
            {
                p.get_kind_display()
                for p in Processor.objects.filter(activities__status=Status.ACTIVE).distinct()
            },
            key=str,
        ),
        "security_measures": SecurityMeasure.objects.all(),
    }


def statement_render() -> str:
    """The statement as it would be published now, in Dutch."""
    with translation.override("nl"):
        return render_to_string("privacy_register/statement_content.html", statement_context())


def statement_fingerprint(content: str) -> str:
    """What the confirm step carries: the preview the officer saw is the text that is published."""
    return hashlib.sha256(content.encode()).hexdigest()


@transaction.atomic
def statement_publish(*, by, previewed: str | None = None) -> PublishedStatement:
    """Publish the statement as the register stands now, as a new version; earlier versions are
    kept unchanged and stay readable. With `previewed` (the fingerprint of the preview the officer
    confirmed), the register must not have changed since: what was shown is what is published."""
    last = PublishedStatement.objects.select_for_update().order_by("-version").first()
    content = statement_render()
    if previewed is not None and previewed != statement_fingerprint(content):
        raise ValidationError(
            _(
                "Het register is gewijzigd sinds de voorvertoning. Bekijk de verklaring opnieuw "
                "voordat je publiceert."
            ),
            code="changed_since_preview",
        )
    return PublishedStatement.objects.create(
        version=(last.version if last else 0) + 1, published_by=by, content=content
    )
