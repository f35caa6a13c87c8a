from django.urls import path

import requests_desk.urls  # noqa: F401 — registers the <reference:…> converter
from subject_rights import views

app_name = "subject_rights"

urlpatterns = [
    path("<reference:reference>/rechten/pakket/", views.package, name="package"),
    path("<reference:reference>/rechten/corrigeren/", views.rectify, name="rectify"),
    path("<reference:reference>/rechten/wissen/", views.erase, name="erase"),
    path("<reference:reference>/rechten/beperken/", views.restrict, name="restrict"),
    path("<reference:reference>/rechten/beperking-opheffen/", views.lift, name="lift"),
]
