"""Load benchmarks of the portal on PostgreSQL and Redis (``make bench``; not part
of ``make test``).

    .venv/bin/python bench/run.py [--scale 20000] [--duration 15] [--users 4,32]
        [--workers 3] [--only NAME] [--reseed] [--skip-digest]

1. Uses the database in DATABASE_URL (default: a local PostgreSQL database
   ``alliance_bench``, created when missing) and the Redis in REDIS_URL (default:
   redis://127.0.0.1:6379/2). Seeds it with ``seed_demo --scale N`` unless it
   already holds that many people (``--reseed`` starts from an empty database).
2. Signs in ``IDENTITIES`` members, taken round-robin over the member
   organizations (each in a working group), each with their own session (sent
   with the CSRF cookie a browser holds after its first page) and API token.
   Every signed-in target spreads its requests over all of them and over
   several objects (the largest working groups, focus-area filters, catalog
   queries, API pages), so neither a per-person cache nor one cached URL can
   flatter a figure.
3. Starts from nothing cached (every shared namespace bumped, so a run's figures
   do not depend on how long ago the last one ended), then answers each path
   once for each time zone and language among the members (one member of
   each): the shared entries a site in use keeps warm, whose first reads are a
   few per hour there and a hundred in each of these 15-second rows. What is
   kept per person is not warmed (but for those few members).
4. Serves the portal with gunicorn (DEBUG off, Redis cache and broker) and drives
   each target from a second process, locust headless, for ``--duration``
   seconds at each load level (4 and 32 users that wait for each answer). The
   targets: a minimal baseline view of the same server (``/health/live/``,
   measured at the start and the end of each level); the public pages signed out
   (home, focus areas, directory, catalog, events); signed in: home, the member
   directory, working-group pages, the event list, a catalog search, the
   site-wide search (page and API) and the main API list endpoints (with API
   tokens).
5. Measures digests for 10,000 people with two worker processes and the
   notification fan-out to a group of 5,000 (``bench/digest.py``).
6. Prints a table — requests per second, p50 and p99 latency, errors, the ratio
   to the baseline's throughput at the same level, the largest HTML/JSON answer,
   and per row its bound and "pass" or "short" (4 users: signed in ≥ 0.25, signed
   out ≥ 0.5, p99 < 100 ms; 32 users: p99 < 500 ms; always no errors) — writes
   the same as JSON, and prints the JSON file's path as its last line.

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
IDENTITIES = 240  # signed-in members the targets spread over (at least 200)
GROUPS = 8  # working groups the group-page target rotates over, the largest first
LEVELS = (4, 32)  # concurrent users; the bounds below are per level
BOUNDS = {
    # users: (ratio signed in, ratio signed out, p99 ms); None: not bounded
    4: (0.25, 0.5, 100),
    32: (None, None, 500),
}


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
    """Sessions and API tokens of ``IDENTITIES`` members, taken round-robin over
    the organizations (each in a working group), and the objects the targets
    rotate over."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db.models import Count, Q
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils.crypto import get_random_string
    from django.utils.module_loading import import_string

    from alliance.focus_areas.models import FocusArea
    from alliance.working_groups.models import WorkingGroup, WorkingGroupMembership
    from members.models import Affiliation, ApiToken, Organization, User
    from members.services import api_token_create

    active = Q(memberships__status=WorkingGroupMembership.Status.ACTIVE)
    groups = list(
        WorkingGroup.objects.annotate(
            people=Count("memberships", filter=active)
        ).order_by("-people", "pk")[:GROUPS]
    )
    rows = list(
        Affiliation.objects.filter(
            status=Affiliation.Status.ACTIVE,
            organization__status=Organization.Status.ACTIVE,
            user__is_active=True,
            user__group_memberships__status=WorkingGroupMembership.Status.ACTIVE,
        )
        .order_by("organization_id", "user_id")
        .values_list("organization_id", "user_id")
        .distinct()
    )
    queues: dict[int, list[int]] = {}
    for organization_id, user_id in rows:
        queues.setdefault(organization_id, []).append(user_id)
    chosen: list[int] = []
    organizations: set[int] = set()
    while len(chosen) < IDENTITIES and any(queues.values()):
        for organization_id, queue in queues.items():
            while queue and queue[0] in chosen:
                queue.pop(0)
            if queue and len(chosen) < IDENTITIES:
                chosen.append(queue.pop(0))
                organizations.add(organization_id)
    people = User.objects.in_bulk(chosen)
    # Everything computed afresh in this run (alliance.core.cache).
    from alliance.core.cache import bump_all

    bump_all()
    session_store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    ApiToken.objects.filter(name="bench").delete()
    identities = []
    for user_id in chosen:
        member = people[user_id]
        store = session_store()
        store[SESSION_KEY] = str(member.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = member.get_session_auth_hash()
        store.set_expiry(24 * 3600)
        store.create()
        _token, raw = api_token_create(user=member, name="bench")
        identities.append(
            {
                "session": store.session_key,
                # The CSRF cookie their browser holds since its first page.
                "csrf": get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS),
                "token": raw,
                # Shared entries differ by the time zone and language shown.
                "zone": f"{member.timezone}|{member.language}",
            }
        )
    their_groups = (
        WorkingGroupMembership.objects.filter(
            user_id__in=chosen, status=WorkingGroupMembership.Status.ACTIVE
        )
        .values("group_id")
        .distinct()
        .count()
    )
    return {
        "identities": identities,
        "organizations": len(organizations),
        "groups": their_groups,
        "group_paths": [group.get_absolute_url() for group in groups],
        "largest_group": groups[0].people,
        "focus_areas": list(
            FocusArea.objects.order_by("number").values_list("slug", flat=True)
        ),
    }


