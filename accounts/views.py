from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect


@login_required
def home(request):
    """Staff (privacy officer, auditor) start in the admin, agents in the desk."""
    if request.user.is_staff:
        return redirect("admin:index")
    return redirect("desk:queue")
