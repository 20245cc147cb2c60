"""The reference library's look-ups, tested against a fake Crossref and PubMed: never the internet."""

import pytest

from tests.fakes import closed_port


@pytest.fixture(autouse=True)
def _no_internet(settings):
    """Every test here starts with the look-ups pointed at a closed port, so that one which
    forgets the fake fails quickly instead of asking the real services."""
    offline(settings)


@pytest.fixture
def no_network(settings):
    """Look-ups pointed at a port of 127.0.0.1 where nothing listens: every connection is refused."""
    offline(settings)


def offline(settings):
    port = closed_port()
    settings.CLONUS_CROSSREF_API = f"http://127.0.0.1:{port}"
    settings.CLONUS_PUBMED_API = f"http://127.0.0.1:{port}/entrez/eutils"
