"""One spelling per e-mail address, so one person is one subject: pure functions, no database.

Every place that looks a person up by address — the ledger, the desk, the self-service pages and
their rate limits, imports — goes through `normalise_email` (re-exported by consents.services)."""

import unicodedata

from email_validator import EmailNotValidError, validate_email


def normalise_email(email: str) -> str:
    """Surrounding space removed, Unicode NFC, lower case, and the domain in its IDNA (ASCII)
    form, as email-validator computes it: `x@bücher.example`, `X@xn--bcher-kva.example` and the
    decomposed `x@bu\u0308cher.example` are all `x@xn--bcher-kva.example`. A string that is not an
    address comes back trimmed, NFC and lower case (the caller's validation refuses it)."""
    text = unicodedata.normalize("NFC", (email or "").strip()).lower()
    if text.isascii():
        return text  # NFC and IDNA leave ASCII as it is: the common case, without the parser
    try:
        parsed = validate_email(text, check_deliverability=False, globally_deliverable=False)
    except EmailNotValidError:
        return text
    return f"{parsed.local_part}@{parsed.ascii_domain}".lower()


def untagged(email: str) -> str | None:
    """The same address without its `+tag` (`x+nieuwsbrief@d` → `x@d`), or None when it has
    none. An opt-out under the tagged address also holds for the untagged one: the tag is the
    person's own way of sorting their mail, not another person."""
    local, at, domain = normalise_email(email).rpartition("@")
    if not at or "+" not in local or local.startswith("+"):
        return None
    return f"{local.split('+', 1)[0]}@{domain}"

