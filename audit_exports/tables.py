"""What an auditor can export, and how every table becomes readable columns.

The tables are found, not listed: every history table of the domain apps (django-simple-history's
`Historical…` models) plus the event tables below. A history row reads as when, who, what
(created/changed/deleted) and which fields changed, then the object's fields as they were. The
changed fields come from comparing each row with the previous row of the same object while
streaming in (object, date) order: one query, one row in memory, no query per row.
"""

import datetime as dt
import json
from dataclasses import dataclass
from functools import cached_property

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.formula_injection import escape_row
from accounts.roles import DOMAIN_APPS

# Tables that are a history themselves (append-only), with the moment the date filter uses.
EVENT_TABLES = {
    "consents.consentevent": "recorded_at",
    "requests_desk.requestevent": "at",
    "requests_desk.outboxmessage": "queued_at",
    "audit_exports.exportjob": "created_at",
}
CHUNK_SIZE = 2000


def _declared_event_tables() -> dict[str, str]:
    """The event tables the apps below declare on their AppConfig (`event_tables`: model name →
    date field), so this app finds them without importing them (the sign-in history)."""
    found = {}
    for config in apps.get_app_configs():
        for model_name, date_field in getattr(config, "event_tables", {}).items():
            found[f"{config.label}.{model_name}"] = date_field
    return found


def _user_names() -> dict:
    """Users are few: one query for all their names instead of a join on every row."""
    users = get_user_model().objects.only("username", "first_name", "last_name")
    return {user.pk: user.get_full_name() or user.username for user in users}


def _converter(field, users, spreadsheet=False, repeats=True):
    """How one column's raw database value becomes a readable cell (None: as it is). Times are
    local; a spreadsheet gets them as real date-times (and writes them fastest that way)."""
    if field.is_relation and field.related_model is get_user_model():
        return users.get
    if field.choices:
        labels = {key: str(label) for key, label in field.flatchoices}
        return lambda value: labels.get(value, value)
    if isinstance(field, models.DateTimeField):
        zone = timezone.get_current_timezone()
        if spreadsheet:
            convert = lambda value: value.astimezone(zone).replace(tzinfo=None)  # noqa: E731
        else:
            convert = lambda value: value.astimezone(zone).isoformat(" ", "seconds")  # noqa: E731
        return _last_one(convert) if repeats else convert
    if isinstance(field, models.DateField):
        return lambda value: value.isoformat()
    if isinstance(field, models.JSONField):
        return lambda value: json.dumps(value, ensure_ascii=False, sort_keys=True)
    return None


def _last_one(convert):
    """Remember the last conversion: an object's versions follow each other and mostly repeat
    their times (created_at, say), which saves a time-zone conversion a row."""
    last = [object(), None]

    def converted(value):
        if value != last[0]:
            last[0], last[1] = value, convert(value)
        return last[1]

    return converted


def _is_text(field) -> bool:
    """A column whose cells are text after conversion: these are escaped against formulas."""
    return bool(field.choices) or isinstance(
        field, (models.CharField, models.TextField, models.JSONField)
    )


@dataclass(frozen=True)
class Table:
    model: type[models.Model]

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def title(self) -> str:
        if self.is_history:
            names = self.model.instance_type._meta.verbose_name_plural
            return _("Geschiedenis van %(names)s") % {"names": names}
        return str(self.model._meta.verbose_name_plural).capitalize()

    @property
    def is_history(self) -> bool:
        return self.model.__name__.startswith("Historical")

    @property
    def date_field(self) -> str:
        return "history_date" if self.is_history else _event_tables()[self.label]

    @cached_property
    def fields(self) -> list:
        """The object's own fields (for a history table: without the history_… bookkeeping)."""
        return [
            field
            for field in self.model._meta.concrete_fields
            if not field.name.startswith("history_")
        ]

    def headers(self) -> list[str]:
        own = [str(field.verbose_name) for field in self.fields]
        if self.is_history:
            return [_("Wanneer"), _("Wie"), _("Wat"), _("Gewijzigde velden"), *own]
        return own

    def _in_range(self, date_from, date_to) -> models.Q:
        query = models.Q()
        if date_from:
            query &= models.Q(**{f"{self.date_field}__gte": _start_of(date_from)})
        if date_to:
            query &= models.Q(**{f"{self.date_field}__lt": _start_of(date_to + dt.timedelta(1))})
        return query

    def count(self, *, date_from=None, date_to=None) -> int:
        return self.model._default_manager.filter(self._in_range(date_from, date_to)).count()

    def rows(self, *, date_from=None, date_to=None, spreadsheet=False, chunk_size=CHUNK_SIZE):
        """Every row in the range as a list of cells, streamed from one query."""
        users = _user_names()
        plan = _Plan(
            converters=[
                (index, convert)
                for index, field in enumerate(self.fields)
                if (convert := _converter(field, users, spreadsheet))
            ],
            texts=[index for index, field in enumerate(self.fields) if _is_text(field)],
            when=_converter(
                self.model._meta.get_field(self.date_field), users, spreadsheet, repeats=False
            ),
        )
        manager = self.model._default_manager
        columns = [field.attname for field in self.fields]
        if self.is_history:
            yield from self._history_rows(
                manager, columns, plan, users, date_from, date_to, chunk_size
            )
            return
        queryset = manager.filter(self._in_range(date_from, date_to)).order_by(
            self.date_field, "pk"
        )
        for values in queryset.values_list(*columns).iterator(chunk_size):
            yield plan.apply(list(values))

    def _history_rows(self, manager, columns, plan, users, date_from, date_to, chunk_size):
        queryset = manager.filter(self._in_range(date_from, date_to))
        start = _start_of(date_from) if date_from else None
        if start:
            # The earlier rows of the objects in range, to tell what their first change changed.
            queryset = manager.filter(self._in_range(None, date_to), id__in=queryset.values("id"))
        names = [str(field.verbose_name) for field in self.fields]
        kinds = {"+": _("aangemaakt"), "~": _("gewijzigd"), "-": _("verwijderd")}
        when = plan.when
        pk = columns.index("id")
        previous = [None] * len(columns)
        values = queryset.order_by("id", "history_date", "history_id").values_list(
            "history_date", "history_user_id", "history_type", *columns
        )
        apply, get_user, get_kind = plan.apply, users.get, kinds.get
        for date, user_id, kind, *row in values.iterator(chunk_size):
            apply(row)
            changed = ""
            if kind == "~" and row[pk] == previous[pk]:
                changed = ", ".join(
                    [
                        name
                        for name, new, old in zip(names, row, previous, strict=True)
                        if new != old
                    ]
                )
            previous = row
            if start and date < start:
                continue
            yield [when(date), get_user(user_id), get_kind(kind, kind), changed, *row]


@dataclass
class _Plan:
    """What becomes of a raw row: converted columns, then the text columns escaped."""

    converters: list
    texts: list
    when: object  # the converter of the date the filter uses

    def apply(self, row: list) -> list:
        for index, convert in self.converters:
            value = row[index]
            if value is not None:
                row[index] = convert(value)
        return escape_row(row, self.texts)


def _event_tables() -> dict[str, str]:
    return {**EVENT_TABLES, **_declared_event_tables()}


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def exportable_tables() -> dict[str, Table]:
    """Every table an auditor may export, by label, in a stable order."""
    events = _event_tables()
    found = [
        model
        for model in apps.get_models()
        if (model._meta.app_label in DOMAIN_APPS and model.__name__.startswith("Historical"))
        or model._meta.label_lower in events
    ]
    found.sort(key=lambda model: model._meta.label_lower)
    return {model._meta.label_lower: Table(model) for model in found}
