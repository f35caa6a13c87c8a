"""The bulk "may we contact?": many addresses, one purpose, in chunks, constant memory."""

from collections.abc import Iterable, Iterator

from django.db.models import F

from consents.bulk import AnyOf
from consents.models import ConsentPurpose
from consents.selectors import contactable_states
from consents.services import email_hash

CHUNK = 5000  # addresses a query; 20 queries for the largest call, and 5,000 answers held


def may_contact_many(
    *, purpose: ConsentPurpose, emails: Iterable[str]
) -> Iterator[tuple[str, bool]]:
    """(address, answer) for each address, in order. Yes only when the state for the purpose is
    "given", not restricted (Art. 18), not erased, the person's number not opted out by phone
    since: the rule of `consents.selectors.contactable_states`, matched by the keyed hash (so an
    erased person, whose address is gone, answers no too). One indexed query per CHUNK
    addresses; an unknown address answers exactly like a withdrawn one."""
    for answers in may_contact_chunks(purpose=purpose, emails=emails):
        yield from answers


def may_contact_chunks(
    *, purpose: ConsentPurpose, emails: Iterable[str]
) -> Iterator[list[tuple[str, bool]]]:
    """`may_contact_many`'s answers a chunk (CHUNK addresses) at a time, for a caller that writes
    a chunk at once."""
    chunk: list[str] = []
    for email in emails:
        chunk.append(email)
        if len(chunk) == CHUNK:
            yield _answer(purpose, chunk)
            chunk = []
    if chunk:
        yield _answer(purpose, chunk)


def _answer(purpose, emails: list[str]) -> list[tuple[str, bool]]:
    digests = [email_hash(email) for email in emails]
    yes = set(
        contactable_states(purpose=purpose)
        .filter(AnyOf(F("subject__email_hash"), digests))
        .values_list("subject__email_hash", flat=True)
    )
    return [(email, digest in yes) for email, digest in zip(emails, digests, strict=True)]
