"""Load benchmarks of the portal on PostgreSQL and Redis (``make bench``; not part
of ``make test``).

    .venv/bin/python bench/run.py [--scale 20000] [--duration 15] [--users 4]
        [--workers 3] [--reseed] [--skip-digest]

1. Uses the database in DATABASE_URL (default: a local PostgreSQL database
   ``alliance_bench``, created when missing) and the Redis in REDIS_URL (default:
   redis://127.0.0.1:6379/2). Seeds it with ``seed_demo --scale N`` unless it
   already holds that many people (``--reseed`` starts from an empty database).
2. Serves the portal with gunicorn (DEBUG off, Redis cache and broker) and drives
   each target from a second process, locust headless, for ``--duration``
   seconds with ``--users`` concurrent users that wait for each answer. The
   targets: a minimal baseline view of the same server (``/health/live/``,
   measured at the start and at the end), the home page signed out and signed in,
   the member directory, a working group page, the event list, a catalog search,
   and the main API list endpoints (with an API token).
3. Measures digests for 10,000 people with two worker processes and the
   notification fan-out to a group of 5,000 (``bench/digest.py``).
4. Prints a table — requests per second, p50 and p99 latency, errors and the
   ratio to the baseline's throughput — writes the same as JSON, and prints the
   JSON file's path as its last line.

API throttling is lifted for the run (API_THROTTLE_*): the benchmark measures
capacity, not the rate limits.
"""

import argparse
import csv
import datetime as dt
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "var" / "bench"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/alliance_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/2"
BASELINE = "/health/live/"


def log(message: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {message}", flush=True)


def bench_env() -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "alliance.settings.base",
        "DATABASE_URL": os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL),
        "REDIS_URL": os.environ.get("REDIS_URL", DEFAULT_REDIS_URL),
        "DJANGO_DEBUG": "false",
        "API_THROTTLE_ANON": "1000000/min",
        "API_THROTTLE_USER": "1000000/min",
    }
    if not env["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
        sys.exit("The benchmark runs on PostgreSQL: set DATABASE_URL to one.")
    return env


def manage(env: dict, *args: str) -> str:
    # Migrating and seeding tens of thousands of rows are not requests: no
    # statement timeout (the server keeps the configured one).
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**env, "DATABASE_STATEMENT_TIMEOUT": "0"},
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def ensure_database(env: dict, *, reseed: bool) -> None:
    """Create (or, with ``reseed``, recreate) the benchmark database."""
    import psycopg
    from psycopg import sql

    url = env["DATABASE_URL"]
    name = url.rsplit("/", 1)[1].split("?", 1)[0]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and reseed:
            conn.execute(
                sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name))
            )
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            log(f"created database {name}")


def ensure_data(env: dict, scale: int) -> dict:
    """Migrate, seed at ``scale`` when needed, collect static files; count rows."""
    manage(env, "migrate", "--noinput")
    counts = json.loads(run_django(env, "counts"))
    if counts["people"] < scale:
        log(f"seeding: seed_demo --scale {scale} (about a minute) …")
        started = time.monotonic()
        manage(env, "seed_demo", "--scale", str(scale))
        log(f"seeded in {time.monotonic() - started:.0f}s")
        counts = json.loads(run_django(env, "counts"))
    manage(env, "collectstatic", "--noinput")
    # Fresh planner statistics, as autovacuum would have them after bulk seeding.
    import psycopg

    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
        conn.execute("ANALYZE")
    return counts


