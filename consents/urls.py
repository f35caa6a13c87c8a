from django.urls import path

from consents import views

app_name = "consents_public"

urlpatterns = [
    path("afmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("grootboek/publieke-sleutel/", views.ledger_public_key, name="ledger_public_key"),
]
