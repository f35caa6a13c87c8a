from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render


@login_required
def home(request):
    """Staff (privacy officer, auditor) start in the admin, agents in the desk."""
    if request.user.is_staff:
        return redirect("admin:index")
    return redirect("desk:queue")


def locked_out(request, original_response=None, credentials=None):
    """django-axes calls this when a user name is locked after too many failed logins."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
