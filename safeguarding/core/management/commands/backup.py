from django.core.management.base import BaseCommand, CommandError

from safeguarding.core.backups import BackupError, create_backup


class Command(BaseCommand):
    help = ("Back up the application database (SQLite by its online backup API, PostgreSQL by pg_dump), the store "
            "of returns (DuckDB export or its PostgreSQL schema) and the uploaded documents into one tar archive "
            "with a manifest of versions, checksums and row counts. Safe while the service runs.")

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True,
                            help="The archive to write (NAME.tar), or a folder for partnership-backup-<time>.tar")
        parser.add_argument("--wait", type=int, default=600,
                            help="Seconds to wait for an import that holds the DuckDB store (default 600)")

    def handle(self, *args, out, wait, **options):
        try:
            create_backup(out, wait=wait, log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
