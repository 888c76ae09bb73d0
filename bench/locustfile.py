"""One load target for ``bench/run.py``: closed-loop GETs of a single path.

Configured by environment variables (run.py sets them): BENCH_PATH, BENCH_NAME,
and optionally BENCH_SESSION (a session cookie) or BENCH_TOKEN (an API token).
A response other than 200 — a redirect to sign-in included — counts as an error.
"""

import os

from locust import FastHttpUser, constant, task

PATH = os.environ["BENCH_PATH"]
NAME = os.environ.get("BENCH_NAME", PATH)
HEADERS = {"Accept-Language": "en"}
if os.environ.get("BENCH_SESSION"):
    HEADERS["Cookie"] = f"sessionid={os.environ['BENCH_SESSION']}"
if os.environ.get("BENCH_TOKEN"):
    HEADERS["Authorization"] = f"Bearer {os.environ['BENCH_TOKEN']}"


class Visitor(FastHttpUser):
    wait_time = constant(0)

    @task
    def get(self):
        with self.client.get(
            PATH, headers=HEADERS, name=NAME, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
