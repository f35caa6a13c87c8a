"""The admin's history pages in the office's language: django-simple-history's change list shows
each changed field by its label and each value as the forms show it — a choice by its label, a
date in the language's format, yes/no for a flag, a list one item after another, and "—" for
nothing, never a raw "None → 2027-06-01" or "[]". Every history admin of ours uses
`HistoryAdmin`."""

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

EMPTY = "—"


def display_value(field, value) -> str:
    """`value` of `field` as a person reads it, in the active language."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    choices = dict(field.flatchoices) if field.choices else {}
    if isinstance(value, list):
        base = getattr(field, "base_field", None)
        labels = dict(base.flatchoices) if base is not None and base.choices else choices
        return ", ".join(str(labels.get(item, item)) for item in value)
    if choices:
        return str(choices.get(value, value))
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, dt.datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        return date_format(moment, "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return date_format(value)
    return str(value)


class OfficeHistoryContextHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if isinstance(field, models.ManyToManyField):
            value = super().prepare_delta_change_value(change, value)
            return ", ".join(map(str, value)) or EMPTY
        if isinstance(field, models.ForeignKey) and value is not None:
            if isinstance(value, models.Model):  # simple-history gives the related row itself
                return str(value)
            if hasattr(value, "model"):  # simple-history's DeletedObject: the row is gone
                return EMPTY if value.pk is None else f"{value.model._meta.verbose_name} {value.pk}"
            related = field.related_model._default_manager.filter(pk=value).first()
            return str(related) if related is not None else str(value)
        return display_value(field, value)


class HistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's admin with the office's history page."""

    def get_historical_record_context_helper(self, request, historical_record):
        return OfficeHistoryContextHelper(self.model, historical_record)
