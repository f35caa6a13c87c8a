"""A letter on paper: one letter as an A4 PDF (WeasyPrint) with the company's letterhead from the
settings (`DESK_LETTERHEAD`), the address block, the reference and the date, for requesters
without an e-mail address, and for anyone who wants a letter printed.

No blanks here either: a letter without a name, a postal address for the envelope, or a text is
refused, never printed with a gap."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _


def letter_pdf(
    *, reference: str, name: str, address: str, subject: str, body: str, day: dt.date
) -> bytes:
    """The letter's PDF bytes, in Dutch."""
    from weasyprint import HTML  # a heavy import, only where a PDF is made

    html = letter_html(
        reference=reference, name=name, address=address, subject=subject, body=body, day=day
    )
    return HTML(string=html).write_pdf()


def letter_html(
    *, reference: str, name: str, address: str, subject: str, body: str, day: dt.date
) -> str:
    """The page the PDF is printed from: letterhead, address block, reference, date, text."""
    missing = [
        label
        for label, value in ((_("naam"), name), (_("adres"), address), (_("tekst"), body))
        if not (value or "").strip()
    ]
    if missing:
        raise ValidationError(
            _("Deze brief kan niet worden afgedrukt: %(missing)s ontbreekt.")
            % {"missing": ", ".join(missing)},
            code="missing_data",
        )
    with translation.override("nl"):
        return render_to_string(
            "requests_desk/letter_pdf.html",
            {
                "head": settings.DESK_LETTERHEAD,
                "reference": reference,
                "name": name.strip(),
                "address_lines": [line.strip() for line in address.splitlines() if line.strip()],
                "subject": subject,
                "paragraphs": [p.strip() for p in body.split("\n\n") if p.strip()],
                "day": formats.date_format(day, "j F Y"),
            },
        )
