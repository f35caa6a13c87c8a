from django.urls import path

from self_service import views

app_name = "self_service"

urlpatterns = [
    path("verzoek/", views.request_form, name="request_form"),
    path("verzoek/verstuurd/", views.request_sent, name="request_sent"),
    path("verzoek/bevestig/<str:token>/", views.request_confirm, name="request_confirm"),
    path("verzoek/bevestigd/<str:token>/", views.request_confirmed, name="request_confirmed"),
    path("voorkeuren/", views.preference_link, name="preference_link"),
    path("voorkeuren/verstuurd/", views.preference_link_sent, name="preference_link_sent"),
    path("voorkeuren/<str:token>/", views.preferences, name="preferences"),
    path(
        "voorkeuren/<str:token>/bewijs/<int:purpose_pk>/",
        views.preference_receipt,
        name="preference_receipt",
    ),
]
