"""schema.org JSON-LD for a live article: a ``MedicalWebPage`` with its review and citations.

Everything comes from the records readers are shown: the live revision's snapshot (``Page``),
the article's publishing dates and the revision's sign-off, so search engines are told exactly
what the page says.
"""

import json
import re

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import to_locale

PUBLISHER = "Clonus"

#: What a reference is, by the source's kind (a CSL type), and what it is part of.
TYPES = {
    "article-journal": ("ScholarlyArticle", "Periodical"),
    "paper-conference": ("ScholarlyArticle", "CreativeWork"),
    "book": ("Book", None),
    "chapter": ("Chapter", "Book"),
    "report": ("Report", None),
    "webpage": ("WebPage", "WebSite"),
    "thesis": ("Thesis", None),
}

#: A byline naming a group rather than a person: "Clonus editorial team", "NICE guideline committee".
GROUP = re.compile(r"\b(team|editors?|editorial|staff|committee|group|board|clonus)\b", re.IGNORECASE)

#: As ``django.utils.html.json_script``: nothing in the data can close the script element.
SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def medical_web_page(article, revision, review, origin):
    """The live ``article`` as its live ``revision`` shows it, signed off in ``review`` (or None),
    at the site ``origin`` (``https://host``): the revision's part (``of_revision()``, stored when
    it went live) with the dates, address and review."""
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "headline": revision.title,
        "url": origin + article.get_absolute_url(),
        "inLanguage": to_locale(settings.LANGUAGE_CODE).replace("_", "-"),
        "datePublished": timestamp(article.published_at),
        "dateModified": timestamp(article.live_since),
        "publisher": {
            "@type": "Organization",
            "name": PUBLISHER,
            "url": origin + reverse("articles:article-list"),
        },
        **revision.structured_data,
    }
    if review is not None:
        data["lastReviewed"] = review.reviewed_on.isoformat()
        data["reviewedBy"] = {"@type": "Person", "name": review.reviewer_name}
    return data


def of_revision(page):
    """What of the JSON-LD depends on the revision alone (``page``, its snapshot)."""
    data = {}
    if page.summary:
        data["description"] = page.summary
    if page.topic:
        data["about"] = {"@type": "MedicalCondition", "name": page.topic}
    if page.byline:
        data["author"] = {"@type": "Organization" if GROUP.search(page.byline) else "Person", "name": page.byline}
    data["citation"] = [citation(reference.source) for reference in page.references]
    return data


def citation(source):
    """A cited source (``SnapshotSource``) as schema.org describes a work."""
    kind, container = TYPES.get(source.kind, ("CreativeWork", None))
    work = {"@type": kind, "name": source.title}
    if people := [person(family, given) for family, given in source.authors]:
        work["author"] = people
    if source.year:
        work["datePublished"] = "-".join(f"{part:02d}" for part in (source.year, source.month, source.day) if part)
    if source.container_title:
        work["isPartOf"] = {"@type": container or "CreativeWork", "name": source.container_title}
    if source.publisher:
        work["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.pages:
        work["pagination"] = source.pages
    if source.isbn:
        work["isbn"] = source.isbn
    links = [link for link in (source.doi_url, source.pubmed_url, source.pmc_url) if link]
    if url := source.doi_url or source.url or source.pubmed_url:
        work["url"] = url
    if same := [link for link in links if link != url]:
        work["sameAs"] = same
    known = [("DOI", source.doi), ("PMID", source.pmid), ("PMCID", source.pmcid), ("ISBN", source.isbn)]
    if identifiers := [
        {"@type": "PropertyValue", "propertyID": name, "value": value} for name, value in known if value
    ]:
        work["identifier"] = identifiers
    return work


def person(family, given):
    """An author as a source records one: a person, or an organisation named in ``family``."""
    if not given:
        return {"@type": "Organization", "name": family}
    return {"@type": "Person", "name": f"{given} {family}", "familyName": family, "givenName": given}


def timestamp(moment):
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def script(data):
    """``data`` in a ``<script type="application/ld+json">`` element, escaped as ``json_script``
    escapes (``json_script`` itself would label it ``application/json``)."""
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(json.dumps(data).translate(SCRIPT_ESCAPES))
    )
