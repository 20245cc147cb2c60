"""The forms of the article admin: editing (with the stale-copy check), reviewing, scheduling."""

from urllib.parse import urlencode

from django import forms
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime

from ..models import Article, Review, Section


class StaleCopyCheck:
    """Refuse to overwrite a save made after the form was opened (the article row is locked).

    The form carries the article's version when it was opened in a hidden field; a missing or
    altered number is stale too. The error is form-wide, not on the hidden field: the admin
    hides the row of a hidden field, and with it that field's errors.
    """

    version_field = "base_version"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields[self.version_field].initial = self.opened_article().version

    def opened_article(self):
        return self.instance

    def clean(self):
        cleaned = super().clean()
        article = self.opened_article() if self.instance.pk else None
        version = cleaned.get(self.version_field) or 0
        if article is not None and version != article.version:
            raise forms.ValidationError(stale_copy_message(article, version), code="stale")
        return cleaned


def revision_message_field():
    return forms.CharField(
        label="What changed?",
        required=False,
        max_length=300,
        help_text="Optional, shown in the article's history.",
    )


class ArticleForm(StaleCopyCheck, forms.ModelForm):
    #: The article's version when this form was opened.
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    revision_message = revision_message_field()

    class Meta:
        model = Article
        fields = ["title", "slug", "summary", "topic", "byline"]


class SectionForm(StaleCopyCheck, forms.ModelForm):
    version_field = "article_version"
    article_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    revision_message = revision_message_field()

    class Meta:
        model = Section
        fields = ["article", "position", "heading", "anchor", "body"]

    def opened_article(self):
        # The article the section belonged to when opened, locked by SectionAdmin.get_object,
        # even if this save moves the section to another article.
        return self.instance.article


class SectionFormSet(BaseInlineFormSet):
    def clean(self):
        # The anchor constraint skips blank anchors, so Django's formset check skips it too.
        super().clean()
        seen = set()
        for form in self.forms:
            anchor = form.cleaned_data.get("anchor") if not self._should_delete_form(form) else None
            if anchor and anchor in seen:
                form.add_error("anchor", "Another section of this article has this anchor.")
            seen.add(anchor)


def stale_copy_message(article, version):
    """Tell an editor whose copy of ``article`` was opened at ``version`` what was saved since."""
    revisions = list(article.revisions.filter(number__gte=version).select_related("created_by").order_by("number"))
    opened = next((r for r in revisions if r.number == version), None)
    newer = [r for r in revisions if r.number > version]
    saves = format_html_join(
        "; ",
        "revision {} by {} at {}{}",
        (
            (
                r.number,
                (r.created_by.get_full_name() or r.created_by.get_username()) if r.created_by else "someone",
                f"{localtime(r.created_at):%-d %b %H:%M}",
                f" (“{r.message}”)" if r.message else "",
            )
            for r in newer
        ),
    )
    return format_html(
        "Someone else saved this article after you opened it: {}. Nothing has been saved from "
        "this page and your text is still below.{} Reload the article and apply your changes "
        "again.",
        saves or f"it is now at revision {article.version}",
        compare_link(article, opened, newer[-1] if newer else None),
    )


def compare_link(article, old, new):
    if old is None or new is None:
        return ""
    url = reverse("admin:articles_article_compare", args=[article.pk])
    return format_html(
        ' <a href="{}?{}">Compare the revision you opened (revision {}) with the latest (revision {})</a>.',
        url,
        urlencode({"a": old.pk, "b": new.pk}),
        old.number,
        new.number,
    )


class ReviewForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = ["outcome", "comment", "reviewed_on"]
        widgets = {
            "outcome": forms.RadioSelect,
            # A date input sends and expects ISO dates, whatever the site's date format.
            "reviewed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"reviewed_on": "The day you checked the content: today unless it was earlier."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = Review.Outcome.choices  # no blank radio button


def moment_field(label, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=help_text,
    )


class ScheduleForm(forms.Form):
    revision = forms.ModelChoiceField(queryset=None, required=False, help_text="The revision to publish at that time.")
    publish_at = moment_field("Publish at")
    expire_at = moment_field("Take down at", "The article leaves the site at this time.")

    def __init__(self, article, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        self.fields["revision"].queryset = article.revisions.defer("data")
        self.fields["revision"].label_from_instance = lambda r: f"Revision {r.number}: {r.message or r.title}"

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            self.article.check_schedule(cleaned.get("publish_at"), cleaned.get("expire_at"))
            if cleaned.get("publish_at") and not cleaned.get("revision"):
                self.add_error("revision", "Choose the revision to publish.")
        return cleaned
