"""Reads for the preference centre: every consent purpose a person can choose, with the wording
they are shown and whether they have currently given it."""

from dataclasses import dataclass

from consents.models import (
    Action,
    ConsentEvent,
    ConsentPurpose,
    ConsentPurposeVersion,
    ConsentState,
    DataSubject,
)
from consents.services import normalise_email


@dataclass(frozen=True)
class PreferenceRow:
    purpose: ConsentPurpose
    version: ConsentPurposeVersion | None  # the wording shown; None when a purpose has none yet
    given: bool
    last_event_id: int | None = None  # the ledger event behind the current state, for its receipt

    @property
    def name(self) -> str:
        return self.purpose.name

    @property
    def wording(self) -> str:
        return self.version.wording if self.version else ""

    @property
    def version_key(self) -> str:
        """What the form sends back, so the ledger records the version that was on the screen."""
        return str(self.version.pk) if self.version else ""

    @property
    def channel_label(self) -> str:
        return self.purpose.get_channel_display()


def subject_for_email(*, email: str) -> DataSubject | None:
    """The data subject with this address, unless erased (then only a hash is left)."""
    return DataSubject.objects.filter(email=normalise_email(email), erased_at__isnull=True).first()


def subject_by_pk(*, pk) -> DataSubject | None:
    """The subject a link names, unless erased; for a spelling merged into another (consents
    migration 0006), the one it was merged into, so old links keep working."""
    subject = DataSubject.objects.filter(pk=pk, erased_at__isnull=True).first()
    if subject is not None and subject.merged_into_id:
        return subject_by_pk(pk=subject.merged_into_id)
    return subject


def preference_rows(*, subject: DataSubject) -> list[PreferenceRow]:
    """One row per active purpose, in the purposes' order, with its latest wording and whether the
    person's current state is "given". Three queries, whatever the number of purposes."""
    purposes = list(ConsentPurpose.objects.filter(is_active=True).order_by("name", "pk"))
    latest: dict[int, ConsentPurposeVersion] = {}
    for version in ConsentPurposeVersion.objects.filter(purpose__in=purposes).order_by("-number"):
        latest.setdefault(version.purpose_id, version)
    states = {
        purpose: (status, event)
        for purpose, status, event in ConsentState.objects.filter(
            subject=subject, purpose__in=purposes
        ).values_list("purpose_id", "status", "last_event_id")
    }
    return [
        PreferenceRow(
            purpose=purpose,
            version=latest.get(purpose.pk),
            given=states.get(purpose.pk, ("", None))[0] == Action.GIVEN,
            last_event_id=states.get(purpose.pk, ("", None))[1],
        )
        for purpose in purposes
    ]


def preference_receipt_event(*, subject: DataSubject, purpose_pk: int) -> ConsentEvent | None:
    """The ledger event behind the person's current state for this purpose — theirs only."""
    state = (
        ConsentState.objects.filter(subject=subject, purpose_id=purpose_pk)
        .select_related("last_event__purpose__activity", "last_event__purpose_version")
        .first()
    )
    return state.last_event if state else None
