"""“Fill from DOI/PMID”: the source form completed from Crossref or PubMed (references.lookup).

``static/references/admin/fill-from-identifier.js`` adds the button by the identifier fields of
the source form (added by ``templates/admin/references/source/change_form.html``) and asks
``lookup_view`` with the DOI or PMID typed. The view answers JSON: the fields to fill, and the
authors and editors as ``[family, given]`` pairs, or ``{"error": "…"}`` with a sentence for the
editor. It saves nothing: the editor checks what was filled in the form, then presses Save.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, JsonResponse
from django.urls import reverse

from .. import csl, lookup
from ..identifiers import NORMALIZERS, validate_doi, validate_pmid
from ..importing import new_key
from ..models import Source

#: How each identifier is checked and looked up, in the order they are tried: with both typed,
#: the PMID, as PubMed's record is the one Vancouver references are written from.
IDENTIFIERS = {
    "pmid": (validate_pmid, lookup.pubmed, lookup.PUBMED),
    "doi": (validate_doi, lookup.crossref, lookup.CROSSREF),
}
#: The answer's status when the service had no record, could not be asked, or made no sense.
STATUSES = {lookup.NotFound: 404, lookup.Unreachable: 503, lookup.BadAnswer: 502}


class LookupScreens:
    """Mixed into ``SourceAdmin``: its ``lookup_urls()`` are added to the admin's URLs."""

    def lookup_urls(self):
        return [self.route("lookup/", self.lookup_view, "lookup")]

    def lookup_view(self, request):
        """``?doi=…`` or ``?pmid=…``, with ``&source=<id>`` on the change form of that source."""
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        try:
            name, value = asked_identifier(request.GET)
        except ValidationError as error:
            return JsonResponse({"error": " ".join(error.messages)}, status=400)
        editing = request.GET.get("source", "")
        if duplicate := self.duplicate_answer({name: value}, editing):
            return duplicate  # no need to ask anyone
        _, look_up, service = IDENTIFIERS[name]
        try:
            values, authors, editors = csl.fields(look_up(value))
        except lookup.LookupFailed as error:
            return JsonResponse({"error": str(error)}, status=STATUSES[type(error)])
        except ValueError as error:  # an item no source can be made of
            return JsonResponse({"error": f"{service.name}'s record cannot be used: {error}."}, status=502)
        for identifier, normalize in NORMALIZERS.items():
            if identifier in values:
                values[identifier] = normalize(values[identifier])
        if duplicate := self.duplicate_answer(values, editing):
            return duplicate  # the PubMed record of a PMID names a DOI another source has
        return JsonResponse(
            {
                "service": service.name,
                "fields": values,
                "authors": authors,
                "editors": editors,
                "key": new_key((authors or editors or [[""]])[0][0], values.get("year")),
            }
        )

    def duplicate_answer(self, identifiers, editing):
        """A 409 naming the source that already has one of these identifiers, if another has."""
        doi, pmid = identifiers.get("doi", ""), identifiers.get("pmid", "")
        others = [source for source in Source.objects.duplicates(doi=doi, pmid=pmid) if str(source.pk) != editing]
        if not others:
            return None
        other = others[0]
        which = "DOI" if doi and other.doi == doi else "PMID"
        url = reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_change", args=[other.pk])
        return JsonResponse(
            {
                "error": f"The source “{other.key}” already has this {which}: edit that one rather than adding it twice.",
                "duplicate": {"key": other.key, "title": other.title, "url": url},
            },
            status=409,
        )


def asked_identifier(query):
    """``("pmid", "11687121")`` or ``("doi", "10.1002/…")`` from the query string, normalised;
    raises ``ValidationError`` for one that cannot be a DOI or PMID, or for neither."""
    for name, (validate, _, _) in IDENTIFIERS.items():
        if value := query.get(name, "").strip():
            validate(value)
            return name, NORMALIZERS[name](value)
    raise ValidationError("Type a DOI or a PMID first.")
