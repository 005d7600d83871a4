vcl 4.1;
# Varnish in front of the site's gunicorn (docs/operations.md). It keeps only what the site
# marks as shared-cacheable (public pages with s-maxage, static files), drops every variant of a
# page the moment the site purges it, and serves what it has while the site or its database is down.
#
# The backend lives in backend.vcl, found on varnishd's vcl_path: `scripts/serve` (`make serve`)
# writes one for gunicorn's internal port; a deployment writes its own, e.g. /etc/varnish/backend.vcl:
#
#     backend gunicorn {
#         .host = "127.0.0.1";
#         .port = "8001";
#         .host_header = "www.clinic.example";   # a host in ALLOWED_HOSTS, for the probe
#         .probe = healthz;
#     }
#
# How long pages are kept while the site is down is varnishd's default_grace parameter
# in seconds (`-p default_grace=21600`: 6 hours).
#
# The secret the site's purges carry (VARNISH_PURGE_TOKEN, docs/security.md) lives in
# purge_token.vcl beside backend.vcl, written by the deployment and readable by varnishd alone:
#
#     sub purge_token {
#         set req.http.purge-token-expected = "the same value as the site's VARNISH_PURGE_TOKEN";
#     }

import std;
import vsthrottle;
import xkey;

# /healthz answers 503 when the database fails: Varnish then counts the site as down and serves
# its pages for as long as their grace lasts, instead of passing on the site's 503.
# A busy site is not a site that is down: gunicorn's workers may have a few seconds of requests
# queued (the form pages Varnish passes on, under load), so the probe waits longer than that.
# Asked every second (the next once the last is answered), so that two answers in a row tell
# Varnish within seconds that a restarted site (a deploy) is back, or that the site is down.
probe healthz {
    .url = "/healthz";
    .interval = 1s;
    .timeout = 4s;
    .window = 3;
    .threshold = 2;
    .initial = 2;
}

include "backend.vcl";
include "purge_token.vcl";

# The site's own servers send PURGE requests (core/varnish.py); nobody else may. Behind a TLS
# proxy on this host every visitor comes from 127.0.0.1 too: the secret is what tells them apart.
acl purgers {
    "127.0.0.1";
    "::1";
}

# The TLS proxy in front, on this host: the visitor's address is the one it adds to X-Forwarded-For.
# Anyone else's X-Forwarded-For is their own say-so, and is never believed.
acl local_proxy {
    "127.0.0.1";
    "::1";
}

# Every query parameter some page reads (each page type's cache_query_parameters, the search
# view's QUERY_PARAMETERS, the sitemap's SITEMAP_QUERY_PARAMETERS; tests/test_varnish.py holds the
# lists equal). The rest (utm_*,
# made-up ones) never reach the site nor split a page's entry in Varnish.
sub keep_only_read_query_parameters {
    set req.url = regsuball(req.url, "(?<=[?&])(?!(?:condition|kind|p|page|q)=)[^&]*(&|$)", "");
    set req.url = std.querysort(regsub(req.url, "[?&]+$", ""));
}

# Who a request comes from, for the limits below: the TLS proxy's word when it is the one asking
# (Varnish has appended client.ip itself, so the visitor is the address before the last).
sub find_visitor {
    if (client.ip ~ local_proxy && req.http.X-Forwarded-For ~ ",") {
        set req.http.visitor = regsub(req.http.X-Forwarded-For, "^(?:.*,)?\s*([^,\s]+)\s*,[^,]*$", "\1");
    } else {
        set req.http.visitor = client.ip;
    }
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        call purge_token;
        # Refused too when purge_token.vcl holds no usable secret (empty, short): never open.
        if (req.http.purge-token-expected !~ "^[A-Za-z0-9_-]{32,}$"
            || req.http.X-Purge-Token != req.http.purge-token-expected) {
            return (synth(403, "Forbidden"));
        }
        # A change published is purged softly: the pages stay, stale, and the next visitor's
        # request fetches them anew in the background (grace, below) while every visitor is
        # answered at once. What must stop showing is purged at once (core/varnish.py).
        if (req.http.xkey-softpurge) {
            return (synth(200, "Soft-purged " + xkey.softpurge(req.http.xkey-softpurge) + " objects"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "Name the surrogate keys to purge in an xkey-purge or xkey-softpurge header"));
        }
        return (synth(200, "Purged " + xkey.purge(req.http.xkey-purge) + " objects"));
    }

    # Staff work in the admin, which is never cached: it is not limited here (sign-in has its own
    # limit, in the site).
    if (req.url ~ "^/(admin|documents)(/|$)" || req.url ~ "^/healthz") {
        return (pass);
    }

    if (req.url ~ "\?") {
        call keep_only_read_query_parameters;
    }

    if (req.method == "GET" || req.method == "HEAD") {
        # Static files and images are the same for everyone: a session plays no part in them.
        if (req.url ~ "^/(static|media)/") {
            unset req.http.Cookie;
        }
        # The site's rule: a session (signed-in staff, a private page unlocked with its password)
        # always sees the page as it is now. Every other cookie (analytics, a stale CSRF token, a
        # made-up one) plays no part in a public page, and must not be a way around the cache.
        if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
            # Anyone can make up a session cookie, and each such request is rendered afresh: a
            # few a second per visitor is more than anyone reading pages asks for.
            call find_visitor;
            if (vsthrottle.is_denied("session " + req.http.visitor, 20, 10s, 10s)) {
                return (synth(429, "Too many requests"));
            }
            unset req.http.visitor;
            return (pass);
        }
        unset req.http.Cookie;
    }

    # While the site answers, a page past its lifetime is fetched afresh; only while the site is
    # down does Varnish go on serving what it has, for as long as the page's grace lasts.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }
}

sub vcl_backend_response {
    # A failed refresh of a page Varnish still has must not replace it: keep serving it.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    # Only what the site marks public for shared caches. Never errors, redirects for sign-in,
    # private or no-store pages, or anything setting a cookie (every page with a form does).
    if (beresp.status >= 400
        || beresp.http.Cache-Control !~ "(?i)(^|,)\s*public\s*(,|$)"
        || beresp.http.Cache-Control ~ "(?i)private|no-store|no-cache"
        || beresp.http.Set-Cookie) {
        set beresp.ttl = 10s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # Everything kept also answers to the key "all": the site purges it when it starts, so that a
    # new release never has pages rendered by the old one served for it.
    set beresp.http.xkey = beresp.http.xkey + " all";
}

sub vcl_synth {
    if (resp.status == 429) {
        set resp.http.Content-Type = "text/html; charset=utf-8";
        set resp.http.Retry-After = "10";
        synthetic({"<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Too many requests</title></head>
<body><h1>Too many requests</h1><p>Please wait a few seconds and try again.</p></body>
</html>
"});
        return (deliver);
    }
}

# The site is down and Varnish has no copy of the page: say so plainly, as the site's own 503 does.
sub vcl_backend_error {
    set beresp.http.Content-Type = "text/html; charset=utf-8";
    set beresp.http.Retry-After = "30";
    synthetic({"<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>We'll be back shortly</title></head>
<body><h1>We'll be back shortly</h1>
<p>The site is having a problem. Please try again in a minute.</p></body>
</html>
"});
    return (deliver);
}

sub vcl_deliver {
    # The surrogate keys are for Varnish alone.
    unset resp.http.xkey;
    if (obj.uncacheable) {
        set resp.http.X-Cache = "pass";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
}
