from django.core.management.base import BaseCommand, CommandError

from safeguarding.core.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = ("Restore an archive written by `backup` into this instance (DATABASE_URL, ANALYTICS_URL, VAR_DIR), after "
            "checking every member against the archive's checksums. Stop the service first. Refuses an instance "
            "that is not empty unless --force.")
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar archive written by `manage.py backup`")
        parser.add_argument("--force", action="store_true",
                            help="Replace the database, store of returns and documents this instance already has")

    def handle(self, *args, archive, force, **options):
        try:
            restore_backup(archive, force=force, log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
