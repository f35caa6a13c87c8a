from django.urls import path

from subject_rights import views

app_name = "rights_public"

urlpatterns = [
    path("inzage/<str:token>/", views.download, name="download"),
]
