"""Purging the caches in front of the site (Varnish, a CDN) by tag, after each change.

A backend is a class taking the URL it purges (one of ``CLONUS_PURGE_URLS``) whose
``send(tags)`` raises on failure; ``purge(tags)`` tries once at once, then again in the
background after each of ``RETRY_DELAYS``, logging every failure. An editor's action never
waits longer than one timeout, and never fails, because a cache in front is down: a page such
a cache keeps past a lost purge lives at most its ``s-maxage``.
"""

import logging
import threading

import urllib3

logger = logging.getLogger(__name__)

#: Seconds before each further attempt at a purge that failed.
RETRY_DELAYS = (1, 5, 30)
TIMEOUT = urllib3.Timeout(connect=1, read=2)


class Purger:
    def __init__(self, url):
        self.url = url

    def send(self, tags):
        raise NotImplementedError

    def purge(self, tags, attempt=0):
        try:
            self.send(tags)
        except Exception as error:
            if attempt < len(RETRY_DELAYS):
                delay = RETRY_DELAYS[attempt]
                logger.warning(
                    "Purging %s at %s failed (%s); trying again in %s s.", " ".join(tags), self.url, error, delay
                )
                retry = threading.Timer(delay, self.purge, args=(tags, attempt + 1))
                retry.daemon = True
                retry.start()
            else:
                logger.error("Purging %s at %s failed %s times; giving up.", " ".join(tags), self.url, attempt + 1)
            return False
        return True


class XkeyPurge(Purger):
    """``PURGE`` with the tags in an ``xkey-purge`` header, as ``deploy/varnish/clonus.vcl``
    (Varnish with vmod-xkey) expects; a CDN with surrogate keys takes the same shape."""

    http = urllib3.PoolManager(timeout=TIMEOUT, retries=False)
    #: Tags a request: Varnish refuses request headers over 8 KB unless told otherwise.
    CHUNK = 100

    def send(self, tags):
        for start in range(0, len(tags), self.CHUNK):
            names = " ".join(tags[start : start + self.CHUNK])
            response = self.http.request("PURGE", self.url, headers={"xkey-purge": names})
            if response.status >= 300:
                raise OSError(f"{response.status} {response.reason}")
