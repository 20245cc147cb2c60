"""The section editor: where an editor writes and cites."""

from django.forms import Script
from django.urls import reverse_lazy
from markdownx.widgets import AdminMarkdownxWidget

#: markdownx renders its own preview this long after a keystroke: never, in practice. The
#: citing editor's preview (static/articles/admin/citing-editor.js) numbers marks within the
#: whole article, which markdownx's one-textarea request cannot.
NEVER = 2_000_000_000


class CitingEditor(AdminMarkdownxWidget):
    """markdownx's textarea (image drop and paste, growing height) with a citation picker that
    opens on ``[@`` or the Cite button, and a preview as readers will see the section."""

    template_name = "admin/articles/widgets/citing_editor.html"

    @staticmethod
    def add_markdownx_attrs(attrs):
        attrs = AdminMarkdownxWidget.add_markdownx_attrs(attrs)
        attrs["data-markdownx-latency"] = NEVER
        return attrs

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["sources_url"] = reverse_lazy("articles:editor-sources")
        context["preview_url"] = reverse_lazy("articles:editor-preview")
        return context

    class Media:
        js = [
            Script("vendor/text-expander-element/text-expander-element.js", type="module"),
            "articles/admin/citing-editor.js",
        ]
        css = {"all": ["articles/admin/citing-editor.css"]}
