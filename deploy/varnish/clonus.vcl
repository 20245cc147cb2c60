# Varnish in front of Clonus: readers' pages kept whole, dropped by tag when they change.
#
# Django says what a page shows in its Surrogate-Key header (clonus/pagecache.py); vmod-xkey
# indexes cached objects by those tags, and clonus/purging.py (XkeyPurge) sends
# `PURGE` with an `xkey-purge: article-3 source-12` header once a change has committed.
# Needs Varnish 7 with varnish-modules (Debian: varnish, varnish-modules). Check it compiles
# with `varnishd -C -f "$PWD/deploy/varnish/clonus.vcl"` (a relative -f is looked up in vcl_path).
#
# Tags make long headers: a page carries two per source it cites, so an article citing some 250
# sources has a Surrogate-Key over 8 KB, Varnish's default http_resp_hdr_len, and Varnish would
# answer it 503; a purge of as many tags would be refused the same way. Start varnishd with
#   -p http_resp_hdr_len=64k -p http_resp_size=128k -p workspace_backend=256k
#   -p http_req_hdr_len=64k -p http_req_size=128k -p workspace_client=256k
vcl 4.1;

import std;
import xkey;

# Django (gunicorn). tests/test_varnish.py replaces the port with its live server's.
backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

# Who may purge: localhost, where the application runs (CLONUS_PURGE_URLS names this
# Varnish). Anyone else could empty the cache at will. Addresses, not "localhost": a name is
# looked up when the VCL compiles.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purging is not allowed from " + client.ip));
        }
        # Only by tag: a URL purge would miss the other pages showing the same thing.
        if (!req.http.xkey-purge) {
            return (synth(405, "PURGE needs an xkey-purge header naming tags"));
        }
        # A hard purge: the next reader gets a fresh render, never a stale page in grace.
        set req.http.X-Purged = xkey.purge(req.http.xkey-purge);
        std.log("xkey-purge " + req.http.xkey-purge + ": " + req.http.X-Purged + " objects");
        return (synth(200, "Purged " + req.http.X-Purged + " objects"));
    }

    # Staff pages differ by user and change on every action: never from the cache.
    if (req.url ~ "^/(admin|editor)(/|$)") {
        return (pass);
    }
    # A logged-in user (Django's session cookie) may see drafts, messages, their own name.
    if (req.http.Cookie ~ "(^|;)\s*sessionid=") {
        return (pass);
    }
    # Anonymous readers all see the same page; other cookies (csrftoken, analytics) would only
    # make the built-in VCL pass. Requests that change something keep theirs.
    if (req.method == "GET" || req.method == "HEAD") {
        unset req.http.Cookie;
    }
    # The built-in vcl_recv follows: it passes Authorization and methods other than GET/HEAD.
}

sub vcl_backend_response {
    # Index the object by the tags Django gave it, for xkey.purge().
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    # Only what a view shared (pagecache.share() says `public`), and never a response setting
    # a cookie: that would hand one reader's cookie to the next. Hit-for-miss for a short while,
    # so requests for it go straight to Django instead of queueing behind each other.
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control !~ "(?i)(^|,)\s*public\s*(,|$)") {
        set beresp.uncacheable = true;
        set beresp.ttl = 30s;
        return (deliver);
    }
    # The built-in vcl_backend_response follows: TTL from s-maxage, no-store, Vary: *.
}

sub vcl_deliver {
    # Whether the page came from this cache (passes and misses alike say MISS).
    if (obj.hits > 0) {
        set resp.http.X-Varnish-Cache = "HIT";
    } else {
        set resp.http.X-Varnish-Cache = "MISS";
    }
    # Internal to this cache; Surrogate-Key stays for a CDN that may be in front.
    unset resp.http.xkey;
}

sub vcl_synth {
    # Answers to PURGE as one line of plain text, for logs and scripts.
    if (req.method == "PURGE") {
        set resp.http.Content-Type = "text/plain; charset=utf-8";
        set resp.body = resp.reason + {"
"};
        return (deliver);
    }
}
