import shutil
from pathlib import Path

from django_tasks import task

from safeguarding.returns.models import ReturnImport
from safeguarding.returns.problems import ReturnRejected
from safeguarding.returns.services import run_import


# Before any other task: a person is watching its page, while the work tasks prepare ahead (reports/tasks.py) can wait.
@task(priority=50)
def import_uploaded_return(import_id, folder, year=None):
    """Import files uploaded through the page, then delete them: child-level files are not kept."""
    record = ReturnImport.objects.get(pk=import_id)
    try:
        run_import(record, sorted(str(p) for p in Path(folder).iterdir()), year=year)
    except ReturnRejected:
        pass  # recorded on the ReturnImport for the person who uploaded it
    finally:
        shutil.rmtree(folder, ignore_errors=True)
