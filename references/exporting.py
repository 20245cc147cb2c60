"""Sources written out as BibTeX, RIS or CSL-JSON files (``references.formats``), for download."""

from django.http import HttpResponse

from . import csl, formats

#: Format → (file extension, media type).
FILES = {
    "bibtex": ("bib", "application/x-bibtex; charset=utf-8"),
    "ris": ("ris", "application/x-research-info-systems; charset=utf-8"),
    "csljson": ("json", "application/vnd.citationstyles.csl+json; charset=utf-8"),
}


def export(records, format):
    """Source ``records`` (``Source.record()``, or a revision's copies) as the text of a file."""
    return formats.dump([csl.item(record) for record in records], format)


def download(records, format, name):
    """A response that downloads ``records`` as ``<name>.<extension>``."""
    extension, media_type = FILES[format]
    response = HttpResponse(export(records, format), content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response
