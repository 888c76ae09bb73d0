"""Benchmark how long sign-up takes for an address that already has an account
against a new one (issue 17 item 6; not part of make test).

    DATABASE_URL=postgres://… REDIS_URL=redis://… \\
        .venv/bin/python bench/signup_timing.py [--rounds 15]

Uses the production password hasher, allauth's real sign-up view and the outbox
(account emails are queued, not sent, as in production with a broker); rate
limits are off so every round does its full work. Works in a scratch database
(``<name>_signup_bench``, created and dropped) and prints the median and p90
time of each path and their ratio.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings.base")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument(
        "--without-fix",
        action="store_true",
        help="allauth's own sign-up form and adapter (mail sent in the request), "
        "for the figures before the fix",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    settings.DATABASES["default"]["TEST"]["NAME"] = (
        settings.DATABASES["default"]["NAME"] + "_signup_bench"
    )
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        overrides = {"ACCOUNT_RATE_LIMITS": False, "ALLOWED_HOSTS": ["*"]}
        if args.without_fix:
            overrides |= {
                "ACCOUNT_FORMS": {},
                "ACCOUNT_ADAPTER": "allauth.account.adapter.DefaultAccountAdapter",
            }
        with override_settings(**overrides):
            times = {"existing": [], "new": []}
            password = "a long and correct horse battery staple"  # noqa: S105
            client = Client()
            client.post(
                "/accounts/signup/",
                {
                    "email": "taken@bench.invalid",
                    "password1": password,
                    "password2": password,
                },
            )  # the existing account (and a warm-up)
            for index in range(args.rounds):
                for path, email in (
                    ("existing", "taken@bench.invalid"),
                    ("new", f"new-{index}@bench.invalid"),
                ):
                    client = Client()
                    start = time.perf_counter()
                    response = client.post(
                        "/accounts/signup/",
                        {"email": email, "password1": password, "password2": password},
                    )
                    times[path].append(time.perf_counter() - start)
                    assert response.status_code == 302, response.status_code
        print(
            f"sign-up, {args.rounds} rounds, hasher {settings.PASSWORD_HASHERS[0]}"
            + (", WITHOUT the fix" if args.without_fix else "")
        )
        print(f"{'path':<10}{'median s':>10}{'p90 s':>10}")
        for path, values in times.items():
            values.sort()
            p90 = values[int(len(values) * 0.9) - 1]
            print(f"{path:<10}{statistics.median(values):>10.3f}{p90:>10.3f}")
        ratio = statistics.median(times["existing"]) / statistics.median(times["new"])
        print(f"existing / new (median): {ratio:.2f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
