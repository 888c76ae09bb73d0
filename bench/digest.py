"""Benchmark digests and notification fan-out on PostgreSQL (not part of make test).

    DATABASE_URL=postgres://… .venv/bin/python bench/digest.py [--people 10000]
        [--group 5000] [--batch-size 500] [--workers 2] [--json PATH]

1. Creates synthetic people (emails ``bench-…@bench.invalid``) whose weekly
   digest is due, each with three pending digest items, and two new member
   organizations.
2. Runs ``digest_run`` in ``--workers`` separate worker-like processes at once
   (they share the work through ``SKIP LOCKED``, as Celery workers do) and prints
   the wall time, people per second, queries per batch (min/max) and the largest
   peak memory of a worker process.
3. Fans out one activity to a working group of ``--group`` members (half of them
   want email immediately) in a separate process: people per second, queries
   per batch, peak memory.
4. Deletes everything it created.

Emails are written to the outbox but not sent (sending is the outbox's job and
depends on the mail server); no Celery broker is needed.
"""

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings.base")
PREFIX = "bench-"
# The environment of the measured child processes (the configured timeouts).
CHILD_ENV: dict = {}
DOMAIN = "@bench.invalid"


def setup_django():
    import django

    django.setup()


def no_dispatch():
    """Keep queued emails in the outbox: the benchmark measures building them."""
    from alliance.notifications.services import activities as notifications
    from alliance.notifications.services import digests, outbox

    def skip(email_ids):
        return None

    outbox.outbox_dispatch = skip
    digests.outbox_dispatch = skip

    def add_without_dispatch(emails):
        from alliance.notifications.models import OutboxEmail

        emails = list(emails)
        OutboxEmail.objects.bulk_create(emails, ignore_conflicts=True, batch_size=1000)
        return []

    notifications.outbox_add = add_without_dispatch


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def create(people: int, group_size: int) -> dict:
    from django.utils import timezone

    from alliance.focus_areas.models import FocusArea
    from alliance.notifications.models import (
        Activity,
        Delivery,
        Notification,
        NotificationPreference,
        NotificationSettings,
    )
    from alliance.working_groups.models import WorkingGroup, WorkingGroupMembership
    from members.models import User

    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(
                email=f"{PREFIX}{i}{DOMAIN}",
                name=f"Bench Person {i}",
                password="!",  # noqa: S106 - unusable password
                language="de" if i % 3 == 0 else "en",
                timezone="Europe/Berlin" if i % 2 else "America/New_York",
            )
            for i in range(max(people, group_size))
        ],
        batch_size=2000,
    )
    NotificationSettings.objects.bulk_create(
        [
            NotificationSettings(
                user=user,
                digest_frequency="weekly",
                next_digest_at=now - dt.timedelta(minutes=1 + i % 600),
                last_digest_at=now - dt.timedelta(days=7),
                created_at=now - dt.timedelta(days=30),
            )
            for i, user in enumerate(users)
        ],
        batch_size=2000,
    )
    # Members only, so every batch asks who may see it (issue 12: the fan-out
    # is measured with the visibility checks on, not short-circuited by a
    # public group).
    group = WorkingGroup.objects.create(
        focus_area=FocusArea.objects.order_by("number").first(),
        name=f"{PREFIX}group",
        slug=f"{PREFIX}group",
        visibility=WorkingGroup.Visibility.MEMBERS,
    )
    activities = Activity.objects.bulk_create(
        [
            Activity(
                kind=kind,
                target=group,
                audience=group,
                context={"title": f"Bench news {n}", "url": "/working-groups/"},
                created_at=now - dt.timedelta(days=1),
                fanned_out_at=now - dt.timedelta(days=1),
            )
            for n, kind in enumerate(
                [
                    "group_update_posted",
                    "group_minutes_posted",
                    "event_published",
                ]
            )
        ]
        + [
            Activity(
                kind="organization_joined",
                target=group,
                context={"name": f"Bench Lab {n}", "url": "/members/"},
                created_at=now - dt.timedelta(days=2),
                fanned_out_at=now,
            )
            for n in range(2)
        ]
    )
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                activity=activity,
                kind=activity.kind,
                title=f"{activity.context['title']} for {user.name}",
                url="/working-groups/",
                created_at=activity.created_at,
                delivery_email=Delivery.DIGEST,
                delivery_inbox=Delivery.IMMEDIATELY,
                shown_at=activity.created_at,
            )
            for user in users[:people]
            for activity in activities[:3]
        ],
        batch_size=5000,
    )
    WorkingGroupMembership.objects.bulk_create(
        [WorkingGroupMembership(group=group, user=user) for user in users[:group_size]],
        batch_size=2000,
    )
    NotificationPreference.objects.bulk_create(
        [
            NotificationPreference(
                user=user,
                kind="event_published",
                email=Delivery.IMMEDIATELY,
                inbox=Delivery.IMMEDIATELY,
            )
            for user in users[:group_size:2]
        ],
        batch_size=2000,
    )
    fan_out = Activity.objects.create(
        kind="event_published",
        target=group,
        audience=group,
        context={"title": "Bench summit", "url": "/events/"},
    )
    return {"group": group.pk, "fan_out_activity": fan_out.pk}


