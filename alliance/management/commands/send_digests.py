"""Build and queue the digests that are due now, as the periodic task does."""

from django.core.management.base import BaseCommand

from alliance.notifications.services.digests import (
    DIGEST_BATCH,
    DIGEST_RUN_CAP,
    digest_run,
)


class Command(BaseCommand):
    help = (
        "Build the digests that are due (oldest due first, at most --limit people) "
        "and queue their emails in the outbox. Safe to run again: nobody gets two "
        "digests in one period."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=DIGEST_RUN_CAP)
        parser.add_argument("--batch-size", type=int, default=DIGEST_BATCH)

    def handle(self, *args, limit, batch_size, **options):
        if limit < 1 or batch_size < 1:
            self.stderr.write("--limit and --batch-size must be positive numbers.")
            raise SystemExit(2)
        result = digest_run(limit=limit, batch_size=batch_size)
        self.stdout.write(
            f"{result['people']} people due, {result['digests']} digests, "
            f"{result['emails']} emails queued in {result['batches']} batches."
        )
