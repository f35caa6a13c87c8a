from django.urls import path

from consents import views

app_name = "consents_desk"

urlpatterns = [
    path("", views.phone, name="phone"),
]
