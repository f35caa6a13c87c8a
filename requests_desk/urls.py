from django.urls import path, register_converter

from requests_desk import views


class ReferenceConverter:
    """AVG-2026-00042: only a reference matches, so other apps' pages under /desk/ stay free."""

    regex = r"AVG-\d{4}-\d{5}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ReferenceConverter, "reference")
app_name = "desk"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("nieuw/", views.intake, name="intake"),
    path("zoeken/", views.search, name="search"),
    path("overzicht/", views.dashboard, name="dashboard"),
    path("post/", views.postal_queue, name="postal_queue"),
    path("post/<int:letter_id>/pdf/", views.postal_pdf, name="postal_pdf"),
    path("post/<int:letter_id>/verstuurd/", views.postal_posted, name="postal_posted"),
    path("<reference:reference>/", views.detail, name="detail"),
    path("<reference:reference>/actie/", views.act, name="act"),
    path("<reference:reference>/identiteit/", views.verify, name="verify"),
    path("<reference:reference>/toewijzen/", views.assign, name="assign"),
    path("<reference:reference>/notitie/", views.note, name="note"),
    path("<reference:reference>/taken/", views.tasks_tick, name="tasks_tick"),
    path("<reference:reference>/taken/<int:task_id>/", views.task_toggle, name="task_toggle"),
    path(
        "<reference:reference>/taken/<int:task_id>/resultaat/",
        views.task_result,
        name="task_result",
    ),
    path("<reference:reference>/eerder-antwoorden/", views.answer_override, name="answer_override"),
    path("<reference:reference>/bezwaar/", views.objection_decide, name="objection_decide"),
    path("<reference:reference>/afronden/", views.complete, name="complete"),
    path("<reference:reference>/afwijzen/", views.reject, name="reject"),
    path("<reference:reference>/verlengen/", views.extend, name="extend"),
    path("<reference:reference>/brief/<str:kind>/", views.letter_preview, name="letter_preview"),
    path(
        "<reference:reference>/brieven/<int:message_id>/pdf/",
        views.outbox_pdf,
        name="outbox_pdf",
    ),
    path(
        "<reference:reference>/brief/<str:kind>/versturen/",
        views.letter_send,
        name="letter_send",
    ),
]
