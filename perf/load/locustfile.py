"""Load scenario (issue 8, point 2): members of the demo partnership, signed in through the real sign-in form (CSRF
token, password, and a TOTP code, as every role gives), reading the dashboard and downloading
from it and from the yearly report, agencies saving their Section 11 return part way, and one analyst uploading a
small CIN census return during the run.

Who (locust weights): readers 6 (statutory partner leads, scrutineers, case review members), agency leads 3,
analysts 1. A reader's tasks: half of them the dashboard page (a third of those another year, comparator set or
neighbour average), 16% its CSV and Excel downloads, 10% the yearly report (its page, or its HTML, PDF or Word
file), the rest the partnership's home page and the list of reports.

Run by perf/load/run.py, which sets up the instance, creates the accounts and sets LOAD_ACCOUNTS to their
JSON file (see ``_prepare`` there). One account per simulated person: the sessions are real people's, and
django-otp refuses a TOTP code already used for the same device, so two simulated analysts sharing an account
would fail each other's sign-in within the same 30 seconds. Passwords are right, so django-axes never locks anyone
out; if it did, its lock-out page (429) would count as a failure.

Think time: 1 to 5 seconds between tasks (``between(1, 5)``), and 1 to 5 seconds typing between opening a
Section 11 standard and saving it. Each HTTP request is measured on its own (redirects are not followed: the
page a form sends the browser to is requested, and measured, separately), and a request fails when its status,
content type or redirect target is not the expected one: a 500, a redirect to the sign-in page (a lost session)
or a download that is an error page all count.

LOAD_MIX=one-each (the pytest) runs exactly one person of each kind, each doing its kind's main task first (the
yearly report's HTML and a dashboard download, a Section 11 save, an upload); the run ends as soon as all three have.
"""
import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time

import gevent
from locust import HttpUser, between, events, task