def cleanup():
    from django.contrib.contenttypes.models import ContentType

    from alliance.notifications.models import Activity, OutboxEmail
    from alliance.working_groups.models import WorkingGroup
    from members.models import User

    users = User.objects.filter(email__startswith=PREFIX, email__endswith=DOMAIN)
    OutboxEmail.objects.filter(user__in=users).delete()
    groups = WorkingGroup.objects.filter(slug__startswith=PREFIX)
    Activity.objects.filter(
        target_type=ContentType.objects.get_for_model(WorkingGroup),
        target_id__in=list(groups.values_list("pk", flat=True)),
    ).delete()
    groups.delete()
    users.delete()


def run_digests(batch_size: int, limit: int) -> dict:
    from django.db import connection

    from alliance.notifications.services import digests

    no_dispatch()
    counter = QueryCounter()
    per_batch = []
    original = digests._digest_batch

    def counted(rows, now):
        before = counter.count
        result = original(rows, now)
        # +1: the SELECT … FOR UPDATE SKIP LOCKED that loaded the batch.
        per_batch.append(counter.count - before + 1)
        return result

    digests._digest_batch = counted
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        result = digests.digest_run(limit=limit, batch_size=batch_size)
    elapsed = time.perf_counter() - started
    return {
        **result,
        "seconds": elapsed,
        "people_per_second": result["people"] / elapsed if elapsed else 0,
        "queries_per_batch_min": min(per_batch) if per_batch else 0,
        "queries_per_batch_max": max(per_batch) if per_batch else 0,
        "queries_total": counter.count,
        "peak_mib": peak_mib(),
    }


def run_fan_out(activity_id: int, batch_size: int) -> dict:
    from django.db import connection

    from alliance.notifications.models import Notification, OutboxEmail
    from alliance.notifications.services import activities as notifications

    no_dispatch()
    counter = QueryCounter()
    per_batch = []
    original = notifications._fan_out_batch

    def counted(activity, user_ids):
        before = counter.count
        result = original(activity, user_ids)
        per_batch.append(counter.count - before)
        return result

    notifications._fan_out_batch = counted
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        notified = notifications.activity_fan_out(
            activity_id=activity_id, batch_size=batch_size
        )
    elapsed = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    # This process's own CPU time (the database's is not in it): what the
    # fan-out costs whatever else the machine is doing.
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (
        cpu_after.ru_stime - cpu_before.ru_stime
    )
    batches = len(per_batch)
    return {
        "notified": notified,
        "notifications": Notification.objects.filter(activity_id=activity_id).count(),
        "emails": OutboxEmail.objects.filter(
            key__startswith=f"activity:{activity_id}:"
        ).count(),
        "seconds": elapsed,
        "people_per_second": notified / elapsed if elapsed else 0,
        "cpu_seconds": cpu,
        "queries_total": counter.count,
        "batches": batches,
        "queries_per_batch_min": min(per_batch) if per_batch else 0,
        "queries_per_batch_max": max(per_batch) if per_batch else 0,
        "peak_mib": peak_mib(),
    }


def child(phase: str, args) -> None:
    setup_django()
    if phase == "digest":
        result = run_digests(args.batch_size, args.people)
    else:
        result = run_fan_out(args.activity, args.fan_out_batch)
    print(json.dumps(result))


