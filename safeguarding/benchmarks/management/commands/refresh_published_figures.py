"""manage.py refresh_published_figures: fetch newer releases of the DfE/ONS files in PUBLISHED_DATA_DIR/dfe."""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from safeguarding.benchmarks.published import MANIFEST, RefreshProblem, refresh


class Command(BaseCommand):
    help = (f"Fetch every file listed in PUBLISHED_DATA_DIR/{MANIFEST} from its public address, check that each "
            "arrived whole and reads as the kind of file it is listed as, and only when all of them passed replace "
            "the copies in PUBLISHED_DATA_DIR/dfe and record the date. A failed or partial download changes nothing. "
            "Load the new figures afterwards with import_benchmarks.")

    def add_arguments(self, parser):
        parser.add_argument("--base-url", help="fetch BASE_URL/<file name> instead (a mirror)")
        parser.add_argument("--dry-run", action="store_true", help="fetch and check, replace nothing")

    def handle(self, *args, base_url, dry_run, **options):
        folder = settings.PUBLISHED_DATA_DIR
        try:
            fetched = refresh(folder, base_url=base_url, dry_run=dry_run, progress=self.stdout.write)
        except RefreshProblem as problem:
            raise CommandError(f"{problem}\nNothing was replaced: the files in {folder / 'dfe'} are as they were.")
        changed = sum(item.changed for item in fetched)
        if dry_run:
            self.stdout.write(f"Dry run: {len(fetched)} files fetched and checked ({changed} differ from the copies); "
                              "nothing replaced.")
        else:
            self.stdout.write(self.style.SUCCESS(
                f"Replaced {len(fetched)} files in {folder / 'dfe'} ({changed} new releases); dates in "
                f"{folder / MANIFEST}."))
