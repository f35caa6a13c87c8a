from django.urls import path

import requests_desk.urls  # noqa: F401 — registers the <reference:…> converter
from connectors import views

app_name = "connectors"

urlpatterns = [
    path(
        "<reference:reference>/koppelingen/<int:run_id>/opnieuw/",
        views.retry,
        name="retry",
    ),
]