ACCOUNTS = json.loads(open(os.environ["LOAD_ACCOUNTS"]).read())
ONE_EACH = os.environ.get("LOAD_MIX") == "one-each"
P = f"/p/{ACCOUNTS['partnership']}"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
IMPORTS = []  # (seconds from upload to loaded, status) for run.py's summary
LOADED = 'id="outcome-title">Loaded'  # the import page's banner for a return loaded, clean or not
FINISHED = set()  # LOAD_MIX=one-each: the kinds that have done their main task

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def totp(key_hex, now=None):
    """The code an authenticator app shows (RFC 6238: SHA-1, 30-second steps, 6 digits), as django-otp's TOTPDevice
    checks it by default."""
    counter = int((now or time.time()) // 30)
    mac = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    return f"{(struct.unpack('>I', mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def missing(name, message):
    """Something the scenario needs did not happen (a record to work on, an import loaded): a failure, not a
    silently skipped task."""
    events.request.fire(request_type="SCENARIO", name=name, response_time=0, response_length=0,
                        exception=Exception(message), context={})


class Member(HttpUser):
    abstract = True
    wait_time = between(1, 5)
    pool = None  # which accounts in LOAD_ACCOUNTS

    def on_start(self):
        accounts = ACCOUNTS[self.pool]
        self.account = accounts[next(self._taken) % len(accounts)]
        self.sign_in()

    def done(self):
        """LOAD_MIX=one-each: this kind's main task is done; the last of the three ends the run."""
        FINISHED.add(type(self).__name__)
        if len(FINISHED) == 3:
            # Not from this user's own greenlet, which quitting stops; after locust's CSV writer (every second)
            # has written the last requests: it does not write again when quitting.
            gevent.spawn_later(2, self.environment.runner.quit)

    # Requests -------------------------------------------------------------------------------------------------

    def get(self, path, name=None, expect=200, content_type=None, location=None):
        return self.request("GET", path, name=name, expect=expect, content_type=content_type, location=location)

    def post(self, path, data, name=None, files=None, expect=302, location=None):
        return self.request("POST", path, data=data, files=files, name=name, expect=expect, location=location)

    def request(self, method, path, *, name, expect, content_type=None, location=None, **kwargs):
        """One request, redirects not followed; a status, content type or redirect target (``location``, a regular
        expression for the whole Location header) other than the expected one is a failure."""
        with self.client.request(method, path, name=name or path, allow_redirects=False, catch_response=True,
                                 **kwargs) as response:
            sent_to = response.headers.get("Location", "")
            if response.status_code != expect:
                response.failure(f"HTTP {response.status_code} {sent_to}".strip())
            elif content_type and not response.headers.get("Content-Type", "").startswith(content_type):
                response.failure(f"content type {response.headers.get('Content-Type')}")
            elif location is not None and not re.fullmatch(location, sent_to):
                response.failure(f"sent to {sent_to}")
            else:
                response.success()
            return response

    @staticmethod
    def token(response):
        found = CSRF.search(response.text or "")
        return found.group(1) if found else ""

    def sign_in(self):
        """The sign-in form with its CSRF token, then a TOTP code on the two-factor page (every role gives one)."""
        form = self.get("/account/sign-in/", name="/account/sign-in/ (form)")
        self.post("/account/sign-in/", {"csrfmiddlewaretoken": self.token(form), "next": "",
                                        "username": self.account["email"], "password": ACCOUNTS["password"]},
                  name="/account/sign-in/ (post)", location="/")
        # The two-factor middleware sends every page there until a code is given.
        self.get("/", name="/ (before two-factor)", expect=302, location=r"/account/two-factor/\?next=%2F")
        form = self.get("/account/two-factor/", name="/account/two-factor/ (form)")
        self.post("/account/two-factor/", {"csrfmiddlewaretoken": self.token(form), "next": "",
                                           "code": totp(self.account["key"])},
                  name="/account/two-factor/ (post)", location="/")
        self.get("/", name="/ (to the partnership)", expect=302, location=f"{P}/")
        self.home()

    # What every member does ----------------------------------------------------------------------------------

    def home(self):
        self.get(f"{P}/", name="/p/[slug]/")

    def dashboard(self):
        page = self.get(f"{P}/dashboard/", name="/p/[slug]/dashboard/")
        if not getattr(self, "years", None):
            self.years = sorted(set(re.findall(r'<option value="(20\d\d)"', page.text or ""))) or [None]

    def dashboard_choice(self):
        """Another year, comparator set or neighbour average: another cache entry."""
        if not getattr(self, "years", None):
            return self.dashboard()
        year = random.choice(self.years)
        query = {"comparators": random.choice(["dfe", "as-published"]), "sn_average": random.choice(["mean", "median"])}
        if year:
            query["year"] = year
        self.get(f"{P}/dashboard/?" + "&".join(f"{k}={v}" for k, v in query.items()),
                 name="/p/[slug]/dashboard/?year&comparators&sn_average")


class Reader(Member):
    """A statutory partner lead, a scrutineer (small numbers suppressed) or a case review member: the dashboard,
    its downloads, the yearly report. About one task in ten is a download of the yearly report or its page."""
    weight = 6
    pool = "reader"
    _taken = itertools.count()

    def on_start(self):
        super().on_start()
        page = self.get(f"{P}/reports/", name="/p/[slug]/reports/")
        self.reports = sorted(set(re.findall(rf'href="{P}/reports/(\d+)/"', page.text or "")))
        if not self.reports:
            missing("yearly report found", "no yearly report on the reports page")
        if ONE_EACH:
            self.report_html()  # the PDF is the same document laid out by WeasyPrint: seconds more, no more cover
            self.table_xlsx()
            self.done()

    @task(8)
    def partnership_home(self):
        self.home()

    @task(4)
    def reports_index(self):
        self.get(f"{P}/reports/", name="/p/[slug]/reports/")

    @task(17)
    def view_dashboard(self):
        self.dashboard()

    @task(8)
    def view_dashboard_choice(self):
        self.dashboard_choice()

    @task(2)
    def table_csv(self):
        self.get(f"{P}/dashboard/table.csv", content_type="text/csv", name="/p/[slug]/dashboard/table.csv")

    @task(2)
    def table_xlsx(self):
        self.get(f"{P}/dashboard/table.xlsx", content_type=XLSX, name="/p/[slug]/dashboard/table.xlsx")

    @task(2)
    def charts_csv(self):
        self.get(f"{P}/dashboard/charts.csv", content_type="text/csv", name="/p/[slug]/dashboard/charts.csv")

    @task(2)
    def charts_xlsx(self):
        self.get(f"{P}/dashboard/charts.xlsx", content_type=XLSX, name="/p/[slug]/dashboard/charts.xlsx")

    def report(self, suffix, content_type=None):
        if self.reports:
            self.get(f"{P}/reports/{random.choice(self.reports)}/{suffix}", content_type=content_type,
                     name=f"/p/[slug]/reports/[id]/{suffix}")

    @task(2)
    def report_page(self):
        self.report("")

    @task(1)
    def report_html(self):
        self.report("report.html", "text/html")

    @task(1)
    def report_pdf(self):
        self.report("report.pdf", "application/pdf")

    @task(1)
    def report_docx(self):
        self.report("report.docx", DOCX)


class AgencyLead(Member):
    """An agency's lead filling in its Section 11 return (the demo's fire and rescue service, whose 2020-21 return is
    due): opens a standard, changes the rating or the evidence, saves without submitting."""
    weight = 3
    pool = "agency"
    _taken = itertools.count()

    def on_start(self):
        super().on_start()
        self.return_path, self.standards = self.find_return(), []
        if self.return_path:
            self.view_return()
        else:
            missing("Section 11 return found", "the agency lead found no Section 11 return to fill in")
        if ONE_EACH:
            self.save_part_way()
            self.done()

    def find_return(self):
        """The newest cycle's return, from the assurance page; the first of the agency's people to arrive starts it
        (from last year's answers)."""
        overview = self.get(f"{P}/assurance/", name="/p/[slug]/assurance/")
        cycles = re.findall(rf'href="({P}/assurance/section-11/cycles/\d+/)"', overview.text or "")
        if not cycles:
            return None
        cycle = self.get(cycles[0], name="/p/[slug]/assurance/section-11/cycles/[id]/")
        start = re.search(rf'action="({P}/assurance/section-11/cycles/\d+/start/)"', cycle.text or "")
        if start:
            started = self.post(start.group(1), {"csrfmiddlewaretoken": self.token(cycle)},
                                name="/p/[slug]/assurance/section-11/cycles/[id]/start/",
                                location=rf"{P}/assurance/section-11/returns/\d+/")
            return started.headers.get("Location") if started.status_code == 302 else None
        found = re.findall(rf'href="({P}/assurance/section-11/returns/\d+/)"', cycle.text or "")
        return found[0] if found else None

    def view_return(self):
        page = self.get(self.return_path, name="/p/[slug]/assurance/section-11/returns/[id]/")
        self.standards = sorted(set(re.findall(rf'href="{self.return_path}standards/([\w-]+)/"', page.text or "")))

    @task(6)
    def save_part_way(self):
        if not self.standards:
            return
        path = f"{self.return_path}standards/{random.choice(self.standards)}/"
        form = self.get(path, name="/p/[slug]/assurance/section-11/returns/[id]/standards/[key]/")
        ratings = sorted(set(re.findall(r'name="rating" type="radio" value="(\w+)"', form.text or "")))
        gevent.sleep(random.uniform(1, 5))  # reading the standard, typing
        data = {"csrfmiddlewaretoken": self.token(form), "rating": random.choice(ratings + [""]),
                "evidence": f"Evidence updated under load at {time.time():.3f}: station managers trained, policy on "
                            f"the noticeboards, supervision records checked.", "evidence_title": ""}
        # The form is multipart (it takes an evidence file): an empty file field, as a browser sends it.
        saved = self.post(path, data, files={"evidence_file": ("", b"", "application/octet-stream")},
                          name="/p/[slug]/assurance/section-11/returns/[id]/standards/[key]/ (save)",
                          location=re.escape(self.return_path))  # saved part way: back to the return
        if saved.status_code == 302:
            self.get(saved.headers["Location"], name="/p/[slug]/assurance/section-11/returns/[id]/")

    @task(3)
    def return_page(self):
        if self.return_path:
            self.view_return()

    @task(1)
    def assurance(self):
        self.get(f"{P}/assurance/", name="/p/[slug]/assurance/")

    @task(2)
    def view_dashboard(self):
        self.dashboard()


class Analyst(Member):
    """An analyst (two-factor sign-in): the dashboard and the returns page; one analyst in the run uploads a small
    synthetic CIN census (LOAD_ACCOUNTS' cin_file) and follows it on the import page, which refreshes itself every
    2 seconds, until it is loaded. One import per run: a partnership loads a return a few times a year, and each
    import recomputes the indicators, so every cached table and trend is built again afterwards. An import that
    is rejected, fails or takes over 5 minutes is a failure."""
    weight = 1
    pool = "analyst"
    _taken = itertools.count()
    upload_taken = False  # by one analyst of the run

    def on_start(self):
        super().on_start()
        if ONE_EACH:
            self.upload()
            self.done()

    @task(4)
    def view_dashboard(self):
        self.dashboard()

    @task(2)
    def view_dashboard_choice(self):
        self.dashboard_choice()

    @task(2)
    def returns(self):
        self.get(f"{P}/returns/", name="/p/[slug]/returns/")

    @task(2)
    def upload(self):
        if Analyst.upload_taken:
            return self.returns()
        Analyst.upload_taken = True
        form = self.get(f"{P}/returns/upload/", name="/p/[slug]/returns/upload/")
        path = ACCOUNTS["cin_file"]
        with open(path, "rb") as f:
            sent = self.post(f"{P}/returns/upload/", {"csrfmiddlewaretoken": self.token(form), "year": ""},
                             files={"files": (os.path.basename(path), f.read(), "text/xml")},
                             name="/p/[slug]/returns/upload/ (post)", location=rf"{P}/returns/\d+/")
        page = sent.headers.get("Location")
        if sent.status_code != 302 or not page:
            return
        started = time.monotonic()
        while time.monotonic() - started < 300:
            shown = self.get(page, name="/p/[slug]/returns/[id]/ (import page)")
            text = shown.text or ""
            # The import page's outcome: a banner titled "Loaded…" (with or without errors or warnings), a refusal,
            # or an import that stopped.
            if LOADED in text or "Refused: the return was not loaded" in text or "The import stopped" in text:
                break
            gevent.sleep(2)
        status = "loaded" if LOADED in text else "rejected" if "Refused: the return was not loaded" in text else \
            "failed" if "import stopped" in text else "timed out"
        IMPORTS.append({"seconds": round(time.monotonic() - started, 1), "status": status})
        if status != "loaded":
            missing("returns import loaded", f"import {status}")


if ONE_EACH:
    Reader.fixed_count = AgencyLead.fixed_count = Analyst.fixed_count = 1


# Every request's start, name, milliseconds and outcome, and when the last user had started, for run.py's figures
# of the steady state (after the sign-ins of the ramp-up); locust's own CSV files cover the whole run.
REQUESTS = []
SPAWNED = {}


@events.request.add_listener
def _keep(request_type, name, response_time, exception, start_time=None, **kwargs):
    REQUESTS.append((round(start_time or time.time() - response_time / 1000, 3), request_type, name,
                     round(response_time, 1), str(exception)[:300] if exception is not None else None))


@events.spawning_complete.add_listener
def _spawned(user_count, **kwargs):
    SPAWNED.setdefault("at", time.time())


@events.quitting.add_listener
def _write(environment, **kwargs):
    if os.environ.get("LOAD_IMPORTS_OUT"):
        with open(os.environ["LOAD_IMPORTS_OUT"], "w") as f:
            json.dump(IMPORTS, f)
    if os.environ.get("LOAD_REQUESTS_OUT"):
        with open(os.environ["LOAD_REQUESTS_OUT"], "w") as f:
            json.dump({"spawned_at": SPAWNED.get("at"), "requests": REQUESTS}, f)
