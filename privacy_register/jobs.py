"""The register's job: the daily digest to the privacy officers of the reviews that are overdue
and the processor agreements that have expired or expire soon (Art. 28(3) GDPR: processing by a
processor is governed by a contract).

The digest goes through the office's outbox, named in settings (`OFFICE_MAIL_QUEUE`) because the
outbox belongs to the desk, an app above this one: the register never imports it. Apps above add a
section of their own by declaring `register_digest_section` on their `AppConfig` (the dotted path
of a function `(today=) → text`): the consents app puts the ledger's newest signed checkpoint there.
"""

import datetime as dt

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from accounts.roles import PRIVACY_OFFICER, users_in_role
from privacy_register.selectors import FindingCode, completeness_findings

# The outbox kind of the digest (requests_desk.models.OutboxKind.REGISTER_DIGEST).
DIGEST_KIND = "register_digest"
DIGEST_CODES = (
    FindingCode.REVIEW_OVERDUE,
    FindingCode.NO_AGREEMENT,
    FindingCode.AGREEMENT_EXPIRED,
    FindingCode.AGREEMENT_EXPIRING,
)


def digest_sections(*, today: dt.date) -> list[str]:
    """The sections the apps declare for the digest, in the order of INSTALLED_APPS; empty ones
    left out."""
    texts = (
        import_string(config.register_digest_section)(today=today)
        for config in apps.get_app_configs()
        if getattr(config, "register_digest_section", None)
    )
    return [text for text in texts if text]


@transaction.atomic
def register_digest_send(*, today: dt.date | None = None) -> int:
    """Tell the privacy officers which register reviews are overdue and which processor
    agreements are missing, have expired or expire within 60 days; once a day at most (the
    outbox's dedupe key). The sections other apps declare follow (the ledger's newest signed
    checkpoint); a day with neither findings nor sections sends nothing. Returns how many mails
    were queued."""
    today = today or timezone.localdate()
    findings = [f for f in completeness_findings(today=today) if f.code in DIGEST_CODES]
    sections = digest_sections(today=today)
    if not findings and not sections:
        return 0
    queue = import_string(settings.OFFICE_MAIL_QUEUE)
    lines = "".join(f"{f.subject}: {f.problem}\n" for f in findings)
    body = "\n".join([lines, *sections] if lines else sections)
    subject = (
        _("Verwerkingsregister: %(count)s punt(en) om na te lopen") % {"count": len(findings)}
        if findings
        else _("Privacy Office: het dagelijkse overzicht")
    )
    queued = 0
    for officer in users_in_role(PRIVACY_OFFICER).exclude(email=""):
        message = queue(
            to=officer.email,
            kind=DIGEST_KIND,
            subject=subject,
            body=body,
            key=f"register-digest:{today.isoformat()}:{officer.pk}",
        )
        queued += message is not None
    return queued
