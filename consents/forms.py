"""The forms of the consent app that are more than a field list."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from import_export.forms import ImportForm


class OptInImportForm(ImportForm):
    """The opt-in list's upload, refused when it is too large or not what its name says."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = settings.IMPORT_MAX_MEGABYTES
        if upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(
                _("Het bestand is groter dan %(limit)s MB. Splits de lijst in delen.")
                % {"limit": limit}
            )
        name = upload.name.lower()
        extension = name[name.rfind(".") :] if "." in name else ""
        head = upload.read(4096)
        upload.seek(0)
        if extension not in (".csv", ".xlsx") or not self._looks_like(extension, head):
            raise forms.ValidationError(_("Alleen een CSV- of XLSX-bestand kan worden ingelezen."))
        return upload

    @staticmethod
    def _looks_like(extension: str, head: bytes) -> bool:
        if extension == ".xlsx":
            return head.startswith(b"PK\x03\x04")  # a ZIP archive
        if b"\x00" in head:
            return False
        try:  # CSV is UTF-8 text
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            return error.start >= len(head) - 3  # only a character cut off by the sample's end
        return True
