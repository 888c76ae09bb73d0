"""Fill the portal with believable demo data; safe to run again."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from alliance.core.cache import bump_all
from alliance.registries.demo import demo_seeders


class Command(BaseCommand):
    help = "Create demo organizations, people, groups, projects and events."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            help="Also add this many synthetic people (and proportionally "
            "organizations, groups, events and catalog entries) for load tests.",
        )

    def handle(self, *args, scale, **options):
        if scale < 0:
            self.stderr.write("--scale must be zero or a positive number.")
            raise SystemExit(2)
        for seeder in demo_seeders():
            started = time.monotonic()
            seeder.seed(scale=scale, stdout=self.stdout)
            self.stdout.write(
                f"  {seeder.name}: done in {time.monotonic() - started:.1f}s"
            )
        # Bulk inserts send no signal: drop whatever the shared caches hold.
        bump_all()
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write(
            f"Demo admin: {settings.ALLIANCE_DEMO_ADMIN_EMAIL} / "
            f"{settings.ALLIANCE_DEMO_ADMIN_PASSWORD}"
        )
        self.stdout.write(
            "Demo members sign in with their address (see the admin) and the "
            "password 'alliance-demo'."
        )