def child_command(phase: str, args, extra=()) -> list[str]:
    return [
        sys.executable,
        __file__,
        "--phase",
        phase,
        "--people",
        str(args.people),
        "--batch-size",
        str(args.batch_size),
        "--fan-out-batch",
        str(args.fan_out_batch),
        *extra,
    ]


def in_child(phase: str, args, extra=()) -> dict:
    command = child_command(phase, args, extra)
    out = subprocess.run(
        command, check=True, capture_output=True, text=True, cwd=ROOT, env=CHILD_ENV
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def digests_in_workers(args) -> dict:
    """Run the digest in ``args.workers`` processes at once; combine their figures."""
    started = time.perf_counter()
    processes = [
        subprocess.Popen(
            child_command("digest", args),
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=CHILD_ENV,
        )
        for _ in range(args.workers)
    ]
    results = []
    for process in processes:
        out, _ = process.communicate()
        if process.returncode:
            sys.exit(f"a digest worker failed (exit {process.returncode})")
        results.append(json.loads(out.strip().splitlines()[-1]))
    seconds = time.perf_counter() - started
    people = sum(r["people"] for r in results)
    return {
        "workers": args.workers,
        "people": people,
        "digests": sum(r["digests"] for r in results),
        "emails": sum(r["emails"] for r in results),
        "batches": sum(r["batches"] for r in results),
        "seconds": seconds,
        "people_per_second": people / seconds if seconds else 0,
        "queries_per_batch_min": min(r["queries_per_batch_min"] for r in results),
        "queries_per_batch_max": max(r["queries_per_batch_max"] for r in results),
        "queries_total": sum(r["queries_total"] for r in results),
        "peak_mib": max(r["peak_mib"] for r in results),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--group", type=int, default=5_000)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--fan-out-batch", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--phase", choices=["digest", "fan_out"], help=argparse.SUPPRESS
    )
    parser.add_argument("--activity", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        child(args.phase, args)
        return
    # Creating and deleting tens of thousands of rows are the benchmark's own
    # scaffolding, not requests: this process runs them without the statement
    # timeout, and the measured digests and fan-out run in child processes with
    # the configured one. (A cleanup cut off by the timeout left its people
    # behind, and every later run's cleanup then timed out as well.)
    CHILD_ENV.update(os.environ)
    os.environ["DATABASE_STATEMENT_TIMEOUT"] = "0"
    setup_django()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database first.")
    cleanup()
    started = time.perf_counter()
    created = create(args.people, args.group)
    print(
        f"Created {max(args.people, args.group):,} people, "
        f"{args.people * 3:,} pending digest items and a group of {args.group:,} "
        f"in {time.perf_counter() - started:.1f}s."
    )
    try:
        digest = digests_in_workers(args)
        print(
            f"digests with {args.workers} workers: {digest['people']:,} people, "
            f"{digest['digests']:,} digests, "
            f"{digest['emails']:,} emails in {digest['seconds']:.1f}s = "
            f"{digest['people_per_second']:,.0f} people/s; "
            f"{digest['batches']} batches of {args.batch_size}, "
            f"queries per batch {digest['queries_per_batch_min']}–"
            f"{digest['queries_per_batch_max']} ({digest['queries_total']} in all); "
            f"peak memory per worker {digest['peak_mib']:.0f} MiB"
        )
        fan_out = in_child(
            "fan_out", args, ["--activity", str(created["fan_out_activity"])]
        )
        print(
            f"fan-out: group of {args.group:,}: {fan_out['notifications']:,} "
            f"notifications, {fan_out['emails']:,} emails in "
            f"{fan_out['seconds']:.1f}s ({fan_out['cpu_seconds']:.1f}s of CPU) = "
            f"{fan_out['people_per_second']:,.0f} "
            f"people/s; {fan_out['queries_total']} queries for "
            f"{fan_out['batches']} batches of {args.fan_out_batch} "
            f"({fan_out['queries_per_batch_min']}–"
            f"{fan_out['queries_per_batch_max']} per batch, visibility checks "
            f"on: members-only group); "
            f"peak memory {fan_out['peak_mib']:.0f} MiB"
        )
        if args.json:
            args.json.write_text(
                json.dumps({"digest": digest, "fan_out": fan_out}, indent=2)
            )
    finally:
        cleanup()


if __name__ == "__main__":
    main()
