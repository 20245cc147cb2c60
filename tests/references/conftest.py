"""The reference library's look-ups, tested against a fake Crossref and PubMed: never the internet."""

from pathlib import Path

import pytest

from tests.fakes import RemoteAPI, closed_port

#: Answers of Crossref and PubMed, in their own formats (see recorded/README.md).
RECORDED = Path(__file__).with_name("recorded")
CONTACT_EMAIL = "editors@clonus.example"


@pytest.fixture(autouse=True)
def _no_internet(settings):
    """Every test here starts with the look-ups pointed at a closed port, so that one which
    forgets the fake fails quickly instead of asking the real services."""
    offline(settings)


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


@pytest.fixture
def no_network(settings):
    """Look-ups pointed at a port of 127.0.0.1 where nothing listens: every connection is refused."""
    offline(settings)


def offline(settings):
    port = closed_port()
    settings.CLONUS_CROSSREF_API = f"http://127.0.0.1:{port}"
    settings.CLONUS_PUBMED_API = f"http://127.0.0.1:{port}/entrez/eutils"
