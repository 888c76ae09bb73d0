"""One request at a time per page, through Django's test client on the bench
database (DEBUG off): server milliseconds (median of ``--repeat``, after one
warm-up request), queries, database milliseconds and the HTML/JSON size.

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/single.py [--repeat 7]

Signed-in pages are read as one member of a large working group; each repeat
reads the same URL, so a cache shows as the warm figure (the first, cold
request is shown apart).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--only", help="pages whose name contains this")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings.base")
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("API_THROTTLE_ANON", "1000000/min")
    os.environ.setdefault("API_THROTTLE_USER", "1000000/min")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from alliance.working_groups.models import WorkingGroup, WorkingGroupMembership
    from members.services import api_token_create

    active = Q(memberships__status=WorkingGroupMembership.Status.ACTIVE)
    group = (
        WorkingGroup.objects.annotate(people=Count("memberships", filter=active))
        .order_by("-people", "pk")
        .first()
    )
    membership = (
        WorkingGroupMembership.objects.filter(
            group=group, status=WorkingGroupMembership.Status.ACTIVE
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    member = membership.user
    _token, raw = api_token_create(user=member, name="bench-single")
    pages = [
        ("/health/live/", "out", "/health/live/"),
        ("home (signed out)", "out", "/"),
        ("directory (signed out)", "out", "/members/"),
        ("catalog (signed out)", "out", "/projects/?q=safety"),
        ("events (signed out)", "out", "/events/"),
        ("home", "in", "/"),
        ("member directory", "in", "/members/"),
        ("group page (largest)", "in", group.get_absolute_url()),
        ("event list", "in", "/events/"),
        ("catalog search", "in", "/projects/?q=safety"),
        ("site search", "in", "/search/?q=safety"),
        ("site search, people", "in", "/search/?q=model&kind=people"),
        ("API search", "token", "/api/v1/search/?q=safety"),
        ("API organizations", "token", "/api/v1/organizations/"),
        ("API working groups", "token", "/api/v1/working-groups/"),
        ("API events", "token", "/api/v1/events/"),
        ("API catalog", "token", "/api/v1/catalog/"),
    ]
    signed_out = Client()
    signed_in = Client()
    signed_in.force_login(member)
    token = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    clients = {"out": signed_out, "in": signed_in, "token": token}
    print("| page | cold ms | ms | queries | db ms | bytes |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, who, path in pages:
        if args.only and args.only not in name:
            continue
        client = clients[who]
        times = []
        cold = None
        for i in range(args.repeat + 1):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path)
                elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                print(f"{name}: {response.status_code}", file=sys.stderr)
            if i == 0:
                cold = elapsed
            else:
                times.append(elapsed)
        db_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        print(
            f"| {name} | {cold:.0f} | {statistics.median(times):.1f} | "
            f"{len(queries)} | {db_ms:.0f} | {len(response.content) / 1024:.1f} k |"
        )


if __name__ == "__main__":
    main()
