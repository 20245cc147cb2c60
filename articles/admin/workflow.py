"""The editorial workflow: submit for review, review, publish, unpublish, schedule.

Each screen checks the permission for its action on the server before it reads or changes
anything, answers 403 to a user without it, and leaves the work to the model
(``Article.publish()`` and friends), which does it in one transaction and records it in the
audit log.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from ..models import PublishRefused, Review
from .base import chosen_revision
from .forms import ReviewForm, ScheduleForm


class WorkflowMixin:
    def workflow_urls(self):
        return [
            self.route("<int:object_id>/submit/", self.submit_view, "submit"),
            self.route("<int:object_id>/review/", self.review_view, "review"),
            self.route("<int:object_id>/publish/", self.publish_view, "publish"),
            self.route("<int:object_id>/unpublish/", self.unpublish_view, "unpublish"),
            self.route("<int:object_id>/schedule/", self.schedule_view, "schedule"),
        ]

    def submit_view(self, request, object_id):
        article = self.get_article(request, object_id, "submit_article")
        if request.method == "POST":
            revision = article.submit_for_review(request.user)
            messages.success(request, f"Revision {revision.number} is waiting for a medical review.")
            return self.back_to(article)
        # Editors cannot open the Review page: this is where they read what reviewers asked for.
        reviews = Review.objects.filter(revision__article_pk=article.pk).select_related("revision")
        return self.render_screen(
            request,
            "submit.html",
            "Submit for medical review",
            article,
            revision=article.latest_revision,
            verdict=reviews.verdict(),
            # Submitting is allowed with problems; the editor sees them first.
            problems=article.publish_problems(article.latest_revision) if article.latest_revision else [],
        )

    def review_view(self, request, object_id):
        article = self.get_article(request, object_id, "review_article")
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
                return self.back_to(article)
        return self.render_screen(
            request,
            "review.html",
            f"Review revision {revision.number} of “{article}”",
            article,
            revision=revision,
            form=form,
            reviews=revision.reviews.select_related("reviewer"),
            last_signed_off=article.revisions.signed_off_before(revision),
            problems=revision.content_problems(),
        )

    def publish_view(self, request, object_id):
        article = self.get_article(request, object_id, "publish_article")
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
                    return self.back_to(article)
        return self.render_screen(
            request,
            "publish.html",
            f"Publish “{article}”",
            article,
            revision=revision,
            revisions=article.revisions.select_related("created_by").defer("data"),
            problems=problems,
            can_override=can_override,
            override_reason=reason,
        )

    @method_decorator(require_POST)
    def unpublish_view(self, request, object_id):
        article = self.get_article(request, object_id, "publish_article")
        if article.unpublish(request.user):
            messages.success(request, f"“{article}” is no longer on the site.")
        else:
            messages.warning(request, f"“{article}” was not on the site.")
        return self.back_to(article)

    def schedule_view(self, request, object_id):
        article = self.get_article(request, object_id, "publish_article")
        if request.method == "POST" and "cancel" in request.POST:
            if article.cancel_schedule(request.user):
                messages.success(request, "The schedule is cancelled.")
            return self.back_to(article)
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
                return self.back_to(article)
        return self.render_screen(
            request,
            "schedule.html",
            f"Schedule “{article}”",
            article,
            form=form,
            time_zone=timezone.get_current_timezone_name(),
        )
