"""gunicorn for the partnership system: `gunicorn -c deploy/gunicorn.conf.py config.wsgi`.

Synchronous workers: the pages are short database reads; imports and report builds that take longer run in
the background-task worker (`manage.py task_worker`), not in a request."""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")  # nginx in front; never exposed directly
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = 1
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))  # a yearly report PDF takes a few seconds at most
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then, so a slow leak never grows
max_requests_jitter = 200
preload_app = True
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# No query strings in the access log: they can carry filters that name records.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'


def when_ready(server):
    """With preload_app the master has set Django up; before it forks the workers, also import every view (the
    URLconf), the libraries the downloads import on first use, and compile every template. Otherwise each worker,
    and each new one that replaces a recycled worker (max_requests), spends seconds of CPU on them in its first
    requests: the load test saw sign-in pages take 7 to 9 s while the workers warmed up. Nothing here opens a
    database connection (it would be shared across the fork); numpy's OpenBLAS starts its thread pool on import
    and starts it again in each forked worker."""
    if not server.cfg.preload_app:
        return
    from importlib import import_module

    from django.conf import settings
    from django.template import engines

    for module in (settings.ROOT_URLCONF, "weasyprint", "docx", "openpyxl"):
        import_module(module)
    templates = engines["jinja2"].env
    for name in templates.list_templates(filter_func=lambda name: name.endswith((".html", ".txt"))):
        templates.get_template(name)
    # Everything loaded so far lives as long as the process: moved out of the garbage collector's reach, so a
    # worker's first requests do not pay for full collections over it (about 140 ms in a new process's first
    # dashboard view), and the forked workers keep sharing its memory pages.
    import gc

    gc.collect()
    gc.freeze()
