from django_tasks import task


@task(priority=-20)  # after imports and the dashboard's choices (dashboard/tasks.py)
def work_out_forecast(la):
    """The forecast page's default view and its back-test worked out into the shared cache (services.warm)."""
    from safeguarding.forecast import services

    services.warm(la)
