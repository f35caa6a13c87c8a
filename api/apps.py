from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API for the company's other systems (`/api/v1/`). A thin layer over the services
    of the apps below; it hears of their changes through `accounts.events`."""

    name = "api"
    verbose_name = _("API en webhooks")
    # accounts.events calls these inside the transaction of every change it is told of.
    event_handlers: tuple[str, ...] = ("api.webhooks.on_event",)
