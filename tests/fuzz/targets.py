"""Every page of the system that takes input, found from the URL configuration through the access matrix.

tests/access_matrix.py already says, for every URL pattern, whether it is a form ("get post"), an endpoint behind a
button ("post"), who may use it and which record its URL names; its module-scoped `world` holds those records and
a signed-in person for every role. Here each entry that takes a POST becomes a target, used by someone allowed to.

`handles_post` reads the view code (and the helpers it calls) to find every view that takes form data, so a view
that starts reading request.POST without the matrix saying it is a form fails tests/fuzz/test_forms.py.
"""
import ast
import inspect
import textwrap
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from safeguarding.accounts.roles import Role
from tests import factories
from tests.access_matrix import PARTNERSHIP, PUBLIC, TABLE, url_name

ROLE_PREFERENCE = [Role.ADMIN, *Role]  # the business unit where it may, else the first role allowed


def url_names(resolver=None, namespace=""):
    """(name, callback) of every named URL."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from url_names(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name, entry.callback


# ------------------------------------------------------------------------------------- reading view code
POST_MARKERS = ("request.POST", "request.FILES", "require_POST", "request.method == \"POST\"")


def _sources(function, seen):
    """The source of a view function and of the project functions it calls (helpers like `posted(request)`)."""
    function = inspect.unwrap(function)
    if function in seen or not getattr(function, "__module__", "").startswith("safeguarding"):
        return
    seen.add(function)
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return
    yield source
    for node in ast.walk(ast.parse(textwrap.dedent(source))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            called = function.__globals__.get(node.func.id)
            if inspect.isfunction(called):
                yield from _sources(called, seen)


def handles_post(callback):
    """Does the view take form data? Read from its code (and its helpers'), or its class's post method."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return callable(getattr(view_class, "post", None)) and "post" in view_class.http_method_names
    return any(marker in source for source in _sources(callback, set()) for marker in POST_MARKERS)


def _trees(callback):
    for source in _sources(callback, set()):
        yield from ast.walk(ast.parse(textwrap.dedent(source)))


def posted_names(callback):
    """Field names a view reads from request.POST directly (for endpoints that have no form of their own)."""
    names = set()
    for node in _trees(callback):
        # request.POST.get("x") and "x" in request.POST
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
                and ast.unparse(node.func.value) == "request.POST" and node.args
                and isinstance(node.args[0], ast.Constant)):
            names.add(node.args[0].value)
        if (isinstance(node, ast.Compare) and isinstance(node.left, ast.Constant) and
                isinstance(node.ops[0], ast.In) and ast.unparse(node.comparators[0]) == "request.POST"):
            names.add(node.left.value)
    return names


def compared_values(callback):
    """String constants the view compares values with (e.g. action == "open"): plausible values to post."""
    values = set()
    for node in _trees(callback):
        if isinstance(node, ast.Compare):
            for side in [node.left, *node.comparators]:
                if isinstance(side, ast.Constant) and isinstance(side.value, str) and len(side.value) < 40:
                    values.add(side.value)
    return sorted(values)


# ------------------------------------------------------------------------------------- forms in a page
@dataclass
class Field:
    name: str
    kind: str  # text, textarea, email, url, number, password, hidden, choice, multi, file, button, date-part
    options: list
    value: str = ""  # what the page filled in


@dataclass
class FormInPage:
    method: str
    path: str  # where it sends its data
    fields: dict
    multipart: bool


def forms_in(html, page_url):
    """The forms of a page, with their fields as a browser would send them."""
    if not html.strip():
        return []
    document = lxml.html.document_fromstring(html)
    found = []
    for form in document.iter("form"):
        method = (form.get("method") or "get").lower()
        path = urlsplit(urljoin(page_url, form.get("action") or page_url)).path
        fields = {}
        for element in form.iter("input", "select", "textarea", "button"):
            name = element.get("name")
            if not name or name == "csrfmiddlewaretoken":
                continue
            kind = element.get("type", "text" if element.tag != "button" else "submit").lower()
            value = element.get("value", "")
            if element.tag == "textarea":
                kind, value = "textarea", element.text or ""
            elif element.tag == "select":
                kind = "multi" if element.get("multiple") is not None else "choice"
                fields[name] = Field(name, kind, [o.get("value", o.text or "") for o in element.iter("option")])
                continue
            elif kind in ("submit", "button"):
                kind = "button"
            elif kind in ("radio", "checkbox"):
                field = fields.setdefault(name, Field(name, "choice" if kind == "radio" else "multi", []))
                field.options.append(value or "on")
                continue
            elif name.endswith(("-day", "-month", "-year")):
                kind = "date-part"
            if name in fields and kind == "button":
                fields[name].options.append(value)
                continue
            fields[name] = Field(name, kind, [value] if kind == "button" else [], value)
        found.append(FormInPage(method, path, fields, (form.get("enctype") or "").startswith("multipart")))
    return found


# ------------------------------------------------------------------------------------- the targets
def fuzzed_keys():
    """The matrix entries that take a POST and that someone may use (a draft survey's link is 404 to all)."""
    return [key for key, entry in TABLE.items()
            if entry.posts and not (entry.access == PUBLIC and entry.gets and 200 not in entry.status)]


def _fresh_person(world, role, **extra):
    return factories.person(world.home, role, org=world.agency, **extra)


def client_and_url(world, key):
    """A client allowed to post to the entry's URL, and the URL (a page with the form, or the endpoint)."""
    entry = TABLE[key]
    name = url_name(key)
    if name == "accounts:two-factor":
        # Signed in with a password, no authenticator app yet: the page sets one up and asks for its code.
        client = Client()
        client.force_login(_fresh_person(world, Role.ANALYST, verified_device=False))
        return client, reverse(name)
    if name == "accounts:two-factor-recovery":
        # Signed in with a password, with an app and recovery codes: the page asks for one of the codes.
        from safeguarding.accounts.services import make_recovery_codes

        person = _fresh_person(world, Role.SCRUTINEER)
        make_recovery_codes(user=person)
        client = Client()
        client.force_login(person)
        return client, reverse(name)
    if name == "accounts:recovery-codes":  # one's own codes: a person of one's own, signed in with the code
        return factories.sign_in(Client(), _fresh_person(world, Role.SCRUTINEER)), reverse(name)
    if name == "accounts:sign-out":  # its own person: signing out must not end a shared session
        return factories.sign_in(Client(), _fresh_person(world, Role.ADMIN)), reverse(name)
    if name == "accounts:password-reset-confirm":  # a good link, moved into the session as the e-mailed one is
        from django.contrib.auth.tokens import default_token_generator
        from django.utils.encoding import force_bytes
        from django.utils.http import urlsafe_base64_encode

        user = _fresh_person(world, Role.ADMIN)
        client = Client()
        link = reverse(name, kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                                     "token": default_token_generator.make_token(user)})
        return client, client.get(link)["Location"]
    if entry.access != PARTNERSHIP:
        return Client(), world.url(key)  # public and signed-out pages: anyone
    role = next(role for role in ROLE_PREFERENCE if role in entry.who("post"))
    principal = world.members[role]
    client = principal.client
    client.cookies.clear()
    client.cookies[settings.SESSION_COOKIE_NAME] = principal.session_key
    return client, world.url(key)
