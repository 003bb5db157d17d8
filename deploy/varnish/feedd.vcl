vcl 4.1;
#
# feedd.vcl: Varnish 7.1 (Debian 12 `varnish` + `varnish-modules`) as an edge
# cache in front of `feedd serve`. See docs/scaling.md ("Scaling out").
#
# Tested by deploy/varnish/check_vcl.py (a real varnishd in front of a fake
# origin) with varnish 7.1.1 and varnish-modules 0.20.0.
#
# ---------------------------------------------------------------------------
# THE PURGE CONTRACT (what feedd sends; what this VCL answers)
# ---------------------------------------------------------------------------
#
# feedd's `[[purge]] url = "http://EDGE:6081/"` with nothing else set sends,
# after every snapshot change, to every endpoint, one request per changed
# key set:
#
#     PURGE / HTTP/1.1                 # method:     [[purge]] method (PURGE)
#     Host: EDGE:6081                  # from url
#     xkey-purge: doc:/feed.rss feed:main article:abc
#                                      # header:     [[purge]] key_header
#                                      #             (default "xkey-purge")
#     X-Purge-Secret: ...              # only when [[purge]] secret is set;
#                                      # header:     [[purge]] secret_header
#                                      #             (default "X-Purge-Secret")
#     Content-Length: 0                # no body
#
#   * Keys are the ones feedd puts in its `xkey` response header, separated
#     by single spaces. A key is ASCII and never holds a space or a comma
#     (both separate keys for vmod_xkey): feedd percent-encodes (%XX,
#     uppercase, of the UTF-8 bytes) every byte of a name or id outside
#     A-Z a-z 0-9 - . _ ~ / and keeps ":" as the kind separator, e.g.
#     `doc:/category/%D0%BA%D1%83/feed.rss`, `article:my%20story`.
#   * At most 4,000 bytes of keys per request (Varnish's http_req_hdr_len
#     is 8 KiB); split a larger key set into several requests. Several
#     `xkey-purge` lines in one request also work (they are joined here).
#   * The path of the URL does not matter for a key purge (keys are global to
#     the edge); send the one in `url`.
#
# Answers:
#
#   200  "purged N" (body, text/plain) and `xkey-purged: N`. N (objects, each
#        representation counts) may be 0: nothing of it was cached. Done.
#   400  BAN without an `xkey-purge` header. Do not retry.
#   403  wrong or missing secret (only with the purge-secret block enabled).
#        Do not retry; log it.
#   405  the sender is not in `acl purgers`. Do not retry; log it.
#   5xx, a timeout or no connection: the edge is down or restarting. Retry
#        with backoff (an edge that restarted has an empty cache anyway).
#
# Methods:
#
#   PURGE + xkey-purge   SOFT purge (xkey.softpurge): every object carrying
#                        one of the keys expires now but stays in the cache.
#                        This VCL never serves a purged object while the
#                        origin answers: the next request waits for a
#                        conditional fetch (If-None-Match/If-Modified-Since;
#                        feedd answers 304 when that document did not change
#                        after all). When the origin is down, the purged
#                        object is served stale (stale-if-error).
#   BAN + xkey-purge     HARD purge (xkey.purge): the objects are dropped; the
#                        next request is an unconditional miss, and nothing
#                        is left to serve if the origin is down.
#   PURGE without keys   purges the URL itself (all its representations).
#
# What the origin must send for this to work (feedd with [cache] key_header =
# "xkey"): an `xkey` response header (several lines allowed; `Surrogate-Key`
# is read as well when there is no `xkey`), a strong ETag and/or
# Last-Modified, and Cache-Control: public, max-age=N [, stale-while-
# revalidate=S] [, stale-if-error=E]. Keys: at most 4,000 bytes per `xkey`
# line, as many lines as needed, at most 24,000 bytes in all (Varnish's
# defaults: 8 KiB per header line, http_resp_hdr_len, and 32 KiB for all
# headers, http_resp_size; a response over them fails with a 503). The
# drop-in varnish.service.d/feedd.conf raises both (32 KiB, 64 KiB).
#
# ---------------------------------------------------------------------------
# CACHING RULES (summary)
# ---------------------------------------------------------------------------
#
#   ttl    max-age (s-maxage if sent), by Varnish itself.
#   swr    stale-while-revalidate=S (Varnish's default_grace, 10 s, if none):
#          within S after expiry a request gets the stale object at once and
#          one background conditional fetch refreshes it.
#   sie    stale-if-error=E (1 day if none; 200s only): as long as E after expiry the
#          object is kept as a fallback, served only when the origin is down
#          (probe sick, connection refused, timeout or 5xx).
#   keep   1 day more: expired objects are still used to revalidate
#          conditionally (the origin answers 304 and sends no body).
#   must-revalidate / proxy-revalidate in Cache-Control: no stale at all.
#   Conditional requests from clients (If-None-Match, If-Modified-Since) are
#   answered 304 by Varnish from the cached object; they never reach feedd.
#   Gzip: the origin's own representations are cached, one per
#   Accept-Encoding class (gzip or identity), each with feedd's own strong
#   ETag. See "Accept-Encoding" in vcl_recv.
#
# ---------------------------------------------------------------------------
# TO CHANGE
# ---------------------------------------------------------------------------
#
#   * The origin: edit `.host` / `.port` in `backend feedd` below (feedd's
#     `server.listen`). For several feedd replicas, declare one backend each
#     and a `directors.round_robin()` in vcl_init (replicas serve identical
#     ETags, so revalidation works against any of them).
#   * Who may purge: `acl purgers` (feedd's address as the edge sees it).
#     A TLS terminator on the edge's machine must pass client addresses
#     with the PROXY protocol (-a 127.0.0.1:6086,PROXY), or every reader
#     arrives from 127.0.0.1 and is in `acl purgers`.
#   * A key purge is global; a URL purge (no keys) hashes Host + URL, so it
#     must carry the Host readers use.
#   * Who may read /metrics through the edge: `acl monitors`.
#   * Optional blocks, off by default: lines between `# BEGIN name` and
#     `# END name` that start with `#| `. Remove the `#| ` to enable them:
#     `purge-secret` (a shared secret in addition to the ACL) and
#     `vsthrottle` (a per-client rate limit answering 429).
#     check_vcl.py compiles and runs both.
#   * The default stale-if-error and keep: `feedd_sie_default` and
#     `beresp.keep` in vcl_backend_response.

