"""One load target for ``bench/run.py``: closed-loop GETs over a plan of requests.

``BENCH_PLAN`` names a JSON file that ``run.py`` writes: a list of requests, each
``{"path": …, "session": …, "csrf": …, "token": …}`` (session with its CSRF
cookie, or token, or neither). Signed-in
targets spread their requests over hundreds of members, each with their own
session cookie or API token, and over several objects (groups, filters, queries),
so that neither a per-person cache nor one cached URL can flatter the figure.
Every simulated user starts at its own place in the plan and walks it in order.
``BENCH_NAME`` names the row. A response other than 200 — a redirect to sign-in
included — counts as an error.
"""

import itertools
import json
import os
import random

from locust import FastHttpUser, constant, task

NAME = os.environ.get("BENCH_NAME", "target")
with open(os.environ["BENCH_PLAN"]) as handle:
    PLAN = [
        (
            entry["path"],
            {"Accept-Language": "en"}
            | (
                # A browser signed in: its session and the CSRF cookie it was
                # given with its first page.
                {"Cookie": f"sessionid={entry['session']}; csrftoken={entry['csrf']}"}
                if entry.get("session")
                else {}
            )
            | (
                {"Authorization": f"Bearer {entry['token']}"}
                if entry.get("token")
                else {}
            ),
        )
        for entry in json.load(handle)
    ]


class Visitor(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        start = random.randrange(len(PLAN))  # noqa: S311 - not for security
        self.requests = itertools.islice(itertools.cycle(PLAN), start, None)

    @task
    def get(self):
        path, headers = next(self.requests)
        with self.client.get(
            path, headers=headers, name=NAME, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code} for {path}")
