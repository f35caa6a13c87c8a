"""The project's URLs plus one view that fails, for the 500 page's test."""

from django.urls import path

from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as project


def fail(request):
    raise RuntimeError("a bug")


urlpatterns = [*project, path("kapot/", fail)]
__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
