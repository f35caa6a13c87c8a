from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from api import views

app_name = "api"

urlpatterns = [
    path(
        "schema/",
        SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[]),
        name="schema",
    ),
    path("docs/", views.docs, name="docs"),
    path("consents/events/", views.ConsentEventView.as_view(), name="consent_event"),
    path("consents/events/batch/", views.ConsentBatchView.as_view(), name="consent_batch"),
    path("consents/lookup/", views.SubjectConsentsView.as_view(), name="subject_consents"),
    path("may-contact/", views.MayContactView.as_view(), name="may_contact"),
    path("may-contact/bulk/", views.MayContactBulkView.as_view(), name="may_contact_bulk"),
    path("requests/", views.RequestFileView.as_view(), name="request_file"),
    path("requests/<str:reference>/", views.RequestStatusView.as_view(), name="request_status"),
    path("webhooks/", views.SubscriptionListView.as_view(), name="subscriptions"),
    path("webhooks/<int:pk>/", views.SubscriptionDetailView.as_view(), name="subscription"),
]
