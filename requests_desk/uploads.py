"""What an export uploaded on a task may be: a CSV, JSON or PDF file that another system produced,
no larger than `DESK_TASK_UPLOAD_MAX_MEGABYTES`, whose content is what its name says. The name a
browser sends and the type it claims prove nothing, so the bytes are checked."""

import csv
import io
import json
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

KINDS = (".csv", ".json", ".pdf")


def _looks_like(suffix: str, content: bytes) -> bool:
    if suffix == ".pdf":
        return content.startswith(b"%PDF-")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    if "\x00" in text:
        return False
    if suffix == ".json":
        try:
            json.loads(text)
        except ValueError:
            return False
        return True
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error:
        return False
    return bool(rows)


def export_check(*, name: str, content: bytes) -> str:
    """Refuse an upload that is too large, not CSV/JSON/PDF, or not what its name says; return
    the file's suffix."""
    limit = settings.DESK_TASK_UPLOAD_MAX_MEGABYTES
    if len(content) > limit * 1024 * 1024:
        raise ValidationError(
            _("Het bestand is groter dan %(limit)s MB.") % {"limit": limit}, code="too_large"
        )
    suffix = PurePath(name).suffix.lower()
    if suffix not in KINDS:
        raise ValidationError(
            _("Alleen een CSV-, JSON- of PDF-bestand kan worden toegevoegd."), code="file_type"
        )
    if not content or not _looks_like(suffix, content):
        raise ValidationError(
            _("De inhoud van het bestand is geen geldig %(kind)s-bestand.")
            % {"kind": suffix[1:].upper()},
            code="file_content",
        )
    return suffix
