"""Importing sources in the admin: upload or paste, see every record checked, then confirm."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse

from .. import formats, importing
from ..importing import Import

#: Pasted text beyond this is refused by the form, with a pointer to the upload (Django itself
#: refuses a larger request body than DATA_UPLOAD_MAX_MEMORY_SIZE before any form sees it).
MAX_PASTED = 2_000_000


class ImportForm(forms.Form):
    file = forms.FileField(
        required=False, help_text="A .bib, .ris, .nbib or .json file exported from a reference manager or PubMed."
    )
    text = forms.CharField(
        label="or paste",
        required=False,
        max_length=MAX_PASTED,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 100, "spellcheck": "false"}),
        help_text="BibTeX, RIS, MEDLINE, CSL-JSON, or Google Scholar result lines (one per line).",
    )
    format = forms.ChoiceField(choices=[("", "Recognise from the content"), *formats.FORMATS.items()], required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.CLONUS_IMPORT_MAX_BYTES
        if upload and upload.size > limit:
            raise ValidationError(
                "This file is %(size)s; files of at most %(limit)s can be imported. Split it into smaller files.",
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("file") and not cleaned.get("text", "").strip():
            raise ValidationError("Choose a file or paste some records.")
        return cleaned

    def data_to_import(self):
        upload = self.cleaned_data["file"]
        return upload.read() if upload else self.cleaned_data["text"].encode()


class ImportScreens:
    """Mixed into ``SourceAdmin``: the import and its confirmation."""

    def import_urls(self):
        return [
            self.route("import/", self.import_view, "import"),
            self.route("import/confirm/", self.import_confirm_view, "import_confirm"),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data, format = form.data_to_import(), form.cleaned_data["format"] or None
            try:
                checked = Import.read(data, format)
            except formats.FormatError as error:
                form.add_error(None, str(error))
            else:
                return self.render_import(
                    request, "import_preview.html", checked, token=importing.stage(data, request.user)
                )
        return self.render_import(request, "import.html", None, form=form)

    def import_confirm_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return redirect("admin:references_source_import")
        token = request.POST.get("token", "")
        try:
            data = importing.staged(token, request.user)
        except FileNotFoundError:
            self.message_user(request, "That import has expired; choose the file again.", messages.ERROR)
            return redirect("admin:references_source_import")
        keys = {
            int(name.removeprefix("key-")): value.strip()
            for name, value in request.POST.items()
            if name.startswith("key-") and name.removeprefix("key-").isdigit()
        }
        checked = Import.read(data, request.POST.get("format") or None, keys)
        if checked.errors:
            return self.render_import(request, "import_preview.html", checked, token=token)
        created = checked.save()
        importing.unstage(token, request.user)
        self.message_user(
            request,
            f"Imported {len(created)} source(s); {len(checked.duplicates)} already in the library were skipped.",
            messages.SUCCESS,
        )
        return redirect("admin:references_source_changelist")

    def render_import(self, request, template, checked, **context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import sources",
            "checked": checked,
            "format_name": formats.FORMATS.get(checked.format) if checked else "",
            **context,
        }
        return TemplateResponse(request, f"admin/references/source/{template}", context)
