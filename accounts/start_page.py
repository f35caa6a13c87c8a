"""The privacy officer's start page (the admin's index): what needs attention today, each item
linked to where it is handled.

The apps declare their sections on their AppConfig (`start_page_sections`, the dotted path of a
callable `(*, user, now) -> list[Section]`) and this module only collects them, so accounts
imports no app above it. A section returns nothing when its role may not see it; each runs a
fixed number of queries (a count and one page of rows), so the page costs the same at ten rows as
at ten thousand."""

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.utils.module_loading import import_string

# How many rows a section shows; the rest is behind its "all" link.
SHOWN = 8


@dataclass(frozen=True)
class Item:
    label: str
    detail: str
    url: str
    # "bad" (past its date), "warn" (near it) or "" (to look at): drawn as words, not colour alone.
    level: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    total: int
    items: list[Item] = field(default_factory=list)
    all_url: str = ""
    all_label: str = ""


def start_page_sections(*, user, now: dt.datetime) -> list[Section]:
    """Every app's sections that this user may see, in the order of INSTALLED_APPS."""
    sections = []
    for config in apps.get_app_configs():
        path = getattr(config, "start_page_sections", "")
        if path:
            sections.extend(import_string(path)(user=user, now=now))
    return sections


def section(*, key: str, title: str, rows, item, all_url: str = "", all_label: str = "") -> Section:
    """A section from a queryset: its first rows, each made an Item by `item`, and how many there
    are — counted only when the page of rows is full, so one or two queries either way."""
    shown = list(rows[:SHOWN])
    total = rows.count() if len(shown) == SHOWN else len(shown)
    return Section(
        key=key,
        title=title,
        total=total,
        items=[item(row) for row in shown],
        all_url=all_url,
        all_label=all_label,
    )
