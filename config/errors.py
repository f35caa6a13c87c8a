"""The 404 and 500 handlers of `config.urls`: the API's JSON error shape under /api/
(`api.errors.http_error`), our own pages everywhere else (`accounts.errors`). Here, above every
app, because `accounts` may not import `api`."""

from accounts import errors as pages
from api import errors as api_errors


def not_found(request, exception=None):
    if request.path.startswith(api_errors.PREFIX):
        return api_errors.http_error(request, 404)
    return pages.not_found(request, exception)


def server_error(request):
    if request.path.startswith(api_errors.PREFIX):
        return api_errors.http_error(request, 500)
    return pages.server_error(request)
