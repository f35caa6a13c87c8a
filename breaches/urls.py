from django.urls import path

from breaches import views

app_name = "breaches"

urlpatterns = [
    path("", views.index, name="index"),
    path("melden/", views.report, name="report"),
    path("register/", views.register, name="register"),
    path("register/export.<str:fmt>", views.export, name="export"),
    path("jaaroverzicht/", views.yearly, name="yearly"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/beoordelen/", views.assess, name="assess"),
    path("<str:reference>/ap-melding/", views.file, name="file"),
    path("<str:reference>/ap-melding/aanvulling/", views.follow_up, name="follow_up"),
    path("<str:reference>/ap-melding/intrekken/", views.withdraw, name="withdraw"),
    path("<str:reference>/ap-melding.pdf", views.ap_pdf, name="ap_pdf"),
    path("<str:reference>/ap-melding.json", views.ap_json, name="ap_json"),
    path("<str:reference>/ap-melding.txt", views.ap_text, name="ap_text"),
    path("<str:reference>/betrokkenen/", views.notice, name="notice"),
    path("<str:reference>/betrokkenen/niet-nodig/", views.not_needed, name="not_needed"),
    path("<str:reference>/notitie/", views.note, name="note"),
    path("<str:reference>/afsluiten/", views.close, name="close"),
]
