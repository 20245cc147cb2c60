"""The editorial workflow in the admin: submit for review, review, publish, unpublish, schedule.

Each view checks the permission for its action on the server before it reads or changes
anything, answers 403 to a user without it, and leaves the work to the model
(``Article.publish()`` and friends), which does it in one transaction and records it in the
audit log.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from .models import Article, PublishRefused, Review


def urls(model_admin):
    def route(name, view):
        return path(
            f"<int:object_id>/{name}/",
            model_admin.admin_site.admin_view(view),
            {"model_admin": model_admin},
            name=f"articles_article_{name}",
        )

    return [
        route("submit", submit),
        route("review", review),
        route("publish", publish),
        route("unpublish", require_POST(unpublish)),
        route("schedule", schedule),
    ]


def get_article(request, model_admin, object_id, permission):
    """The article, if the user may do ``permission`` to it; 403 (before any lookup) if not."""
    if not request.user.has_perm(f"articles.{permission}"):
        raise PermissionDenied
    articles = Article.objects.select_related("live_revision", "latest_revision")
    article = get_object_or_404(articles, pk=object_id)
    if not model_admin.has_view_permission(request, article):
        raise PermissionDenied
    return article


def chosen_revision(request, article):
    """The revision named by ``?revision=`` (or the posted form), else the latest one."""
    pk = request.POST.get("revision") or request.GET.get("revision")
    if pk:
        return get_object_or_404(article.revisions.select_related("created_by"), pk=pk if pk.isdigit() else 0)
    if article.latest_revision is None:
        raise Http404("This article has no saved revision yet.")
    return article.latest_revision


def render(request, model_admin, article, template, title, **context):
    return TemplateResponse(
        request,
        f"admin/articles/article/{template}",
        {
            **model_admin.admin_site.each_context(request),
            "opts": Article._meta,
            "original": article,
            "article": article,
            "title": title,
            **context,
        },
    )


def back_to_article(article):
    return redirect(reverse("admin:articles_article_change", args=[article.pk]))


def submit(request, object_id, model_admin):
    article = get_article(request, model_admin, object_id, "submit_article")
    if request.method == "POST":
        revision = article.submit_for_review(request.user)
        messages.success(request, f"Revision {revision.number} is waiting for a medical review.")
        return back_to_article(article)
    return render(
        request, model_admin, article, "submit.html", "Submit for medical review",
        revision=article.latest_revision,
        # Editors cannot open the Review page: this is where they read what reviewers asked for.
        verdict=Review.objects.filter(revision__article_pk=article.pk).select_related("revision").verdict(),
    )  # fmt: skip


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


def review(request, object_id, model_admin):
    article = get_article(request, model_admin, object_id, "review_article")
    revision = chosen_revision(request, article)
    # The model's rules (comment for changes, no sign-off of one's own revision) run on validation.
    form = ReviewForm(request.POST or None, instance=Review(revision=revision, reviewer=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            Review.objects.record(revision, request.user, **form.cleaned_data)
        except ValidationError as error:  # the rules changed between form and model: say so
            form.add_error(None, error)
        else:
            messages.success(request, f"Your review of revision {revision.number} is recorded.")
            return back_to_article(article)
    last = article.revisions.filter(number__lt=revision.number, reviews__outcome=Review.Outcome.SIGNED_OFF)
    return render(
        request, model_admin, article, "review.html", f"Review revision {revision.number} of “{article}”",
        revision=revision,
        form=form,
        reviews=revision.reviews.select_related("reviewer"),
        last_signed_off=last.order_by("-number").first(),
        problems=revision.content_problems(),
    )  # fmt: skip


def publish(request, object_id, model_admin):
    article = get_article(request, model_admin, object_id, "publish_article")
    revision = chosen_revision(request, article)
    can_override = request.user.has_perm("articles.override_publish_checks")
    reason = request.POST.get("override_reason", "").strip()
    problems = article.publish_problems(revision)
    if request.method == "POST":
        overriding = "override" in request.POST
        if overriding and not can_override:
            raise PermissionDenied
        if overriding and not reason:
            messages.error(request, "Say why the checks may be overridden: the reason goes in the audit log.")
        else:
            try:
                article.publish(revision, request.user, override_reason=reason if overriding else "")
            except PublishRefused as refusal:
                problems = refusal.reasons
                messages.error(request, "Nothing was published.")
            else:
                messages.success(request, f"Revision {revision.number} of “{article}” is live.")
                return back_to_article(article)
    return render(
        request, model_admin, article, "publish.html", f"Publish “{article}”",
        revision=revision,
        revisions=article.revisions.select_related("created_by").defer("data"),
        problems=problems,
        can_override=can_override,
        override_reason=reason,
    )  # fmt: skip


def unpublish(request, object_id, model_admin):
    article = get_article(request, model_admin, object_id, "publish_article")
    if article.unpublish(request.user):
        messages.success(request, f"“{article}” is no longer on the site.")
    else:
        messages.warning(request, f"“{article}” was not on the site.")
    return back_to_article(article)


class ScheduleForm(forms.Form):
    revision = forms.ModelChoiceField(
        queryset=None, required=False, help_text="The revision to publish at that time."
    )
    publish_at = forms.DateTimeField(
        label="Publish at",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    expire_at = forms.DateTimeField(
        label="Take down at",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="The article leaves the site at this time.",
    )

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


def schedule(request, object_id, model_admin):
    article = get_article(request, model_admin, object_id, "publish_article")
    if request.method == "POST" and "cancel" in request.POST:
        if article.cancel_schedule(request.user):
            messages.success(request, "The schedule is cancelled.")
        return back_to_article(article)
    initial = {
        "revision": article.scheduled_revision_id or article.latest_revision_id,
        "publish_at": article.publish_at,
        "expire_at": article.expire_at,
    }
    form = ScheduleForm(article, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            article.schedule(data["revision"], request.user, data["publish_at"], data["expire_at"])
        except ValidationError as error:  # times that passed while the form was being sent
            form.add_error(None, error)
        except PublishRefused as refusal:
            form.add_error("revision", ["This revision could not be published now:", *refusal.reasons])
        else:
            messages.success(request, "The schedule is saved.")
            return back_to_article(article)
    return render(
        request, model_admin, article, "schedule.html", f"Schedule “{article}”",
        form=form,
        time_zone=timezone.get_current_timezone_name(),
    )  # fmt: skip
