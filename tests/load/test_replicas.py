"""Two app processes behind Debian's nginx (deploy/replicas.py, as scripts/start.sh runs them):
a browser session sticks to one process, data written through one process is seen through the
other, and the proxy adds the security headers."""

from __future__ import annotations

import collections
import re
import urllib.request

import pytest

from deploy.replicas import ReplicaSet, nginx_binary
from tests.load.conftest import bench_load, run_async, submitted_applications

FIRST_QUESTION = "What is the name of your group?"
SECOND_QUESTION = "Who are you, and who do you help?"


@pytest.fixture(scope="module")
def replicas(app_env):
    try:
        nginx_binary()
    except RuntimeError:
        pytest.fail("nginx is not installed (scripts/test.sh installs it)")
    with ReplicaSet(2, env=app_env) as group:
        yield group


@pytest.mark.parametrize("path", ["/", "/application", "/_stcore/health"])
def test_the_proxy_adds_the_security_headers(replicas, path):
    with urllib.request.urlopen(replicas.url + path, timeout=30) as response:
        headers = response.headers
    csp = headers["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    assert all(s in ("'self'", "'wasm-unsafe-eval'") or s.startswith("'sha256-") for s in directives["script-src"])
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers.get_all("Content-Security-Policy") == [csp]  # once, not also from upstream
    assert any(c.startswith("steunwijzer_route=") for c in headers.get_all("Set-Cookie") or [])  # sticky route


def test_a_session_sticks_to_one_process(replicas):
    """A browser that reconnects (as after a network blip) gets its own session back, with the
    open application: only the process that holds the session can do that."""

    async def scenario() -> None:
        for i in range(4):
            s = bench_load.Session(replicas.url)
            await s.open()
            await s.click("Start")
            await s.tick("I have written down my code")  # the code comes before the first question
            assert FIRST_QUESTION in s.page.headings
            await s.close()
            await s.open(reconnect=True)  # same cookie, asks for the same server-side session
            assert FIRST_QUESTION in s.page.headings, f"session {i} lost its application: {s.page.headings}"
            await s.type("text_input", "Your answer", f"Sticky group {i}")
            await s.click("Save and go on")
            assert SECOND_QUESTION in s.page.headings
            await s.close()
        # twelve more browsers, only opening the page
        for _ in range(12):
            s = bench_load.Session(replicas.url)
            await s.open()
            await s.close()

    run_async(scenario())
    routes = collections.defaultdict(set)
    for line in (replicas.prefix / "access.log").read_text().splitlines():
        upstream, route = line.split()[:2]
        if re.fullmatch(r"127\.0\.0\.1:\d+", upstream):
            routes[route].add(upstream)
    assert len(routes) >= 16
    assert all(len(upstreams) == 1 for upstreams in routes.values()), routes  # every browser: one process
    assert set().union(*routes.values()) == {u.removeprefix("http://") for u in replicas.app_urls}  # both used
    assert sorted(r.group_name for r, _ in submitted_applications(replicas.env, "Sticky group")) == \
        [f"Sticky group {i}" for i in range(4)]


def test_what_one_process_writes_the_other_reads(replicas):
    """A volunteer starts on process A and comes back with the code on process B."""
    first, second = replicas.app_urls

    async def scenario() -> None:
        a = bench_load.Session(first)
        await a.open()
        await a.click("Start")
        code = a.page.codes[0]
        await a.tick("I have written down my code")
        await a.type("text_input", "Your answer", "Shared across replicas")
        await a.click("Save and go on")
        await a.close()

        b = bench_load.Session(second)
        await b.open()
        await b.type("text_input", "Your code", code)
        await b.click("Continue")
        assert SECOND_QUESTION in b.page.headings, b.page.headings  # where A stopped
        await b.click("Back")
        assert FIRST_QUESTION in b.page.headings
        await b.type("text_input", "Your answer", "Shared across replicas, changed on B")
        await b.close()

    run_async(scenario())
    [(row, answers)] = submitted_applications(replicas.env, "Shared across replicas")
    assert row.group_name == "Shared across replicas, changed on B"
