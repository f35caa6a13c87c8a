"""Domain events: a change in a lower app tells whoever listens above it, without importing it.

A service calls `publish(name, items)` inside its own transaction, explicitly, after the change.
The listeners are declared on the AppConfigs (`event_handlers`: dotted paths of functions taking
`(name, items)`), the way `accounts.roles` reads the role permissions: the lower app never knows who
listens. A handler runs in the same transaction, so what it writes (a webhook outbox row) commits
or rolls back with the change. No Django signals: one call, at the line where the change happens.

Event names and their items (each item a dict of plain values; a moment is a datetime, which a
handler formats only if it has a use for it):
- `consent.given`, `consent.withdrawn`: `subject_id`, `purpose_id`, `sequence`, `occurred_at`
- `subject.restricted`, `subject.restriction_lifted`, `subject.erased`: `subject_id`
- `request.completed`: `request_id`
"""

from functools import cache

from django.apps import apps
from django.utils.module_loading import import_string

EVENTS = (
    "consent.given",
    "consent.withdrawn",
    "subject.restricted",
    "subject.restriction_lifted",
    "subject.erased",
    "request.completed",
)


@cache
def handlers() -> tuple:
    """The functions every installed app declares in `event_handlers`, in INSTALLED_APPS order."""
    return tuple(
        import_string(path)
        for config in apps.get_app_configs()
        for path in getattr(config, "event_handlers", ())
    )


def publish(name: str, items: list[dict]) -> None:
    """Tell every declared handler that `name` happened to these items (call it inside the
    transaction of the change)."""
    if name not in EVENTS:
        raise ValueError(f"unknown domain event {name!r}")
    if not items:
        return
    for handler in handlers():
        handler(name, items)
