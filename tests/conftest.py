import importlib
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from tests.factories import make_user
from tests.fakes import RemoteAPI


def pytest_configure(config):
    # The hashed-name manifest exists only after collectstatic; tests serve static files
    # under their plain names. tests/test_deploy.py builds the real manifest once.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Every test user has a password; hashing it as production does costs a third of a second.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff_client(client, db):
    """Logged in as a member of the editorial staff: an editor."""
    client.force_login(make_user("Editors"))
    return client


@pytest.fixture
def superuser_client(client, db):
    client.force_login(make_user(superuser=True))
    return client


def ensure_roles():
    """Make the editorial groups again, with the data migrations' own code, if they are gone.

    A test on ``transactional_db`` (every live-server test) ends with a flush, not a rollback,
    and the migrations' data goes with it. Django's serialized rollback would bring it back but
    fails once content types have been flushed and come back under new ids.
    """
    roles = importlib.import_module("articles.migrations.0003_roles")
    if Group.objects.filter(name__in=roles.ROLES).count() < len(roles.ROLES):
        for name, grant in [("0003_roles", roles.create_roles), *LATER_GRANTS]:
            state = MigrationLoader(connection).project_state(("articles", name))
            grant(state.apps, schema_editor=None)


#: Migrations that give the roles permissions added after 0003, in order.
LATER_GRANTS = [("0006_source_merges", importlib.import_module("articles.migrations.0006_source_merges").grant_merging)]


@pytest.fixture(autouse=True)
def _roles_outlive_flushes(request):
    """Every test with a database starts with the editorial groups (see ensure_roles)."""
    uses_db = {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    if uses_db or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("_django_db_helper")
        ensure_roles()


# The fake Crossref and PubMed (tests/fakes/remote_api.py), for the look-ups' tests and the
# browser's. Without it, look-ups go to a closed port (pyproject.toml).

#: Answers of Crossref and PubMed, in their own formats (see recorded/README.md).
RECORDED = Path(__file__).parent / "references" / "recorded"
CONTACT_EMAIL = "editors@clonus.example"


@pytest.fixture(scope="session")
def remote_api_server():
    """The fake Crossref and PubMed (tests/fakes/remote_api.py), one process for the session."""
    server = RemoteAPI(RECORDED).start()
    yield server
    server.stop()


@pytest.fixture
def remote_api(remote_api_server, settings):
    """The fake, answering as usual and with no request seen yet, and the look-ups asking it."""
    remote_api_server.reset()
    remote_api_server.point(settings)
    settings.CLONUS_CONTACT_EMAIL = CONTACT_EMAIL
    yield remote_api_server
    remote_api_server.reset()  # a slow or failing mode must not outlive its test
