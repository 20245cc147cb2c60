"""The markdownx editor's endpoints, for logged-in staff only.

django-markdownx ships equivalents that answer anyone and store uploads under the extension of
the Content-Type the client claims; Clonus does not route to them.
"""

from django.contrib.auth.mixins import UserPassesTestMixin
from django.http import HttpResponse, JsonResponse
from django.views import View

from .markdown import render_preview
from .uploads import ImageUploadForm


class StaffOnlyMixin(UserPassesTestMixin):
    # A 403, not a redirect to the login page: these endpoints answer scripts.
    raise_exception = True

    def test_func(self):
        user = self.request.user
        return user.is_active and user.is_staff


class PreviewView(StaffOnlyMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        return HttpResponse(render_preview(request.POST.get("content", "")))


class ImageUploadView(StaffOnlyMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        form = ImageUploadForm(files=request.FILES)
        if not form.is_valid():
            return JsonResponse({"image": form.errors.get("image", ["Choose an image to upload."])}, status=400)
        return JsonResponse({"image_code": f"![]({form.save()})"})
