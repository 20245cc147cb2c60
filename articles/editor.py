"""The article editor's endpoints, for logged-in staff only: the live preview, the citation
picker's source search and image upload.

django-markdownx ships a preview and an upload view that answer anyone and store uploads under
the extension of the Content-Type the client claims; Clonus does not route to them.
"""

import json

from django.contrib.auth.mixins import UserPassesTestMixin
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.utils.html import format_html
from django.views import View

from references.models import Source

from .preview import ArticlePreview
from .problems import IMAGE_PLACEHOLDER
from .uploads import ImageUploadForm

#: How many sources the picker lists for one search.
PICKER_RESULTS = 10


class StaffOnlyMixin(UserPassesTestMixin):
    # A 403, not a redirect to the login page: these endpoints answer scripts.
    raise_exception = True

    def test_func(self):
        user = self.request.user
        return user.is_active and user.is_staff


class PreviewView(StaffOnlyMixin, View):
    """The preview of one section as readers will see it.

    markdownx posts one ``content``; the article form posts JSON with every section's body,
    so that numbers follow the whole article (``articles.preview``).
    """

    http_method_names = ["post"]

    def post(self, request):
        try:
            if request.content_type == "application/json":
                return JsonResponse({"previews": ArticlePreview.from_json(json.loads(request.body)).sent_previews()})
            return HttpResponse(ArticlePreview.from_text(request.POST.get("content", "")).html())
        except RequestDataTooBig:
            return preview_error("This text is too long to preview: a section holds at most 100,000 characters.", 413)
        except (ValueError, TypeError, KeyError, AttributeError):
            return preview_error("The preview could not read this page's sections; reload the page.", 400)


def preview_error(message, status):
    return HttpResponse(format_html('<p class="preview-error" role="alert">{}</p>', message), status=status)


class SourceSearchView(StaffOnlyMixin, View):
    """The citation picker's search: ``?q=elwes`` → the best ten sources, as JSON."""

    http_method_names = ["get"]

    def get(self, request):
        sources = Source.objects.search(request.GET.get("q", "")[:200]).for_picker()
        return JsonResponse({"sources": [{"key": s.key, "label": s.picker_label()} for s in sources[:PICKER_RESULTS]]})


class ImageUploadView(StaffOnlyMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        form = ImageUploadForm(files=request.FILES)
        if not form.is_valid():
            return JsonResponse({"image": form.errors.get("image", ["Choose an image to upload."])}, status=400)
        # The description is the editor's to write; the publish checks refuse the placeholder.
        return JsonResponse({"image_code": f"![{IMAGE_PLACEHOLDER}]({form.save()})"})