import std;
import xkey;
# BEGIN vsthrottle
#| import vsthrottle;
# END vsthrottle

backend feedd {
    .host = "127.0.0.1";
    .port = "8080";
    .connect_timeout = 1s;
    .first_byte_timeout = 15s;
    .between_bytes_timeout = 15s;
    # Marks feedd sick while it is down or not ready (200 once the first full
    # index is served). While sick, stale objects are served at once instead
    # of trying the origin for each request.
    .probe = {
        .url = "/readyz";
        .interval = 1s;
        .timeout = 1s;
        .window = 3;
        .threshold = 2;
        .initial = 2;   # start healthy: no 503s while the first probe runs
    }
}

acl purgers {
    "127.0.0.1";
    "::1";
}

acl monitors {
    "127.0.0.1";
    "::1";
}

# ---------------------------------------------------------------------------
# Client side
# ---------------------------------------------------------------------------

sub vcl_recv {
    # X-Feedd-* are this VCL's own request flags: never from a client.
    if (req.restarts == 0) {
        unset req.http.X-Feedd-Stale;
        unset req.http.X-Feedd-AE;
        unset req.http.X-Feedd-Purged;
    }
    set req.backend_hint = feedd;

    if (req.method == "PURGE" || req.method == "BAN") {
        call feedd_purge;
    }

    # feedd ignores the query string; so does the cache (`?null` and other
    # cache busters are hits).
    set req.url = regsub(req.url, "\?.*$", "");

    # BEGIN vsthrottle
    #| # Rate limits, per client address (client.identity). Behind a TLS
    #| # terminator, pass the client address with the PROXY protocol
    #| # (-a ...,PROXY) or every reader shares the terminator's bucket.
    #| # 1. Anything: 600 requests a minute (a flood, not a reader).
    #| if (vsthrottle.is_denied("c " + client.identity, 600, 60s)) {
    #|     return (synth(429, "Too Many Requests"));
    #| }
    #| # 2. Unconditional requests for one URL: 10 a minute. A reader that
    #| # sends If-None-Match or If-Modified-Since is never limited here: its
    #| # 304 costs nothing.
    #| if (!req.http.If-None-Match && !req.http.If-Modified-Since &&
    #|     vsthrottle.is_denied("u " + client.identity + " " + req.url, 10, 60s)) {
    #|     return (synth(429, "Too Many Requests"));
    #| }
    # END vsthrottle

    if (req.url == "/metrics") {
        if (client.ip !~ monitors) {
            return (synth(403, "Forbidden"));
        }
        return (pass);
    }
    if (req.url ~ "^/(livez|healthz|readyz)$") {
        return (pass);
    }

    # feedd's responses depend on no cookie and no credentials; a browser's
    # cookies for the site must not turn every request into a pass.
    unset req.http.Cookie;
    unset req.http.Authorization;

    # Accept-Encoding. feedd compresses each document once and sends a
    # distinct strong ETag for its gzip representation (Vary:
    # Accept-Encoding). We cache both of feedd's representations rather than
    # letting Varnish gunzip one for identity clients (which would weaken the
    # ETag and break If-None-Match against feedd's identity ETag). Two
    # classes only, so Vary makes at most two objects per URL:
    # "gzip" (gzip or x-gzip with q > 0) and identity (anything else).
    # X-Feedd-AE carries the class: vcl_backend_fetch sends the origin the
    # matching Accept-Encoding (Varnish's http_gzip_support, on by default,
    # would ask for gzip every time), and objects vary on X-Feedd-AE in
    # place of Accept-Encoding (see vcl_backend_response). Works the same
    # with http_gzip_support=off.
    if (req.http.Accept-Encoding ~ "(?i)(^|,)\s*(x-)?gzip\s*(,|$|;\s*q\s*=\s*(1(\.0*)?|0?\.[0-9]*[1-9][0-9]*)\s*(,|$))") {
        set req.http.Accept-Encoding = "gzip";
        set req.http.X-Feedd-AE = "gzip";
    } else {
        unset req.http.Accept-Encoding;
        set req.http.X-Feedd-AE = "identity";
    }
    # Accept. feedd varies RSS and Atom on one question only: does Accept
    # contain "text/html" (a browser gets application/xml so that it applies
    # the stylesheet)? Reduce Accept to that answer so that Vary: Accept
    # makes two objects, not one per browser. Revisit if feedd ever
    # negotiates on more than that.
    if (req.http.Accept ~ "text/html") {
        set req.http.Accept = "text/html";
    } else {
        unset req.http.Accept;
    }

    # Restarted by vcl_hit: this stale object is past its
    # stale-while-revalidate window (or was purged): fetch now, using the
    # stale object for a conditional request.
    # A restart keeps req.grace: set it every time.
    if (req.http.X-Feedd-Stale == "refetch") {
        set req.grace = 0s;
    } else {
        set req.grace = 3650d;                # no limit: the object's own grace
    }
    # Then the built-in vcl_recv: Host, methods other than GET/HEAD (pass to
    # feedd, which answers 405/501), hash.
}

