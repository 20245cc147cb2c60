import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from tests.factories import make_user


def pytest_configure(config):
    # The hashed-name manifest exists only after collectstatic; tests serve static files
    # under their plain names. tests/test_deploy.py builds the real manifest once.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def staff_client(client, db):
    """Logged in as a member of the editorial staff: an editor."""
    editor = make_user(staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    return client


@pytest.fixture
def superuser_client(client, db):
    client.force_login(make_user(superuser=True))
    return client
