import math

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from accounts.models import SignInEventKind
from accounts.services import signin_record


@login_required
def home(request):
    """Staff (privacy officer, auditor) start in the admin, agents in the desk."""
    if request.user.is_staff:
        return redirect("admin:index")
    return redirect("desk:queue")


def locked_out(request, original_response=None, credentials=None):
    """django-axes calls this when a sign-in is refused: the user name is locked from this address,
    or its ceiling across addresses was reached (accounts.backends). The page says the same for a
    name with or without an account; the refusal is in the sign-in history."""
    username = (credentials or {}).get("username") or request.POST.get("login", "")
    signin_record(
        kind=SignInEventKind.LOCKED_OUT, request=request, username=username, method="password"
    )
    wait = getattr(request, "account_wait", None)
    wait = wait if wait is not None else settings.AXES_COOLOFF_TIME
    seconds = wait.total_seconds()
    minutes = max(1, math.ceil(seconds / 60))
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
