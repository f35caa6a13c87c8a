from django.contrib import admin
from django.urls import include, path

from accounts.views import home
from config.health import HealthView
from config.metrics import metrics

handler403 = "accounts.errors.forbidden"
handler404 = "config.errors.not_found"
handler500 = "config.errors.server_error"

urlpatterns = [
    path("", home, name="home"),
    path("health/", HealthView.as_view(), name="health"),
    path("metrics", metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("api/v1/", include("api.urls")),
    path("desk/", include("requests_desk.urls")),
    path("desk/toestemmingen/", include("consents.desk_urls")),
    path("desk/", include("subject_rights.urls")),
    path("desk/", include("connectors.urls")),
    path("desk/datalekken/", include("breaches.urls")),
    # The public pages for data subjects: each app adds its own under /privacy/.
    path("privacy/", include("privacy_register.urls")),
    path("privacy/", include("consents.urls")),
    path("privacy/", include("self_service.urls")),
    path("privacy/", include("subject_rights.public_urls")),
]