sub feedd_purge {
    if (client.ip !~ purgers) {
        return (synth(405, "Not allowed"));
    }
    # BEGIN purge-secret
    #| # Set the same value in feedd's [[purge]] secret. Over plain HTTP the
    #| # secret travels in clear text: use it on a private network.
    #| if (req.http.X-Purge-Secret != "change-me") {
    #|     return (synth(403, "Forbidden"));
    #| }
    # END purge-secret
    if (req.http.xkey-purge) {
        std.collect(req.http.xkey-purge, " ");
        if (req.method == "BAN") {
            set req.http.X-Feedd-Purged = xkey.purge(req.http.xkey-purge);
        } else {
            set req.http.X-Feedd-Purged = xkey.softpurge(req.http.xkey-purge);
        }
        return (synth(200, "Purged"));
    }
    if (req.method == "BAN") {
        return (synth(400, "xkey-purge header required"));
    }
    set req.url = regsub(req.url, "\?.*$", "");
    return (purge);
}

sub vcl_hit {
    if (obj.ttl >= 0s) {
        return (deliver);                     # fresh
    }
    # Stale but within its grace (= stale-if-error).
    if (req.http.X-Feedd-Stale == "error" || !std.healthy(req.backend_hint)) {
        return (deliver);                     # origin down: stale-if-error
    }
    if (obj.ttl + std.duration(obj.http.X-Feedd-SWR, 0s) <= 0s ||
        obj.ttl + obj.age < std.duration(obj.http.X-Feedd-TTL, 0s) - 0.01s) {
        # Past stale-while-revalidate, or soft-purged (a soft purge shortens
        # the ttl, so ttl + age falls below the ttl the object was stored
        # with): do not serve it while the origin is up.
        set req.http.X-Feedd-Stale = "refetch";
        return (restart);
    }
    return (deliver);                         # within swr: stale + background fetch
}

