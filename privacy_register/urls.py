from django.urls import path

from privacy_register import views

app_name = "register_public"

urlpatterns = [
    path("verklaring/", views.statement, name="statement"),
    path("verklaring/<int:version>/", views.statement, name="statement_version"),
]
