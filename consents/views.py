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
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt

from consents.ledger_keys import public_key_pem
from consents.models import Action, ConsentPurpose, ConsentState, DataSubject
from consents.phones import normalise_phone
from consents.services import consent_withdraw, consents_by_phone
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
    """What a caller says about one or more purposes. An opt-out needs no e-mail address: the
    phone number identifies the caller as well."""

    subject = forms.ModelChoiceField(
        queryset=DataSubject.objects.filter(erased_at__isnull=True),
        required=False,
        widget=forms.HiddenInput,
    )
    phone = forms.CharField(
        label=gettext_lazy("Telefoonnummer van de beller"), required=False, max_length=40
    )
    email = forms.EmailField(label=gettext_lazy("E-mailadres van de beller"), required=False)
    name = forms.CharField(label=gettext_lazy("Naam"), required=False, max_length=200)
    action = forms.ChoiceField(
        label=gettext_lazy("Wat zegt de beller?"),
        choices=[
            ("withdraw", gettext_lazy("Afmelden (opt-out)")),
            ("give", gettext_lazy("Aanmelden (toestemming)")),
        ],
    )
    all_marketing = forms.BooleanField(
        label=gettext_lazy("Afmelden voor alle marketing (alle doelen)"), required=False
    )
    purposes = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Doelen"),
        queryset=ConsentPurpose.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    wording_read = forms.BooleanField(
        label=gettext_lazy("Ik heb de tekst van het doel voorgelezen (alleen nodig bij aanmelden)"),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if not (data.get("subject") or data.get("email") or data.get("phone", "").strip()):
            raise ValidationError(_("Vul een telefoonnummer of een e-mailadres van de beller in."))
        if data.get("phone", "").strip() and not normalise_phone(data["phone"]):
            self.add_error("phone", _("Voer een geldig telefoonnummer in."))
        giving = data.get("action") == "give"
        if giving and data.get("all_marketing"):
            raise ValidationError(
                _("Toestemming wordt per doel gegeven: kies de doelen en lees hun tekst voor.")
            )
        if data.get("all_marketing"):
            data["purposes"] = list(ConsentPurpose.objects.filter(is_active=True))
        if not data.get("purposes"):
            raise ValidationError(_("Kies een of meer doelen, of alle marketing."))
        if giving and not data.get("wording_read"):
            raise ValidationError(
                _("Lees bij een aanmelding eerst de tekst van het doel voor en vink dat aan.")
            )
        return data


@login_required
@permission_required("consents.add_consentevent", raise_exception=True)
def phone(request):
    """An agent records what a caller said about one or more purposes (method: phone, recorded
    by them). A person found by the desk's search comes in as ?betrokkene=<id>."""
    initial = {}
    if request.GET.get("betrokkene", "").isdigit():
        known = DataSubject.objects.filter(
            pk=request.GET["betrokkene"], erased_at__isnull=True
        ).first()
        if known is not None:
            initial = {
                "subject": known.pk,
                "phone": known.phone,
                "email": known.email or "",
                "name": known.name,
            }
    form = PhoneConsentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            subject = consents_by_phone(
                subject=data["subject"],
                email=data["email"],
                phone=data["phone"],
                name=data["name"],
                purposes=data["purposes"],
                give=data["action"] == "give",
                by=request.user,
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(
                request,
                ngettext(
                    "Vastgelegd: %(purposes)s voor %(who)s.",
                    "Vastgelegd: %(count)s doelen (%(purposes)s) voor %(who)s.",
                    len(data["purposes"]),
                )
                % {
                    "count": len(data["purposes"]),
                    "purposes": ", ".join(str(p) for p in data["purposes"]),
                    "who": subject,
                },
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
