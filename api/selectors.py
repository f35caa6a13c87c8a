"""The bulk "may we contact?": many addresses, one purpose, in chunks, constant memory."""

from collections.abc import Iterable, Iterator

from consents.models import ConsentPurpose
from consents.selectors import contactable_states
from consents.services import email_hash

CHUNK = 2000


def may_contact_many(
    *, purpose: ConsentPurpose, emails: Iterable[str]
) -> Iterator[tuple[str, bool]]:
    """(address, answer) for each address, in order. Yes only when the state for the purpose is
    "given", not restricted (Art. 18), not erased, the person's number not opted out by phone
    since: the rule of `consents.selectors.contactable_states`, matched by the keyed hash (so an
    erased person, whose address is gone, answers no too). One indexed query per CHUNK
    addresses; an unknown address answers exactly like a withdrawn one."""
    chunk: list[tuple[str, str]] = []
    for email in emails:
        chunk.append((email, email_hash(email)))
        if len(chunk) == CHUNK:
            yield from _answer(purpose, chunk)
            chunk = []
    if chunk:
        yield from _answer(purpose, chunk)


def _answer(purpose, chunk):
    yes = set(
        contactable_states(purpose=purpose)
        .filter(subject__email_hash__in=[digest for _email, digest in chunk])
        .values_list("subject__email_hash", flat=True)
    )
    for email, digest in chunk:
        yield email, digest in yes
