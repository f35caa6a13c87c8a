"""The project's URLs plus a view that fails (on the site and under the API), for the 500 tests."""

from django.urls import path

from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as project


def fail(request):
    raise RuntimeError("a bug")


urlpatterns = [*project, path("kapot/", fail), path("api/v1/kapot/", fail)]
__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
