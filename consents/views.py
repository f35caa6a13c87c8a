"""The public one-click unsubscribe (RFC 8058) and the agent's page for a consent or opt-out
given by phone."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt

from consents.ledger_keys import public_key_pem
from consents.models import Action, ConsentPurpose, ConsentState, DataSubject
from consents.services import consent_give, consent_withdraw, subject_get_or_create
from consents.tokens import read_unsubscribe_token


@csrf_exempt  # RFC 8058: mail clients POST without cookies or a form; the token is the proof
def unsubscribe(request, token):
    """GET shows what will happen and a button (link scanners must not unsubscribe anyone);
    POST — from that button or a mail client's List-Unsubscribe=One-Click — withdraws at once."""
    try:
        subject_id, purpose_id = read_unsubscribe_token(token)
        subject = DataSubject.objects.get(pk=subject_id)
        purpose = ConsentPurpose.objects.get(pk=purpose_id)
    except signing.SignatureExpired:
        return render(request, "consents/unsubscribe_invalid.html", {"expired": True}, status=400)
    except (signing.BadSignature, DataSubject.DoesNotExist, ConsentPurpose.DoesNotExist):
        return render(request, "consents/unsubscribe_invalid.html", {"expired": False}, status=400)
    if request.method == "POST":
        # Once is enough: a second click (or the mail client and the person both) adds nothing.
        state = ConsentState.objects.filter(subject=subject, purpose=purpose).first()
        if state is None or state.status != Action.WITHDRAWN:
            consent_withdraw(
                subject=subject, purpose=purpose, method="unsubscribe_link", reference="rfc8058"
            )
        return render(request, "consents/unsubscribe_done.html", {"purpose": purpose})
    return render(request, "consents/unsubscribe_confirm.html", {"purpose": purpose})


class PhoneConsentForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mailadres van de beller"))
    name = forms.CharField(label=gettext_lazy("Naam"), required=False, max_length=200)
    purpose = forms.ModelChoiceField(
        label=gettext_lazy("Doel"), queryset=ConsentPurpose.objects.filter(is_active=True)
    )
    action = forms.ChoiceField(
        label=gettext_lazy("Wat zegt de beller?"),
        choices=[
            ("withdraw", gettext_lazy("Afmelden (opt-out)")),
            ("give", gettext_lazy("Aanmelden (toestemming)")),
        ],
    )
    wording_read = forms.BooleanField(
        label=gettext_lazy("Ik heb de tekst van het doel voorgelezen (alleen nodig bij aanmelden)"),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == "give" and not data.get("wording_read"):
            raise ValidationError(
                _("Lees bij een aanmelding eerst de tekst van het doel voor en vink dat aan.")
            )
        return data


@login_required
@permission_required("consents.add_consentevent", raise_exception=True)
def phone(request):
    """An agent records what a caller said about a purpose (method: phone, recorded by them)."""
    form = PhoneConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            subject = subject_get_or_create(email=data["email"], name=data["name"])
            record = consent_give if data["action"] == "give" else consent_withdraw
            record(
                subject=subject, purpose=data["purpose"], method="phone", recorded_by=request.user
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(
                request,
                _("Vastgelegd: %(purpose)s voor %(email)s.")
                % {"purpose": data["purpose"], "email": subject.email},
            )
            return redirect("consents_desk:phone")
    purposes = ConsentPurpose.objects.filter(is_active=True).prefetch_related("versions")
    return render(request, "consents/phone.html", {"form": form, "purposes": purposes})


def ledger_public_key(request):
    """The Ed25519 public key that signs the ledger's checkpoints (PEM), public: with it anyone
    checks a consent receipt offline (tools/verify_receipt.py)."""
    response = HttpResponse(public_key_pem(), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="rezulto-consent-ledger.pem"'
    return response
