"""The site's icon, on public pages, admin pages and at /favicon.ico."""

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

from tests.factories import make_article

pytestmark = pytest.mark.django_db

ICON_LINK = f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">'


def test_favicon_ico_is_sent_to_the_site_icon_instead_of_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response.url == static("favicon.svg")
    assert finders.find("favicon.svg")


@pytest.mark.parametrize("url_name", ["admin:login", "admin:index", "admin:articles_article_change"])
def test_admin_pages_link_the_site_icon_and_keep_the_clonus_branding(staff_client, url_name):
    if url_name == "admin:login":
        staff_client.logout()
    args = [make_article().pk] if url_name.endswith("_change") else []
    html = staff_client.get(reverse(url_name, args=args)).content.decode()
    assert ICON_LINK in html
    assert "Clonus administration" in html and "| Clonus</title>" in html
