"""The whole demo in its order: ``STEPS``, one list. ``load`` runs the steps in turn; the ones marked as
returns (synthetic returns, benchmarks, indicators, the yearly report) only when asked, since they take most of
the time and most tests do without them.

Southwark comes first and is loaded exactly as before: the neighbour adds its own records and shares
organisations and one Section 11 return, so none of Southwark's figures change."""
from dataclasses import dataclass, field
from pathlib import Path

from safeguarding.audits import demo as audits_demo
from safeguarding.lado import demo as lado_demo
from safeguarding.partnership.demo import lambeth, southwark
from safeguarding.partnership.demo.load import load as load_partnership
from safeguarding.registers import demo as registers_demo
from safeguarding.reports import demo as reports_demo
from safeguarding.reports import demo_draft as draft_report_demo
from safeguarding.reviews import demo as reviews_demo

from . import returns

PARTNERSHIPS = [southwark, lambeth]  # the data modules, in the order the sign-ins are printed
YEARS = "2017-2025"  # the returns' collection years, unless load_demo is given others


@dataclass
class Demo:
    """What the steps share: the options, and the partnerships loaded so far (by slug)."""
    password: str
    years: list = field(default_factory=list)  # the returns' collection years (Southwark's; the neighbour's last)
    dfe: Path | None = None
    say: object = print
    verbose: bool = False
    store: object = None
    partnerships: dict = field(default_factory=dict)
    sign_ins: dict = field(default_factory=dict)

    @property
    def southwark(self):
        return self.partnerships[southwark.PARTNERSHIP["slug"]]

    @property
    def lambeth(self):
        return self.partnerships[lambeth.PARTNERSHIP["slug"]]


def _register(data):
    def step(demo):
        partnership, sign_ins = load_partnership(data, demo.password)
        demo.partnerships[partnership.slug], demo.sign_ins[partnership.slug] = partnership, sign_ins
    return step


def return_years(data, years):
    """The collection years a partnership's returns cover: all of them, or its last RETURN_YEARS."""
    return years[-getattr(data, "RETURN_YEARS", len(years)):]


def _returns(data):
    def step(demo):
        returns.load_returns(data.PARTNERSHIP["la_code"], return_years(data, demo.years), dfe=demo.dfe,
                             store=demo.store, say=demo.say)
    return step


def _indicators(data):
    return lambda demo: returns.compute_indicators(data.PARTNERSHIP["la_code"], store=demo.store, say=demo.say)


def _report(demo):
    report = reports_demo.load(demo.southwark)
    demo.say(f"Demo yearly report: {report} ({report.get_status_display().lower()}).")


def _draft_report(demo):
    report = draft_report_demo.load(demo.southwark)
    demo.say(f"Demo yearly report begun: {report} ({report.get_status_display().lower()}).")


# (what, how, part of the returns)
STEPS = [
    ("Southwark's partnership register and sign-ins", _register(southwark), False),
    ("Lambeth's partnership register and sign-ins", _register(lambeth), False),
    ("Southwark's LADO contacts", lambda demo: lado_demo.load(demo.southwark), False),
    ("Southwark's case reviews", lambda demo: reviews_demo.load(demo.southwark), False),
    ("Southwark's Section 11 audits, multi-agency audit and escalations",
     lambda demo: audits_demo.load(demo.southwark), False),
    ("Southwark's surveys, voice, private fostering and training", lambda demo: registers_demo.load(demo.southwark),
     False),
    ("Lambeth's Section 11 cycle, with a return shared from Southwark's",
     lambda demo: audits_demo.load_neighbour(demo.lambeth, demo.southwark), False),
    ("Southwark's synthetic returns", _returns(southwark), True),
    ("Lambeth's synthetic returns", _returns(lambeth), True),
    ("The published benchmarks", lambda demo: returns.load_benchmarks(dfe=demo.dfe, say=demo.say,
                                                                        verbose=demo.verbose), True),
    ("Southwark's indicators", _indicators(southwark), True),
    ("Lambeth's indicators", _indicators(lambeth), True),
    ("Southwark's 2020-21 yearly report (draft)", _report, True),
    ("Southwark's 2021-22 yearly report, begun after the scrutiny commission", _draft_report, True),
]


def load(demo, *, with_returns=False):
    """Run the steps in order; returns the Demo with the partnerships and their sign-ins."""
    for what, step, is_returns in STEPS:
        if is_returns and not with_returns:
            continue
        if demo.verbose:
            demo.say(f"{what} ...")
        step(demo)
    return demo
