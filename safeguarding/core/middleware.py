"""Requests refused before their body is read: too large for the page, or in a character set that cannot be read.

Django would otherwise stream a multipart upload of any size to a temporary file before the view could say it is
too large, and would fail with a server error on a declared charset that is not a text encoding (rot13, zlib).
Listed before CsrfViewMiddleware, which is the first to read a form's body.
"""
import codecs

from django.conf import settings
from django.shortcuts import render

from safeguarding.core.formats import megabytes

# Room for the multipart boundaries and headers and the form's other fields, on top of a page's files.
FORM_OVERHEAD_BYTES = 1024 * 1024


def upload_limit(max_bytes):
    """Mark a view that takes files: its requests may carry up to max_bytes of files (plus the form itself); a
    setting's name is read when a request comes. Other views take at most DATA_UPLOAD_MAX_MEMORY_SIZE."""

    def decorator(view):
        view.max_upload_bytes = max_bytes
        return view

    return decorator


def files_limit(view):
    """The most a view takes in files, in bytes, or None for a view that takes no files."""
    limit = getattr(view, "max_upload_bytes", None)
    return getattr(settings, limit) if isinstance(limit, str) else limit


def request_limit(view):
    """The largest request body the view accepts, in bytes."""
    files = files_limit(view)
    return files + FORM_OVERHEAD_BYTES if files else settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def readable_charset(name):
    """Can form data in this declared character set be decoded (with replacement characters for bad bytes)?"""
    try:
        codecs.lookup(name)
    except LookupError:
        return True  # Django ignores an unknown charset and reads the body as UTF-8
    try:
        b"form=caf\xc3\xa9\xff".decode(name, "replace")
    except (LookupError, UnicodeError, ValueError, TypeError):
        return False
    return True


class RequestBodyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body it cannot measure
        limit = request_limit(view)
        if length > limit:
            files = files_limit(view)
            return render(request, "errors/413.html", {
                "page_title": "The form or file you sent is too large", "sent": megabytes(length),
                "limit": megabytes(limit), "files_limit": megabytes(files) if files else None,
                "path": request.path}, status=413)
        charset = request.content_params.get("charset") if hasattr(request, "content_params") else None
        if charset and not readable_charset(charset):
            return render(request, "errors/400.html", {
                "reason": f"The form was sent in the character set ‘{charset[:40]}’, which is not a text encoding "
                          "this service can read. Send it as UTF-8, as web browsers do."}, status=400)
        return None