sub vcl_purge {
    return (synth(200, "Purged"));
}

sub vcl_synth {
    # The fetch for a stale object failed (origin down, or a 5xx): serve the
    # stale object instead (stale-if-error). vcl_hit delivers it.
    if (resp.status == 503 && req.http.X-Feedd-Stale == "refetch") {
        set req.http.X-Feedd-Stale = "error";
        return (restart);
    }
    set resp.http.Content-Type = "text/plain; charset=utf-8";
    if (req.method == "PURGE" || req.method == "BAN") {
        if (resp.status == 200) {
            if (req.http.X-Feedd-Purged) {
                set resp.http.xkey-purged = req.http.X-Feedd-Purged;
                set resp.body = "purged " + req.http.X-Feedd-Purged + {"
"};
            } else {
                set resp.body = {"purged
"};
            }
        } else {
            set resp.body = resp.reason + {"
"};
        }
        return (deliver);
    }
    if (resp.status == 429) {
        set resp.http.Retry-After = "60";
        set resp.body = {"Too many requests from your address.
Poll a feed at most every few minutes, and send If-None-Match with the
ETag you were given (or If-Modified-Since with the Last-Modified): a 304
is cheap for everyone and is not limited.
"};
        return (deliver);
    }
    set resp.body = "" + resp.status + " " + resp.reason + {"
"};
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.X-Feedd-SWR;
    unset resp.http.X-Feedd-TTL;
    # The surrogate keys are for the cache; show them only to purgers
    # (handy when debugging a purge from the edge itself).
    if (client.ip !~ purgers) {
        unset resp.http.xkey;
    }
    if (resp.http.Vary) {
        set resp.http.Vary = regsuball(resp.http.Vary, "X-Feedd-AE", "Accept-Encoding");
    }
    if (resp.status >= 500) {
        set resp.http.X-Cache = "error";
    } else if (obj.uncacheable) {
        set resp.http.X-Cache = "pass";
    } else if (obj.ttl < 0s) {
        set resp.http.X-Cache = "stale";
    } else if (obj.hits == 0) {
        set resp.http.X-Cache = "miss";
    } else {
        set resp.http.X-Cache = "hit";
    }
    # Varnish answers If-None-Match / If-Modified-Since itself after this
    # sub, from the object's ETag and Last-Modified: leave them in place.
    # It compares If-None-Match as one value; feedd (RFC 9110) also takes a
    # list and "*". Reduce a list that holds this ETag (weak comparison) to
    # that ETag, so that Varnish answers 304 as feedd would.
    if (resp.status == 200 && resp.http.ETag && req.http.If-None-Match &&
        !req.http.Range && req.http.If-None-Match != resp.http.ETag) {
        if (req.http.If-None-Match ~ "^\s*\*\s*$" ||
            std.strstr(req.http.If-None-Match, regsub(resp.http.ETag, "^W/", ""))) {
            set req.http.If-None-Match = resp.http.ETag;
        }
    }
}

# ---------------------------------------------------------------------------
# Backend side
# ---------------------------------------------------------------------------

sub vcl_backend_fetch {
    # The representation this object is for (see Accept-Encoding above).
    if (bereq.http.X-Feedd-AE == "gzip") {
        set bereq.http.Accept-Encoding = "gzip";
    } else {
        unset bereq.http.Accept-Encoding;
    }
    # X-Feedd-AE stays on the request: the variant is computed from it (see
    # vcl_backend_response). feedd ignores it.
    # On a miss with a stale object, Varnish has put If-None-Match /
    # If-Modified-Since from that object on the request: feedd answers 304.
}

sub vcl_backend_response {
    if (beresp.status >= 500) {
        if (bereq.is_bgfetch || bereq.http.X-Feedd-Stale == "refetch") {
            # Keep the stale object; the client side serves it.
            return (abandon);
        }
        set beresp.ttl = 1s;
        set beresp.grace = 0s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    if (!beresp.http.xkey && beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    # Vary on the representation class, not on Accept-Encoding itself:
    # Varnish computes the variant from the backend request as it was before
    # vcl_backend_fetch, where http_gzip_support has already forced
    # "Accept-Encoding: gzip" on every fetch, so Vary: Accept-Encoding would
    # put both of feedd's representations under one variant. vcl_deliver
    # shows clients "Accept-Encoding" again.
    if (beresp.http.Vary) {
        set beresp.http.Vary = regsuball(beresp.http.Vary, "(?i)(^|[\s,])Accept-Encoding([\s,]|$)",
            "\1X-Feedd-AE\2");
    }
    if (beresp.status == 404 && !beresp.http.Cache-Control) {
        # A document that does not exist yet may exist in a moment.
        set beresp.ttl = 5s;
        set beresp.grace = 0s;
    }

    # beresp.grace is stale-while-revalidate here (or default_grace).
    if (beresp.http.Cache-Control ~ "(?i)(must|proxy)-revalidate") {
        set beresp.grace = 0s;
    }
    set beresp.http.X-Feedd-SWR = beresp.grace + "s";
    set beresp.http.X-Feedd-TTL = beresp.ttl + "s";

    if (beresp.status == 200 &&
        beresp.http.Cache-Control !~ "(?i)(must|proxy)-revalidate") {
        # feedd_sie_default: the stale-if-error used when the origin sends
        # none.
        set beresp.http.X-Feedd-SIE = "1d";
        if (beresp.http.Cache-Control ~ "(?i)stale-if-error\s*=\s*[0-9]+") {
            set beresp.http.X-Feedd-SIE = regsub(beresp.http.Cache-Control,
                "(?i)^.*stale-if-error\s*=\s*([0-9]+).*$", "\1s");
        }
        if (std.duration(beresp.http.X-Feedd-SIE, 0s) > beresp.grace) {
            set beresp.grace = std.duration(beresp.http.X-Feedd-SIE, 0s);
        }
        unset beresp.http.X-Feedd-SIE;
    }
    set beresp.keep = 1d;
    # Then the built-in: Set-Cookie, no-store, private and Vary: * are not
    # cached.
}

sub vcl_backend_error {
    if (bereq.is_bgfetch || bereq.http.X-Feedd-Stale == "refetch") {
        # Origin down while refreshing a stale object: keep it.
        return (abandon);
    }
    set beresp.http.Content-Type = "text/plain; charset=utf-8";
    set beresp.http.Retry-After = "5";
    set beresp.body = "" + beresp.status + " " + beresp.reason + {"
"};
    return (deliver);
}
