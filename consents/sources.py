"""The contract of a personal-data source: how one app finds, exports, rectifies and erases one
person's data. It lives here, in the lowest app that knows a person (the data subject, the
normalised e-mail address), so that every app that holds personal data can declare its source
without importing an app above it; `subject_rights.sources` collects the declarations.

A person is keyed by their normalised e-mail address plus their `DataSubject` when one exists.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from consents.phones import normalise_phone
from consents.services import normalise_email

Rows = dict[str, list[dict]]  # table label → rows of plain values


@dataclass(frozen=True)
class Person:
    email: str  # normalised; "" when only the subject row is known
    subject: object | None = None  # consents.models.DataSubject
    # E.164 (`consents.phones.normalise_phone`); a request taken in by phone without an e-mail
    # address is found by it.
    phone: str = ""

    @classmethod
    def of_request(cls, request) -> "Person":
        subject = request.subject
        email = request.requester_email or (subject.email if subject else "") or ""
        phone = normalise_phone(request.requester_phone or (subject.phone if subject else ""))
        if subject is None and not email and phone:
            from consents.selectors import subjects_named_by

            named = subjects_named_by(emails=[], phones=[phone])
            if len(named) == 1:  # one person with that number; two would be a guess
                subject = named[0]
                email = subject.email or ""
        return cls(email=normalise_email(email), subject=subject, phone=phone)


@dataclass(frozen=True)
class Kept:
    """Something a source keeps after erasure, and why (Art. 17(3) GDPR)."""

    what: str
    reason: str


@dataclass(frozen=True)
class ErasurePreview:
    """What one source holds about the person before an erasure (its confirm step): per table the
    rows found, and for a connected system what its dry run says erasure will do with them
    (`delete`, `update`, `keep`); `error` when the source could not be asked, which is not the
    same as finding nothing."""

    tables: dict[str, dict[str, int]] = field(default_factory=dict)
    error: str = ""

    @property
    def rows(self) -> int:
        return sum(entry.get("rows", 0) for entry in self.tables.values())

    @property
    def planned(self) -> bool:
        """Whether the counts say what erasure does per table (a dry run), not only the rows."""
        return any("delete" in entry for entry in self.tables.values())


@dataclass(frozen=True)
class Source:
    """How one app finds, exports, rectifies and erases one person's data.

    - `export(person)` → {table: [row, …]}; the ZIP holds one JSON and one CSV per source.
    - `activities(person)` → the register slugs of the processing activities that hold it.
    - `rectify(person, changes, by, reason)` → the names of the fields it changed (with history).
    - `erase(person, by, reason)` → what it had to keep, with the reason (history rows included).
    - `documents(person)` → {file name: JSON document} that go into the ZIP beside the tables,
      each as a file of its own (the consents' receipts, which a person checks one by one).
    """

    key: str
    label: str
    export: Callable[[Person], Rows]
    activities: Callable[[Person], set[str]]
    erase: Callable[..., list[Kept]]
    rectify: Callable[..., list[str]] = field(default=lambda person, **kwargs: [])
    documents: Callable[[Person], dict[str, dict]] = field(default=lambda person: {})
    # The fields a rectification can change: name, phone, organisation, function, email.
    # A source whose data is fetched elsewhere first (a connected system, by a worker):
    # `gather(person, request=…, then=…)` starts what is missing and returns what is still
    # being fetched (empty: ready); `then` is the dotted path of a function (request id) to call
    # once everything has arrived.
    gather: Callable[..., list[str]] | None = None
    # A source that restricts processing itself (a connected system, Art. 18):
    # `restrict(person, by=…, reason=…)` → the names of the systems asked to mark the data.
    restrict: Callable[..., list[str]] | None = None

    def find(self, person: Person) -> int:
        """How many rows this source holds about the person."""
        return sum(len(rows) for rows in self.export(person).values())

    def preview(self, person: Person) -> ErasurePreview:
        """The rows this source holds about the person, per table (only tables with any)."""
        tables = {table: {"rows": len(rows)} for table, rows in self.export(person).items()}
        return ErasurePreview({table: entry for table, entry in tables.items() if entry["rows"]})
