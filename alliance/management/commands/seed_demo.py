"""Fill the portal with believable demo data; safe to run again."""

import importlib
import time

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand


def demo_modules():
    """Return each installed app's ``demo`` module, in the order they declare."""
    modules = []
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        modules.append(module)
    return sorted(modules, key=lambda module: module.ORDER)


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
        for module in demo_modules():
            started = time.monotonic()
            module.seed(scale=scale, stdout=self.stdout)
            self.stdout.write(
                f"  {module.__name__}: done in {time.monotonic() - started:.1f}s"
            )
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write(
            f"Demo admin: {settings.ALLIANCE_DEMO_ADMIN_EMAIL} / "
            f"{settings.ALLIANCE_DEMO_ADMIN_PASSWORD}"
        )
        self.stdout.write(
            "Demo members sign in with their address (see the admin) and the "
            "password 'alliance-demo'."
        )
