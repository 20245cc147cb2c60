"""Fakes of the services Clonus talks to, so that no test ever reaches the internet.

``RemoteAPI`` runs ``remote_api.py`` (a fake Crossref and PubMed replaying recorded answers) as a
subprocess; the fixtures in ``tests/references/conftest.py`` start one per test session.
"""

import json
import os
import select
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

SCRIPT = Path(__file__).with_name("remote_api.py")
#: How long the fake may take to start listening.
START_TIMEOUT = 10
#: Control requests go straight to 127.0.0.1, whatever proxy the environment names.
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class RemoteAPI:
    """The fake Crossref and PubMed, serving the recordings in ``recordings``."""

    def __init__(self, recordings):
        self.recordings = Path(recordings)
        self.process = None
        self.url = ""

    def start(self):
        command = [sys.executable, str(SCRIPT), str(self.recordings)]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        ready, _, _ = select.select([self.process.stdout], [], [], START_TIMEOUT)
        line = self.process.stdout.readline() if ready else ""
        if not line.startswith("listening on "):
            self.stop()
            raise RuntimeError(f"The fake remote API did not start: {line or 'no answer'}")
        self.url = line.split()[-1]
        return self

    def stop(self):
        """Stop the fake by its process id (and nothing else)."""
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=START_TIMEOUT)
        if self.process:
            self.process.stdout.close()
            self.process.stderr.close()

    @property
    def crossref_url(self):
        return f"{self.url}/crossref"

    @property
    def pubmed_url(self):
        return f"{self.url}/pubmed"

    def point(self, settings):
        """Make the look-ups ask this fake: ``settings`` is pytest-django's fixture."""
        settings.CLONUS_CROSSREF_API = self.crossref_url
        settings.CLONUS_PUBMED_API = self.pubmed_url

    def mode(self, mode, **options):
        """``mode("slow", seconds=3)``, ``mode("failing", status=503, times=1)``, ``mode("garbage")``."""
        self.control("mode", {"mode": mode, **options})

    def reset(self):
        self.control("reset", {})

    def requests(self):
        """The requests the fake answered since the last reset: method, path, query and headers."""
        with DIRECT.open(f"{self.url}/_fake/requests", timeout=5) as response:
            return json.load(response)

    def control(self, name, options):
        request = urllib.request.Request(f"{self.url}/_fake/{name}", data=json.dumps(options).encode(), method="POST")
        DIRECT.open(request, timeout=5).close()


def closed_port():
    """A port on 127.0.0.1 where nothing listens (it was free a moment ago): connections are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
