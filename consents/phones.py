"""One spelling per phone number, so that a number is found however it was typed: pure functions,
no database. `06-12345678`, `+31 6 1234 5678` and `0031612345678` are all `+31612345678` (E.164,
by Google's libphonenumber rules through `phonenumbers`); a number without a country code is
read as Dutch."""

import re

import phonenumbers

DEFAULT_REGION = "NL"
# What a typed phone number consists of: digits and the usual separators, nothing else (so that
# a request reference such as AVG-2026-00001 is not read as a number).
PHONE_CHARACTERS = re.compile(r"\+?[\d\s().\-/]+")


def normalise_phone(text: str, region: str = DEFAULT_REGION) -> str:
    """The number in E.164 (`+31612345678`), or "" when `text` is not a valid phone number."""
    text = (text or "").strip()
    if not PHONE_CHARACTERS.fullmatch(text) or sum(c.isdigit() for c in text) < 6:
        return ""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_hash_input(e164: str) -> str:
    """What the keyed hash of a person known only by phone is taken over (their `email_hash`): a
    string no e-mail address can be, so the two never meet."""
    return f"tel:{e164}"