CATALOG_QUERIES = [
    "safety",
    "model",
    "benchmark",
    "dataset",
    "evaluation",
    "privacy",
    "robust",
    "red",
]


def targets(identity: dict) -> list[dict]:
    """Each target: a name, whether it is signed in (by session or token), and
    the paths its requests rotate over."""
    areas = identity["focus_areas"]
    by_area = [f"?focus_area={slug}" for slug in areas]
    catalog = [f"/projects/?q={word}" for word in CATALOG_QUERIES]
    # The site-wide search: every kind grouped, and one kind page by page.
    site_search = [f"/search/?q={word}" for word in CATALOG_QUERIES] + [
        f"/search/?q={word}&kind=people" for word in CATALOG_QUERIES[:2]
    ]
    public = [
        ("home", ["/"]),
        ("focus areas", ["/focus-areas/"] + [f"/focus-areas/{a}/" for a in areas]),
        ("directory", ["/members/"] + [f"/members/{q}" for q in by_area]),
        ("catalog", ["/projects/", *catalog]),
        ("events", ["/events/"] + [f"/events/{q}" for q in by_area]),
    ]
    signed_in = [
        ("home", "session", ["/"]),
        (
            "member directory",
            "session",
            ["/members/"] + [f"/members/{q}" for q in by_area],
        ),
        (
            f"group page (largest {identity['largest_group']})",
            "session",
            identity["group_paths"],
        ),
        ("event list", "session", ["/events/"] + [f"/events/{q}" for q in by_area]),
        ("catalog search", "session", catalog),
        ("site search", "session", site_search),
        (
            "API search",
            "token",
            [f"/api/v1/search/?q={word}" for word in CATALOG_QUERIES],
        ),
        (
            "API organizations",
            "token",
            ["/api/v1/organizations/", "/api/v1/organizations/?page=2"],
        ),
        (
            "API working groups",
            "token",
            ["/api/v1/working-groups/", "/api/v1/working-groups/?page=2"],
        ),
        ("API events", "token", ["/api/v1/events/", "/api/v1/events/?page=2"]),
        ("API catalog", "token", ["/api/v1/catalog/", "/api/v1/catalog/?page=2"]),
    ]
    return [
        {"name": f"{name} (signed out)", "signed_in": False, "paths": paths}
        for name, paths in public
    ] + [
        {"name": name, "signed_in": True, "credential": credential, "paths": paths}
        for name, credential, paths in signed_in
    ]


