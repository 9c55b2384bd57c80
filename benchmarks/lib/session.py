#!/usr/bin/env python3
"""Sign in to a PLN server on 127.0.0.1 and print the session for load scripts.

    session.py --port 18090 --login harry-turner-11 --password "seeded password"

Prints one JSON object: {"cookie": "<Cookie header value>", "csrf": "<session CSRF token>"}.
The flow is the browser's: GET /sign-in (sets the pre-session CSRF cookie and puts the token
in the form), POST /sign-in with it, keep the session cookie, then read the session's own CSRF
token from a page (forms carry it as <input name="_csrf">). Loopback only, stdlib only."""
import argparse
import http.client
import json
import re
import sys
import urllib.parse

CSRF_FIELD = re.compile(r'name="_csrf" value="([^"]+)"')


def request(port, method, path, cookies, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    all_headers = {"Host": f"127.0.0.1:{port}"}
    if cookies:
        all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    all_headers.update(headers or {})
    conn.request(method, path, body=body, headers=all_headers)
    response = conn.getresponse()
    text = response.read().decode("utf-8", "replace")
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            key, _, val = pair.partition("=")
            if val == "" or "max-age=0" in value.lower():
                cookies.pop(key.strip(), None)
            else:
                cookies[key.strip()] = val.strip()
    conn.close()
    return response.status, text


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--login", required=True)
    ap.add_argument("--password", default="seeded password")
    a = ap.parse_args()
    cookies = {}
    status, page = request(a.port, "GET", "/sign-in", cookies)
    match = CSRF_FIELD.search(page)
    if status != 200 or not match:
        sys.exit(f"GET /sign-in answered {status} without a CSRF field")
    form = urllib.parse.urlencode({"_csrf": match.group(1), "login": a.login, "password": a.password, "next": ""})
    status, page = request(a.port, "POST", "/sign-in", cookies, body=form,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    if status not in (302, 303):
        sys.exit(f"POST /sign-in as {a.login} answered {status}, not a redirect")
    status, page = request(a.port, "GET", "/account", cookies)
    match = CSRF_FIELD.search(page)
    if status != 200 or not match:
        sys.exit(f"GET /account after signing in answered {status} without a CSRF field")
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    print(json.dumps({"cookie": cookie, "csrf": match.group(1)}))


main()