def run_django(env: dict, phase: str) -> str:
    """Run one of this file's Django phases in a child process; return its output."""
    result = subprocess.run(
        [sys.executable, __file__, "--phase", phase],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip().splitlines()[-1]


def phase_counts() -> dict:
    from alliance.working_groups.models import WorkingGroup
    from events.models import Event
    from members.models import Organization, User
    from projects.models import CatalogEntry

    return {
        "organizations": Organization.objects.count(),
        "people": User.objects.count(),
        "working_groups": WorkingGroup.objects.count(),
        "events": Event.objects.count(),
        "catalog_entries": CatalogEntry.objects.count(),
    }


def phase_identity() -> dict:
    """A member's session and API token, and the busiest working group's page."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db.models import Count, Q
    from django.utils.module_loading import import_string

    from alliance.working_groups.models import WorkingGroup, WorkingGroupMembership
    from members.models import ApiToken
    from members.selectors import user_is_member
    from members.services import api_token_create

    active = Q(memberships__status=WorkingGroupMembership.Status.ACTIVE)
    group = (
        WorkingGroup.objects.annotate(people=Count("memberships", filter=active))
        .order_by("-people", "pk")
        .first()
    )
    member = next(
        membership.user
        for membership in group.memberships.filter(
            status=WorkingGroupMembership.Status.ACTIVE
        ).select_related("user")
        if user_is_member(membership.user)
    )
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = str(member.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = member.get_session_auth_hash()
    store.set_expiry(24 * 3600)
    store.create()
    ApiToken.objects.filter(user=member, name="bench").delete()
    _token, raw = api_token_create(user=member, name="bench")
    return {
        "session": store.session_key,
        "token": raw,
        "group_path": group.get_absolute_url(),
        "group_people": group.people,
        "member": member.email,
    }


def targets(identity: dict) -> list[dict]:
    session, token = identity["session"], identity["token"]
    return [
        {"name": "home (signed out)", "path": "/"},
        {"name": "home", "path": "/", "session": session},
        {"name": "member directory", "path": "/members/", "session": session},
        {
            "name": f"group page ({identity['group_people']} people)",
            "path": identity["group_path"],
            "session": session,
        },
        {"name": "event list", "path": "/events/", "session": session},
        {"name": "catalog search", "path": "/projects/?q=safety", "session": session},
        {"name": "API organizations", "path": "/api/v1/organizations/", "token": token},
        {
            "name": "API working groups",
            "path": "/api/v1/working-groups/",
            "token": token,
        },
        {"name": "API events", "path": "/api/v1/events/", "token": token},
        {"name": "API catalog", "path": "/api/v1/catalog/", "token": token},
    ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict, workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_file = (RESULTS / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "alliance.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited; see {RESULTS / 'gunicorn.log'}")
        try:
            with urllib.request.urlopen(base_url + BASELINE, timeout=2) as response:
                if response.status == 200:
                    return server, base_url
        except (urllib.error.URLError, OSError):  # refused, reset or timed out
            time.sleep(0.3)
    server.terminate()
    sys.exit("gunicorn did not answer within 120 s")


def check_target(base_url: str, target: dict) -> None:
    """Fail early when a target does not answer 200 for its visitor."""
    request = urllib.request.Request(base_url + target["path"])
    if target.get("session"):
        request.add_header("Cookie", f"sessionid={target['session']}")
    if target.get("token"):
        request.add_header("Authorization", f"Bearer {target['token']}")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    started = time.monotonic()
    try:
        with opener.open(request, timeout=60) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except TimeoutError:
        sys.exit(f"{target['name']}: {target['path']} did not answer within 60 s")
    log(f"{target['name']}: {status} in {time.monotonic() - started:.2f}s")
    if status != 200:
        sys.exit(f"{target['name']}: {target['path']} answered {status}, not 200")


def measure(base_url: str, target: dict, *, users: int, duration: int) -> dict:
    """Drive one target with locust in its own process; return its figures."""
    with tempfile.TemporaryDirectory() as folder:
        prefix = Path(folder) / "stats"
        env = {
            **os.environ,
            "BENCH_PATH": target["path"],
            "BENCH_NAME": target["name"],
            "BENCH_SESSION": target.get("session", ""),
            "BENCH_TOKEN": target.get("token", ""),
        }
        subprocess.run(
            [
                str(Path(sys.executable).with_name("locust")),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--host",
                base_url,
                "--users",
                str(users),
                "--spawn-rate",
                str(users),
                "--run-time",
                f"{duration}s",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "ERROR",
            ],
            cwd=ROOT,
            env=env,
            check=False,
            capture_output=True,
        )
        with (prefix.parent / "stats_stats.csv").open() as handle:
            row = next(r for r in csv.DictReader(handle) if r["Name"] == "Aggregated")
    return {
        "name": target["name"],
        "path": target["path"],
        "signed_in": bool(target.get("session") or target.get("token")),
        "requests": int(row["Request Count"]),
        "rps": round(float(row["Requests/s"]), 1),
        "p50_ms": float(row["50%"]),
        "p99_ms": float(row["99%"]),
        "errors": int(row["Failure Count"]),
    }


def run_digest(env: dict, args) -> dict:
    out = RESULTS / "digest.json"
    log("digests for 10,000 people with 2 workers, fan-out to a group of 5,000 …")
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "digest.py"),
            "--people",
            "10000",
            "--group",
            "5000",
            "--workers",
            "2",
            "--json",
            str(out),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    for line in result.stdout.strip().splitlines():
        log(line)
    return json.loads(out.read_text())


def verdict(target: dict) -> str:
    if not target["signed_in"]:
        return ""
    met = target["ratio"] >= 0.25 and target["p99_ms"] < 100 and not target["errors"]
    return "met" if met else "NOT met"


def print_table(results: list[dict], baseline_rps: float) -> None:
    header = (
        f"{'target':<34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7} {'ratio':>6}  target (≥0.25, p99<100 ms)"
    )
    print()
    print(f"baseline {BASELINE}: {baseline_rps:.1f} req/s (mean of start and end)")
    print(header)
    print("-" * len(header))
    for target in results:
        print(
            f"{target['name']:<34} {target['rps']:>8.1f} {target['p50_ms']:>8.0f} "
            f"{target['p99_ms']:>8.0f} {target['errors']:>7} "
            f"{target['ratio']:>6.2f}  {verdict(target)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=20_000)
    parser.add_argument("--duration", type=int, default=15, help="seconds per target")
    parser.add_argument("--users", type=int, default=4, help="concurrent users")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--skip-digest", action="store_true")
    parser.add_argument(
        "--phase", choices=["counts", "identity"], help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.phase:
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        print(
            json.dumps(
                {"counts": phase_counts, "identity": phase_identity}[args.phase]()
            )
        )
        return

    RESULTS.mkdir(parents=True, exist_ok=True)
    env = bench_env()
    ensure_database(env, reseed=args.reseed)
    counts = ensure_data(env, args.scale)
    log("data: " + ", ".join(f"{value:,} {key}" for key, value in counts.items()))
    identity = json.loads(run_django(env, "identity"))
    server, base_url = start_server(env, args.workers)
    results = []
    try:
        log(
            f"gunicorn ({args.workers} workers) at {base_url}; locust: {args.users} "
            f"users, {args.duration}s per target"
        )
        baseline = {"name": "baseline (start)", "path": BASELINE}
        plan = [baseline, *targets(identity), {**baseline, "name": "baseline (end)"}]
        for target in plan:
            check_target(base_url, target)
        for target in plan:
            figures = measure(
                base_url, target, users=args.users, duration=args.duration
            )
            log(
                f"{figures['name']}: {figures['rps']} req/s, p99 {figures['p99_ms']} ms"
            )
            results.append(figures)
    finally:
        server.terminate()
        server.wait(timeout=30)
    baseline_rps = (results[0]["rps"] + results[-1]["rps"]) / 2
    for figures in results:
        figures["ratio"] = (
            round(figures["rps"] / baseline_rps, 2) if baseline_rps else 0
        )
        figures["target_met"] = verdict(figures) or None
    report = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "data": counts,
        "server": {"gunicorn_workers": args.workers, "cpus": os.cpu_count()},
        "load": {"users": args.users, "seconds_per_target": args.duration},
        "baseline_rps": round(baseline_rps, 1),
        "targets": results,
    }
    if not args.skip_digest:
        report.update(run_digest(env, args))
    print_table(results, baseline_rps)
    if not args.skip_digest:
        digest, fan_out = report["digest"], report["fan_out"]
        print(
            f"\ndigests: {digest['people']:,} people with {digest['workers']} "
            f"workers in {digest['seconds']:.1f}s "
            f"({digest['people_per_second']:,.0f} people/s; "
            f"target ≤ 100 s: {'met' if digest['seconds'] <= 100 else 'NOT met'}), "
            f"{digest['queries_per_batch_min']}–{digest['queries_per_batch_max']} "
            f"queries per batch, peak {digest['peak_mib']:.0f} MiB per worker"
        )
        print(
            f"fan-out: {fan_out['notified']:,} people in {fan_out['seconds']:.1f}s "
            f"({fan_out['people_per_second']:,.0f} people/s), "
            f"{fan_out['queries_total']} queries for {fan_out['batches']} batches, "
            f"peak {fan_out['peak_mib']:.0f} MiB"
        )
    out = RESULTS / f"bench-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(report, indent=2))
    print(out)


if __name__ == "__main__":
    main()