def plan_of(target: dict, identities: list[dict]) -> list[dict]:
    """The requests of one target: every identity (when signed in) with every
    path, interleaved so that consecutive requests differ in both."""
    paths = target["paths"]
    if not target["signed_in"]:
        return [{"path": path} for path in paths]
    credential = target["credential"]
    count = max(len(identities), len(paths)) * len(paths)
    requests = []
    for i in range(count):
        identity = identities[(i // len(paths) + i) % len(identities)]
        request = {"path": paths[i % len(paths)], credential: identity[credential]}
        if credential == "session":
            request["csrf"] = identity["csrf"]
        requests.append(request)
    return requests


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


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(base_url: str, entry: dict) -> tuple[int, int]:
    """One request of a plan, not following a redirect: its status and size."""
    request = urllib.request.Request(base_url + entry["path"])
    request.add_header("Accept-Language", "en")
    if entry.get("session"):
        request.add_header(
            "Cookie", f"sessionid={entry['session']}; csrftoken={entry['csrf']}"
        )
    if entry.get("token"):
        request.add_header("Authorization", f"Bearer {entry['token']}")
    try:
        with urllib.request.build_opener(_NoRedirect).open(
            request, timeout=60
        ) as response:
            return response.status, len(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, 0


def check_target(base_url: str, target: dict, identities: list[dict]) -> None:
    """Fail early when one of a target's paths does not answer 200 for its visitor
    (each path once, with the first identity); then answer each path once for
    one member of each other time zone and language (see the module's
    docstring)."""
    first = {entry["path"]: entry for entry in plan_of(target, identities[:1])}
    for entry in first.values():
        started = time.monotonic()
        try:
            status, size = _get(base_url, entry)
        except TimeoutError:
            sys.exit(f"{target['name']}: {entry['path']} did not answer within 60 s")
        elapsed = time.monotonic() - started
        log(f"{target['name']}: {entry['path']} {status}, {size:,} B in {elapsed:.2f}s")
        target["largest_bytes"] = max(target.get("largest_bytes", 0), size)
        if status != 200:
            sys.exit(f"{target['name']}: {entry['path']} answered {status}, not 200")
    if not target["signed_in"]:
        return
    zones = {identity["zone"]: identity for identity in reversed(identities)}
    zones.pop(identities[0]["zone"], None)
    started = time.monotonic()
    for identity in zones.values():
        for entry in plan_of(target, [identity])[: len(target["paths"])]:
            status, _size = _get(base_url, entry)
            if status != 200:
                sys.exit(f"{target['name']}: {entry['path']} answered {status}")
    log(
        f"{target['name']}: each path for {len(zones)} more zones and languages "
        f"in {time.monotonic() - started:.1f}s"
    )


def _milliseconds(figure: str, duration: int) -> float:
    try:
        return float(figure)
    except ValueError:
        return duration * 1000.0


def measure(
    base_url: str, target: dict, plan: list[dict], *, users: int, duration: int
) -> dict:
    """Drive one target with locust in its own process; return its figures."""
    with tempfile.TemporaryDirectory() as folder:
        prefix = Path(folder) / "stats"
        plan_file = Path(folder) / "plan.json"
        plan_file.write_text(json.dumps(plan))
        env = {**os.environ, "BENCH_PLAN": str(plan_file), "BENCH_NAME": target["name"]}
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
        failures = []
        failures_csv = prefix.parent / "stats_failures.csv"
        if failures_csv.exists():
            with failures_csv.open() as handle:
                failures = [r["Error"] for r in csv.DictReader(handle)][:3]
    return {
        "name": target["name"],
        "users": users,
        "paths": len(target.get("paths", [BASELINE])),
        "requests": int(row["Request Count"]),
        "signed_in": target.get("signed_in", False),
        "rps": round(float(row["Requests/s"]), 1),
        # "N/A" when no request completed within the run.
        "p50_ms": _milliseconds(row["50%"], duration),
        "p99_ms": _milliseconds(row["99%"], duration),
        "errors": int(row["Failure Count"]),
        "failures": failures,
        "largest_bytes": target.get("largest_bytes"),
    }


def bounds_text(users: int, signed_in: bool) -> str:
    ratio_in, ratio_out, p99 = BOUNDS[users]
    ratio = ratio_in if signed_in else ratio_out
    return (f"≥{ratio:.2f}, " if ratio else "") + f"p99<{p99}"


def verdict(figures: dict) -> str:
    """ "pass" or "short" (with what is short) for a measured target."""
    if figures["name"].startswith("baseline"):
        return ""
    ratio_in, ratio_out, p99 = BOUNDS[figures["users"]]
    ratio = ratio_in if figures["signed_in"] else ratio_out
    short = []
    if ratio and figures["ratio"] < ratio:
        short.append("ratio")
    if figures["p99_ms"] >= p99:
        short.append("p99")
    if figures["errors"]:
        short.append("errors")
    return "short: " + ", ".join(short) if short else "pass"


def print_table(results: list[dict], baselines: dict) -> None:
    header = (
        f"{'target':<34} {'users':>5} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'errors':>6} {'ratio':>6} {'KB':>5}  {'bound':<14} verdict"
    )
    print()
    for users, rps in baselines.items():
        print(
            f"baseline {BASELINE} at {users} users: {rps:.1f} req/s "
            "(mean of start and end)"
        )
    print(header)
    print("-" * len(header))
    for figures in results:
        size = figures.get("largest_bytes")
        bound = (
            ""
            if figures["name"].startswith("baseline")
            else bounds_text(figures["users"], figures["signed_in"])
        )
        print(
            f"{figures['name']:<34} {figures['users']:>5} {figures['rps']:>7.1f} "
            f"{figures['p50_ms']:>7.0f} {figures['p99_ms']:>7.0f} "
            f"{figures['errors']:>6} {figures['ratio']:>6.2f} "
            f"{(size or 0) / 1024:>5.0f}  {bound:<14} {verdict(figures)}"
        )
    failures = [f for f in results if f["failures"]]
    for figures in failures:
        print(
            f"errors of {figures['name']} ({figures['users']} users): "
            f"{figures['failures']}"
        )


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
        capture_output=True,
        text=True,
    )
    for line in result.stdout.strip().splitlines():
        log(line)
    if result.returncode != 0:
        # The load figures above stay printed; say what went wrong here.
        log(f"bench/digest.py failed (exit {result.returncode}):")
        for line in result.stderr.strip().splitlines()[-20:]:
            log(f"  {line}")
        return {"digest_failed": result.returncode}
    return json.loads(out.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=20_000)
    parser.add_argument("--duration", type=int, default=15, help="seconds per target")
    parser.add_argument(
        "--users",
        default=",".join(str(level) for level in LEVELS),
        help="load levels: concurrent users, comma-separated (4 and 32 are bounded)",
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--only", help="measure only targets whose name contains this")
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

    levels = [int(level) for level in args.users.split(",")]
    unknown = [level for level in levels if level not in BOUNDS]
    if unknown:
        sys.exit(f"--users: levels must be among {sorted(BOUNDS)}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = bench_env()
    ensure_database(env, reseed=args.reseed)
    counts = ensure_data(env, args.scale)
    log("data: " + ", ".join(f"{value:,} {key}" for key, value in counts.items()))
    identity = json.loads(run_django(env, "identity"))
    identities = identity["identities"]
    log(
        f"signed in as {len(identities)} members of {identity['organizations']} "
        f"organizations and {identity['groups']} working groups (own sessions and "
        f"API tokens)"
    )
    chosen = [
        target
        for target in targets(identity)
        if not args.only or args.only.lower() in target["name"].lower()
    ]
    server, base_url = start_server(env, args.workers)
    results = []
    baselines = {}
    try:
        log(
            f"gunicorn ({args.workers} workers) at {base_url}; locust: {levels} "
            f"users, {args.duration}s per target"
        )
        for target in chosen:
            check_target(base_url, target, identities)
        baseline = {"name": "baseline", "paths": [BASELINE], "signed_in": False}
        for users in levels:
            level = []
            plan = [
                {**baseline, "name": "baseline (start)"},
                *chosen,
                {**baseline, "name": "baseline (end)"},
            ]
            for target in plan:
                figures = measure(
                    base_url,
                    target,
                    plan_of(target, identities),
                    users=users,
                    duration=args.duration,
                )
                log(
                    f"{figures['name']} ({users} users): {figures['rps']} req/s, "
                    f"p99 {figures['p99_ms']} ms, {figures['errors']} errors"
                )
                level.append(figures)
            baselines[users] = (level[0]["rps"] + level[-1]["rps"]) / 2
            for figures in level:
                figures["ratio"] = (
                    round(figures["rps"] / baselines[users], 2)
                    if baselines[users]
                    else 0
                )
                figures["verdict"] = verdict(figures) or None
            results.extend(level)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "data": counts,
        "identities": {
            "members": len(identities),
            "organizations": identity["organizations"],
            "working_groups": identity["groups"],
        },
        "server": {"gunicorn_workers": args.workers, "cpus": os.cpu_count()},
        "load": {"users": levels, "seconds_per_target": args.duration},
        "baseline_rps": {str(users): round(rps, 1) for users, rps in baselines.items()},
        "targets": results,
    }
    if not args.skip_digest:
        report.update(run_digest(env, args))
    print_table(results, baselines)
    if "digest_failed" in report:
        print("\ndigests and fan-out: bench/digest.py failed (see its errors above)")
    elif not args.skip_digest:
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
            f"({fan_out['people_per_second']:,.0f} people/s; "
            f"target ≤ 10 s: {'met' if fan_out['seconds'] <= 10 else 'NOT met'}), "
            f"{fan_out['queries_total']} queries for {fan_out['batches']} batches "
            f"({fan_out.get('queries_per_batch_min')}–"
            f"{fan_out.get('queries_per_batch_max')} per batch, visibility on), "
            f"peak {fan_out['peak_mib']:.0f} MiB"
        )
    short = [f for f in results if (f.get("verdict") or "").startswith("short")]
    print(
        f"\n{len(results) - 2 * len(levels) - len(short)} rows pass, {len(short)} short"
    )
    out = RESULTS / f"bench-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(report, indent=2))
    print(out)
    if "digest_failed" in report:
        sys.exit(1)


if __name__ == "__main__":
    main()
