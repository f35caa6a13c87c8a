"""Reads of the consent ledger."""

from dataclasses import dataclass

from consents.ledger_hash import GENESIS, event_hash
from consents.models import Action, ConsentEvent, ConsentState
from consents.services import normalise_email


def may_contact(*, purpose, subject=None, email: str | None = None) -> bool:
    """May we contact this person for this purpose? Yes only when their current state is
    "given", their processing is not restricted (Art. 18) and they were not erased. One indexed
    query."""
    states = ConsentState.objects.filter(
        purpose=purpose,
        status=Action.GIVEN,
        subject__is_restricted=False,
        subject__erased_at__isnull=True,
    )
    if subject is not None:
        states = states.filter(subject=subject)
    else:
        states = states.filter(subject__email=normalise_email(email or ""))
    return states.exists()


@dataclass(frozen=True)
class ChainBreak:
    """The first place where the ledger is not what was written."""

    kind: str  # "altered", "inserted" or "removed"
    sequence: int
    detail: str

    def __str__(self):
        return f"{self.kind}: event #{self.sequence}: {self.detail}"


def ledger_verify(*, chunk_size: int = 5000) -> tuple[int, ChainBreak | None]:
    """Walk the whole chain in order. Returns how many events were checked and the first break:
    a gap in the sequence (an event removed), an event whose previous hash is not the hash of the
    event before it (an event inserted), or an event whose content no longer gives its hash (an
    event altered)."""
    expected_sequence, previous_hash, checked = 1, GENESIS, 0
    events = ConsentEvent.objects.order_by("sequence").iterator(chunk_size=chunk_size)
    for event in events:
        if event.sequence != expected_sequence:
            return checked, ChainBreak(
                "removed",
                expected_sequence,
                f"missing (the chain jumps from #{expected_sequence - 1} to #{event.sequence})",
            )
        if event.previous_hash != previous_hash:
            return checked, ChainBreak(
                "inserted", event.sequence, "does not chain to the event before it"
            )
        if event_hash(event.content(), event.previous_hash) != event.hash:
            return checked, ChainBreak(
                "altered", event.sequence, "its content no longer matches its hash"
            )
        expected_sequence, previous_hash, checked = event.sequence + 1, event.hash, checked + 1
    return checked, None
