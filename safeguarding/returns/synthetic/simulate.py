"""Simulate the child-level history of one local authority.

The history is built so that each collection year's return, read with the counting definitions in
``counts`` (the contract with the indicator engine), gives exactly the target counts:

* child protection: ICPC dates and plan starts are laid out year by year; plans open at 31 March are
  chosen among the plans carried in and the new ones (exactly the 2+ years count among the old ones);
  the others get end dates in the year (honouring any mid-year checkpoint);
* every S47 hosts a fresh referral a few days before; other referrals fill each year's referral count;
  completed assessments are then balanced per year (NFA <-> assessed, or re-assessments);
* children are assigned to referrals in date order so that exactly the target number are within 12
  months of the same child's previous referral (whose episode is then kept in the same return) and
  second plans go to children with an earlier plan;
* looked-after periods are laid out per year from the in-care population (cease / start / both);
* a return of a later year may revise the past: a CPP end date recorded late (see ``revise_plans``).
"""

import bisect
import random
from datetime import date

from . import calendar as cal
from .factors import NO_FACTORS, allocate, assessments_by_year, shares_for
from .targets import CHECKPOINTS, EFH_TARGETS

ETHNICITIES = (["WBRI"] * 30 + ["BAFR"] * 14 + ["BCRB"] * 8 + ["WOTH"] * 9 + ["MWBC"] * 5 + ["MOTH"] * 5
               + ["AOTH"] * 3 + ["ABAN"] * 2 + ["APKN"] * 2 + ["AIND"] * 2 + ["BOTH"] * 4 + ["MWBA"] * 2
               + ["MWAS"] * 2 + ["CHNE"] * 1 + ["OOTH"] * 3 + ["WIRI"] * 1 + ["WIRT"] * 1 + ["WROM"] * 1
               + ["NOBT"] * 1 + ["REFU"] * 1)
DISABILITIES = ["AUT", "LD", "BEH", "COMM", "MOB", "HEAR", "VIS", "DDA"]
CATEGORIES = ["NEG"] * 48 + ["EMO"] * 38 + ["PHY"] * 7 + ["SAB"] * 4 + ["MUL"] * 3
NEEDS_ASSESSED = ["N1"] * 45 + ["N2"] * 4 + ["N3"] * 3 + ["N4"] * 10 + ["N5"] * 20 + ["N6"] * 3 + ["N7"] * 1 \
    + ["N8"] * 8 + ["N9"] * 6
SOURCE_BASE = (["6"] * 27 + ["2A"] * 18 + ["2B"] * 1 + ["3A"] * 3 + ["3B"] * 2 + ["3C"] * 1 + ["3D"] * 2
               + ["3E"] * 3 + ["3F"] * 4 + ["4"] * 3 + ["5A"] * 5 + ["5B"] * 4 + ["5C"] * 4 + ["1A"] * 5
               + ["1B"] * 1 + ["1C"] * 1 + ["1D"] * 2 + ["7"] * 3 + ["8"] * 6 + ["9"] * 1 + ["10"] * 4)
# Extra-familial harm and the "other vulnerabilities" of the report's figure (indicators.models, which the
# generator cannot import: it runs without Django set up).
EFH_SET = {"10A", "11A", "12A", "13A", "24A"}
VULN_SET = {"16A", "3A", "3B", "3C", "1A", "1B", "1C", "2A", "2B", "2C", "4A", "4B", "4C"}
REC_CEASE = ["E4A"] * 24 + ["E13"] * 8 + ["E4B"] * 3 + ["E41"] * 6 + ["E45"] * 5 + ["E46"] * 3 \
    + ["E47"] * 3 + ["E48"] * 2 + ["E3"] * 2 + ["E8"] * 4 + ["E15"] * 1
REC_AGE_OUT = ["E17"] * 3 + ["E5"] * 5 + ["E8"] * 2
PLACE_CHANGE_REASONS = ["CARPL"] * 30 + ["CHILD"] * 12 + ["LAREQ"] * 15 + ["PLACE"] * 12 + ["CREQB"] * 6 \
    + ["CREQO"] * 5 + ["APPRR"] * 4 + ["STAND"] * 6 + ["ALLEG"] * 2 + ["CLOSE"] * 3 + ["OTHER"] * 5
POSTCODE_AREAS = ["SE1", "SE5", "SE15", "SE16", "SE17", "SE22", "SE21", "SE24", "SE14", "SE8",
                  "BR1", "CR0", "ME4", "TN1", "KT1", "DA1", "E8", "N7", "SW9", "RM1"]


class Child:
    __slots__ = ("idx", "cid", "upn", "dob", "sex", "eth", "dis", "episodes", "n_plans", "prehist",
                 "lac", "periods", "sb")

    def __init__(self, idx, la, dob, rng):
        self.idx = idx
        self.cid = "%s%07d" % (la, idx)
        self.upn = make_upn(la, idx)
        self.dob = dob
        self.sex = 1 if rng.random() < 0.51 else 2
        self.eth = rng.choice(ETHNICITIES)
        r = rng.random()
        self.dis = [] if r < 0.88 else [rng.choice(DISABILITIES)]
        self.episodes = []
        self.n_plans = 0
        self.prehist = 0
        self.lac = False
        self.periods = []
        self.sb = None


class Episode:
    __slots__ = ("child", "ref", "src", "need", "close", "reason", "kind", "assess", "s47", "plans",
                 "year")

    def __init__(self, ref, kind):
        self.child = None
        self.ref = ref
        self.kind = kind  # plan, icpc, s47, nfa, nin, cin, legacy
        self.close = None
        self.reason = None
        self.assess = []  # [start, auth, factors]
        self.s47 = []  # [start, target, icpc, icpc_in_cin, icpc_not_required]
        self.plans = []
        self.src = None
        self.need = None
        self.year = cal.collection_year(ref)


class Plan:
    __slots__ = ("start", "end", "end_vis", "cat0", "cat1", "p2", "nprev", "ep", "reviews")

    def __init__(self, start, rng):
        self.start = start
        self.end = None
        self.end_vis = None  # first return year showing the end date (None: its own year)
        self.cat0 = rng.choice(CATEGORIES)
        self.cat1 = self.cat0 if rng.random() < 0.9 else rng.choice(CATEGORIES)
        self.p2 = False
        self.nprev = 0
        self.ep = None
        self.reviews = []


UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


_W = tuple(range(2, 14))


def upn_check_letter(digits12):
    total = sum(map(int.__mul__, map(int, digits12), _W))
    return UPN_LETTERS[total % 23]


def make_upn(la, idx):
    digits = ("%03d" % (int(la) % 1000 if la.isdigit() else 999)) + "%09d" % ((idx * 7919 + 104729) % 10**9)
    return upn_check_letter(digits) + digits


class Period:
    """One period of care: a list of 903 episodes [decom, rne, ls, place, prov, dec, rec, rpc, urn, home, pl]."""
    __slots__ = ("child", "start", "end", "rec", "episodes", "first_ls", "kind")

    def __init__(self, start, end=None, rec=None, kind="normal"):
        self.child = None
        self.start = start
        self.end = end
        self.rec = rec
        self.episodes = []
        self.first_ls = None
        self.kind = kind


class History:
    def __init__(self, la, years, targets, rng, scale=1.0):
        self.la = la
        self.years = list(years)  # simulated collection years (including warm-up)
        self.t = targets
        self.rng = rng
        self.scale = scale
        self.children = []
        self.episodes = []
        self.plans = []
        self.periods = []
        self.first = self.years[0]
        self.last = self.years[-1]
        self.horizon = cal.year_end(self.last)
        self.begin = cal.year_start(self.first)

    # ------------------------------------------------------------------ helpers
    def new_child(self, dob):
        c = Child(len(self.children), self.la, dob, self.rng)
        self.children.append(c)
        return c

    def rand_date(self, a, b, weekday=True):
        rng = self.rng
        o = rng.randint(a, b)
        if weekday:
            wd = (o + 6) % 7  # 0 = Monday ... (date.fromordinal(1) is a Monday)
            if wd >= 5 and rng.random() < 0.85:
                o2 = o + (7 - wd) if rng.random() < 0.5 else o - (wd - 4)
                if a <= o2 <= b:
                    o = o2
        return o

    def working_date(self, a, b):
        o = self.rng.randint(a, b)
        step = 1 if self.rng.random() < 0.5 else -1
        while not cal.is_working_day(o):
            o += step
            if o > b or o < a:
                step = -step
                o = min(max(o, a), b)
        return o

    def child_age_dob(self, at, lo=0, hi=17):
        rng = self.rng
        r = rng.random()
        if r < 0.08:
            age = 0
        elif r < 0.28:
            age = rng.randint(1, 4)
        elif r < 0.53:
            age = rng.randint(5, 9)
        elif r < 0.88:
            age = rng.randint(10, 15)
        else:
            age = rng.randint(16, 17)
        age = max(lo, min(hi, age))
        return at - age * 365 - rng.randint(0, 364) - 1

    # ------------------------------------------------------------------ CP chain
    def build_cp_chain(self):
        rng = self.rng
        t0 = self.t[self.first]
        prev_o = t0["O"]
        ys0 = cal.year_start(self.first)
        # plans open at the start, with ages that give the 2+ years count in the first year
        carried = []
        n_old = min(prev_o, t0["O2"] + max(2, int(0.16 * prev_o)))
        for i in range(prev_o):
            if i < n_old:
                start = rng.randint(ys0 - 3 * 365, ys0 - 367)
            else:
                start = rng.randint(ys0 - 364, ys0 - 1)
            p = Plan(start, rng)
            carried.append(p)
        self.plans.extend(carried)
        self.icpcs = []  # (date, plan or None)
        for y in self.years:
            t = self.t[y]
            nxt = self.t.get(y + 1)
            ys, ye = cal.year_start(y), cal.year_end(y)
            n_p = t["P"]
            n_i = max(t["I"], n_p)
            dates = sorted(self.working_date(ys, ye) for _ in range(n_i))
            plan_pos = set(rng.sample(range(n_i), n_p))
            new = []
            for i, d in enumerate(dates):
                if i in plan_pos:
                    p = Plan(d, rng)
                    new.append(p)
                    self.icpcs.append((d, p))
                else:
                    self.icpcs.append((d, None))
            for p in rng.sample(new, min(t["P2"], len(new))):
                p.p2 = True
            self.plans.extend(new)
            # revisions: plans open at 31 March last year that this return shows as ended before it
            if t.get("E") is not None:
                delta = len(carried) - (t["O"] - n_p + t["E"])
                if delta > 0:
                    cand = [p for p in carried if p.start > cal.year_end(y - 2) and p.start < ys - 30]
                    for p in rng.sample(cand, min(delta, len(cand))):
                        p.end = rng.randint(max(p.start + 20, ys - 21), ys - 1)
                        p.end_vis = y
                        carried.remove(p)
            old = [p for p in carried if p.start <= cal.year_end(y - 2)]
            nonold = [p for p in carried if p.start > cal.year_end(y - 2)]
            target_o = t["O"]
            n_old = min(t["O2"], len(old), target_o)
            n1 = t.get("O12")
            if n1 is None:
                n1 = int(round(0.17 * target_o))
            need_next = (nxt["O2"] if nxt else 0) + 2
            n1 = max(n1, need_next - n_old)
            n1 = max(n1, target_o - n_old - n_p)
            n1 = min(n1, len(nonold), target_o - n_old)
            n1 = max(n1, 0)
            n_new = max(0, min(n_p, target_o - n_old - n1))
            surv = set(map(id, rng.sample(old, n_old)))
            surv.update(map(id, rng.sample(nonold, n1)))
            # new plans surviving: by recency (and by the published duration bands if any)
            chosen = self.pick_new_survivors(new, n_new, t, ye)
            surv.update(map(id, chosen))
            ending = [p for p in carried + new if id(p) not in surv]
            self.assign_ends(ending, y, ys, ye, carried, new)
            carried = [p for p in carried + new if id(p) in surv]

    def pick_new_survivors(self, new, n, t, ye):
        rng = self.rng
        if n <= 0:
            return []
        bands = [(ye - 91, ye, t.get("B3")), (ye - 182, ye - 92, t.get("B6")), (None, ye - 183, t.get("B12"))]
        chosen = []
        left = list(new)
        if all(b[2] is not None for b in bands) and self.scale == 1.0:
            for lo, hi, k in bands:
                pool = [p for p in left if (lo is None or p.start >= lo) and p.start <= hi]
                take = rng.sample(pool, min(k, len(pool), n - len(chosen)))
                chosen.extend(take)
                ids = set(map(id, take))
                left = [p for p in left if id(p) not in ids]
        if len(chosen) < n:
            keyed = sorted(left, key=lambda p: -(rng.random() ** (1.0 / (0.05 + ((p.start - ye + 365) / 365.0) ** 2))))
            chosen.extend(keyed[: n - len(chosen)])
        return chosen[:n]

    def assign_ends(self, ending, y, ys, ye, carried, new):
        rng = self.rng
        checkpoints = CHECKPOINTS.get((self.la, y), [])
        early_ids = None
        if checkpoints:
            (cy, cm, cd), target = checkpoints[0]
            d = date(cy, cm, cd).toordinal()
            target = int(round(target * self.scale))
            starts_le = sum(1 for p in new if p.start <= d)
            need_early = len(carried) + starts_le - target
            cand = [p for p in ending if p.start < d]
            cand.sort(key=lambda p: (p in new, p.start + rng.randint(0, 60)))
            need_early = max(0, min(need_early, len(cand)))
            early = cand[:need_early]
            early_ids = set(map(id, early))
            for p in ending:
                if id(p) in early_ids:
                    lo = max(ys, p.start + min(30, max(1, (d - p.start) // 2)))
                    p.end = rng.randint(min(lo, d), d)
                else:
                    lo = max(d + 1, p.start + 1, ys)
                    if p.start < d:
                        lo = max(lo, p.start + 30) if p.start + 30 <= ye else lo
                    p.end = rng.randint(lo, ye)
            return
        for p in ending:
            if p.start < ys:
                lo = max(ys, p.start + 30)
            else:
                lo = p.start + min(40, max(1, (ye - p.start) // 2))
            p.end = rng.randint(min(lo, ye), ye)

    def finish_plans(self):
        rng = self.rng
        for p in self.plans:
            last = p.end if p.end is not None else self.horizon
            r = []
            d = p.start + 84 + rng.randint(-5, 12)
            while d <= last:
                r.append(d)
                d += 180 + rng.randint(-10, 15)
            p.reviews = r

    # ------------------------------------------------------------------ episodes
    def build_episodes(self):
        rng = self.rng
        eps = []
        # legacy plans (open before the first year): their episodes started before
        s47_by_year = {}
        for d, p in self.icpcs:
            delay = rng.randint(2, 15) if rng.random() < 0.86 else rng.randint(16, 35)
            s = cal.add_working_days(d, -delay)
            ref = s - rng.choice((0, 0, 0, 0, 1, 1, 2, 3, 4, 7, 10))
            e = Episode(ref, "plan" if p else "icpc")
            e.s47.append([s, cal.add_working_days(s, 15), d, rng.random() < 0.97, 0])
            if p:
                e.plans.append(p)
                p.ep = e
            eps.append(e)
            y = cal.collection_year(s)
            s47_by_year[y] = s47_by_year.get(y, 0) + 1
        for p in self.plans:
            if p.ep is None:  # plans open at the start of the history
                s = cal.add_working_days(p.start, -rng.randint(3, 15))
                e = Episode(s - rng.randint(0, 5), "plan")
                e.s47.append([s, cal.add_working_days(s, 15), p.start, True, 0])
                e.plans.append(p)
                p.ep = e
                eps.append(e)
        for y in self.years:
            ys, ye = cal.year_start(y), cal.year_end(y)
            extra = self.t[y]["S"] - s47_by_year.get(y, 0)
            for _ in range(max(0, extra)):
                s = self.rand_date(ys, ye)
                ref = max(ys, s - rng.choice((0, 0, 0, 1, 1, 2, 3, 5)))
                e = Episode(ref, "s47")
                e.s47.append([s, cal.add_working_days(s, 15), None, False, 1])
                eps.append(e)
        # other referrals
        ref_by_year = {}
        for e in eps:
            ref_by_year[e.year] = ref_by_year.get(e.year, 0) + 1
        for y in self.years:
            t = self.t[y]
            ys, ye = cal.year_start(y), cal.year_end(y)
            n = t["R"] - ref_by_year.get(y, 0)
            q_nfa = 0.07 if t.get("NFA") is None else min(0.4, t["NFA"] / max(1, t["R"]))
            for _ in range(max(0, n)):
                r = rng.random()
                kind = "nfa" if r < q_nfa else ("nin" if r < q_nfa + 0.42 else "cin")
                eps.append(Episode(self.rand_date(ys, ye), kind))
        # assessments and closures
        for e in eps:
            self.shape_episode(e)
        self.episodes = eps
        self.balance_assessments()

    def assessment_for(self, start):
        rng = self.rng
        wd = rng.randint(4, 45) if rng.random() < 0.87 else rng.randint(46, 95)
        if wd < 45 and rng.random() < 0.5:
            wd = rng.randint(15, 44)
        return [start, cal.add_working_days(start, wd), []]

    def shape_episode(self, e):
        rng = self.rng
        k = e.kind
        if k == "nfa":
            e.close = e.ref + rng.choice((0, 0, 1, 2, 3, 5, 7))
            e.reason = "RC7"
            return
        a = self.assessment_for(e.ref + rng.choice((0, 0, 1, 1, 2, 3)))
        e.assess = [a]
        auth = a[1]
        if k == "plan":
            p = e.plans[0]
            if p.end is None:
                e.close = None
            else:
                after = 0 if rng.random() < 0.3 else rng.randint(20, 320)
                e.close = max(p.end, auth) + after
            e.reason = "RC7"
        elif k == "icpc":
            e.close = max(auth, e.s47[0][2]) + rng.randint(20, 260)
            e.reason = "RC7"
        elif k == "s47":
            if rng.random() < 0.45:
                e.close = max(auth, e.s47[0][0] + 10)
                e.reason = "RC7"
            else:
                e.close = max(auth, e.s47[0][0] + 10) + rng.randint(20, 300)
                e.reason = "RC7"
        elif k == "nin":
            e.close = auth
            e.reason = "RC8"
        else:  # cin
            e.close = auth + rng.randint(30, 420)
            e.reason = "RC7"
        if e.close is not None and e.close > self.horizon + 400:
            e.close = None

    def balance_assessments(self):
        rng = self.rng
        count = {}
        for e in self.episodes:
            for a in e.assess:
                y = cal.collection_year(a[1])
                count[y] = count.get(y, 0) + 1
        by_year = {}
        for e in self.episodes:
            by_year.setdefault(e.year, []).append(e)
        for y in self.years:
            ys, ye = cal.year_start(y), cal.year_end(y)
            diff = self.t[y]["A"] - count.get(y, 0)
            mine = by_year.get(y, [])
            if diff < 0:
                cand = [e for e in mine if e.kind in ("nin", "cin") and ys <= e.assess[0][1] <= ye]
                for e in rng.sample(cand, min(-diff, len(cand))):
                    e.kind = "nfa"
                    e.assess = []
                    e.close = e.ref + rng.choice((0, 1, 2, 3, 5))
                    e.reason = "RC7"
            elif diff > 0:
                cand = [e for e in mine if e.kind == "nfa"]
                rng.shuffle(cand)
                for e in cand:
                    if diff <= 0:
                        break
                    a = self.assessment_for(e.ref + rng.choice((0, 1, 2)))
                    if ys <= a[1] <= ye:
                        e.kind = "nin"
                        e.assess = [a]
                        e.close = a[1]
                        diff -= 1
                if diff > 0:
                    # re-assessments in long episodes open during the year
                    cand = [e for e in self.episodes if e.kind in ("cin", "plan", "icpc") and e.assess
                            and e.assess[-1][1] < ye - 70 and (e.close is None or e.close > max(ys, e.assess[-1][1]) + 40)]
                    rng.shuffle(cand)
                    for e in cand:
                        if diff <= 0:
                            break
                        lo = max(ys, e.assess[-1][1] + 1)
                        hi = min(ye, e.close if e.close is not None else ye) - 35
                        if hi <= lo:
                            continue
                        s = rng.randint(lo, hi)
                        wd = rng.randint(5, 20)
                        auth = cal.add_working_days(s, wd)
                        if auth > ye or (e.close is not None and auth > e.close):
                            continue
                        e.assess.append([s, auth, []])
                        diff -= 1

    # ------------------------------------------------------------------ children
    def assign_children(self):
        rng = self.rng
        eps = sorted(self.episodes, key=lambda e: (e.ref, e.kind))
        rr_left = {y: self.t[y]["RR"] for y in self.years}
        tot_left = {}
        for e in eps:
            if e.year in rr_left:
                tot_left[e.year] = tot_left.get(e.year, 0) + 1
        recent_dates = []  # referral dates in order
        recent_children = []
        for e in eps:
            r = e.ref
            y = e.year
            plan = e.plans[0] if e.plans else None
            need_hist = plan is not None and plan.p2
            need_clean = plan is not None and not plan.p2
            want_rr = False
            if y in rr_left and tot_left[y] > 0:
                want_rr = rng.random() * tot_left[y] < rr_left[y]
            ys = cal.year_start(y)
            child = None
            lo_d = cal.minus_months(r, 12) + 3
            hi_d = r - 10
            if want_rr:
                lo = bisect.bisect_left(recent_dates, lo_d)
                hi = bisect.bisect_right(recent_dates, hi_d)
                child = self._pick(recent_children, recent_dates, lo, hi, r, ys, need_hist, need_clean, True)
            if child is None:
                # not a re-referral: a new child, or one whose last referral is over a year ago
                old_hi = bisect.bisect_right(recent_dates, cal.minus_months(r, 12) - 5)
                if need_hist or (not need_clean and rng.random() < 0.12 and old_hi > 0):
                    child = self._pick(recent_children, recent_dates, max(0, old_hi - 4000), old_hi, r, ys,
                                       need_hist, need_clean, False)
                if child is None:
                    child = self.new_child(self.child_age_dob(r))
                    if need_hist:
                        child.prehist = rng.choice((1, 1, 1, 2))
                was_rr = False
            else:
                was_rr = True
                prev = child.episodes[-1]
                if prev.ref < ys and prev.close is not None and prev.close < ys:
                    prev.close = rng.randint(ys, r - 1)
                    prev.reason = "RC7"
            if y in rr_left:
                tot_left[y] -= 1
                if was_rr:
                    rr_left[y] -= 1
            e.child = child
            child.episodes.append(e)
            if plan is not None:
                plan.nprev = child.prehist + child.n_plans
                child.n_plans += 1
            recent_dates.append(r)
            recent_children.append(child)

    def _pick(self, children, dates, lo, hi, r, ys, need_hist, need_clean, rr):
        if hi <= lo:
            return None
        rng = self.rng
        tries = 25 if not need_hist else 80
        for _ in range(tries):
            i = rng.randrange(lo, hi)
            c = children[i]
            last = c.episodes[-1]
            if last.ref != dates[i]:
                continue
            if last.close is None or last.close >= r:
                continue
            if rr and last.ref < ys and (r <= ys or last.kind == "nfa"):
                continue
            if need_hist and c.prehist + c.n_plans == 0:
                continue
            if need_clean and c.prehist + c.n_plans > 0:
                continue
            if r - c.dob > 17 * 365 + 300:
                continue
            return c
        return None

    # ------------------------------------------------------------------ looked after children
    def build_lac(self):
        rng = self.rng
        first = self.first
        t0 = self.t[first]
        ys0 = cal.year_start(first)
        # who is in care at the start: children with a legacy CIN episode
        in_care = []
        for _ in range(t0["L"]):
            start = ys0 - 1 - int(rng.random() ** 1.6 * 8 * 365)
            c = self.new_child(self.child_age_dob(start, 0, 14))
            while cal.add_years(c.dob, 18) <= ys0 + 30:
                c.dob += 365
            start = max(start, c.dob + 30)
            e = Episode(max(start - rng.randint(30, 400), c.dob), "legacy")
            e.assess = [[e.ref + 1, e.ref + 25, []]]
            e.child = c
            c.episodes.append(e)
            self.episodes.append(e)
            per = Period(start)
            per.child = c
            c.periods.append(per)
            c.lac = True
            in_care.append(per)
            self.periods.append(per)
        self._cand_eps = sorted((e for e in self.episodes if e.kind in ("plan", "icpc", "cin", "s47")),
                                key=lambda e: e.ref)
        self._cand_refs = [e.ref for e in self._cand_eps]
        for y in self.years:
            t = self.t[y]
            ys, ye = cal.year_start(y), cal.year_end(y)
            L, LS, LC = t["L"], t["LS"], t["LC"]
            k = L - (len(in_care) + LS - LC)
            m = abs(k)
            c = int(round(0.22 * LS))
            c = max(0, min(c, LS - m, LC - m))
            b = LS - c - m
            a = LC - c - m
            if b < 0 or a < 0:
                m = 0
                k = 0
                b = max(0, LS - c)
                a = max(0, LC - c)
            # carried who cease
            age_out = [p for p in in_care if cal.add_years(p.child.dob, 18) <= ye + 1]
            others = [p for p in in_care if cal.add_years(p.child.dob, 18) > ye + 1]
            rng.shuffle(others)
            n_cease_total = a + (m if k < 0 else 0)
            ceasing = age_out + others[: max(0, n_cease_total - len(age_out))]
            stay = others[max(0, n_cease_total - len(age_out)):]
            double = ceasing[len(age_out):][: (m if k < 0 else 0)] if k < 0 else []
            double_ids = set(map(id, double))
            for p in ceasing:
                bd18 = cal.add_years(p.child.dob, 18)
                if id(p) in double_ids:
                    d1 = rng.randint(max(ys, p.start + 14), ye - 120)
                    p.end, p.rec = d1, rng.choice(("E4A", "E13"))
                    s2 = d1 + rng.randint(14, 60)
                    p2 = Period(s2, rng.randint(s2 + 7, ye), rng.choice(("E4A", "E13", "E41")))
                    p2.child = p.child
                    p.child.periods.append(p2)
                    self.periods.append(p2)
                    continue
                if bd18 <= ye:
                    p.end = max(bd18, ys)
                    p.rec = rng.choice(REC_AGE_OUT)
                    continue
                if bd18 == ye + 1:
                    p.end = ye
                    p.rec = rng.choice(("E5", "E8"))
                    continue
                lo = max(ys, p.start + 1)
                p.end = rng.randint(min(lo, ye), ye)
                p.rec = rng.choice(REC_CEASE)
            new_in = []
            for _ in range(b):
                s = self.rand_date(ys, ye)
                per = self.start_period(s, ye + 400)
                if per:
                    new_in.append(per)
            for _ in range(c):
                s = self.rand_date(ys, ye - 10)
                per = self.start_period(s, ye)
                if per:
                    per.end = rng.randint(s + 3, min(ye, s + 150))
                    per.rec = rng.choice(REC_CEASE)
            if k > 0:
                for _ in range(m):
                    s = self.rand_date(ys, ye - 140)
                    per = self.start_period(s, ye + 400)
                    if per:
                        per.end = s + rng.randint(7, 60)
                        per.rec = rng.choice(("E4A", "E13", "E4B"))
                        s2 = per.end + rng.randint(10, 60)
                        p2 = Period(s2)
                        p2.child = per.child
                        per.child.periods.append(p2)
                        self.periods.append(p2)
                        new_in.append(p2)
            in_care = stay + new_in
        # short breaks: a separate small group of disabled children
        n_sb = max(1, int(round(0.03 * t0["L"])))
        for i in range(n_sb):
            c = self.new_child(self.begin - rng.randint(5 * 365, 11 * 365))
            c.dis = ["AUT"] if i % 2 else ["LD"]
            c.sb = True
            d = self.begin + rng.randint(0, 60)
            while d < self.horizon - 10 and d < cal.add_years(c.dob, 18) - 10:
                per = Period(d, d + rng.randint(1, 4), "E13", kind="short")
                per.child = c
                c.periods.append(per)
                self.periods.append(per)
                d = per.end + rng.randint(25, 120)
        self.finish_lac()

    def start_period(self, s, must_be_young_until):
        """A period of care starting on s for a child with a CIN episode open then."""
        rng = self.rng
        refs = self._cand_refs
        lo = bisect.bisect_left(refs, s - 540)
        hi = bisect.bisect_right(refs, s - 7)
        child = None
        for attempt in range(120):
            if hi <= lo:
                break
            e = self._cand_eps[rng.randrange(lo, hi)]
            c = e.child
            if c is None or c.lac or c.episodes[-1] is not e:
                continue
            if attempt < 80 and e.close is not None and e.close < s:
                continue
            if cal.add_years(c.dob, 18) <= must_be_young_until or s <= c.dob:
                continue
            child = c
            break
        if child is None:
            return None
        child.lac = True
        per = Period(s)
        per.child = child
        child.periods.append(per)
        self.periods.append(per)
        return per

    def finish_lac(self):
        rng = self.rng
        for c in self.children:
            if not c.periods or c.sb:
                continue
            c.periods.sort(key=lambda p: p.start)
            e = c.episodes[-1]
            ends = [p.end for p in c.periods]
            if any(x is None for x in ends):
                e.close = None
            else:
                last = max(ends)
                close = last + rng.randint(0, 60)
                # The episode of a child in care before the history began has no other end: without this it
                # stayed open for ever, and children born in 1995 were still in the 2021 return (DfE rule 8775Q).
                if e.close is not None or e.kind == "legacy":
                    e.close = None if close > self.horizon + 200 else max(close, e.close or close)
                if e.close is not None:
                    rec = c.periods[-1].rec
                    e.reason = {"E41": "RC3", "E45": "RC4", "E46": "RC4", "E47": "RC4", "E48": "RC4",
                                "E3": "RC5", "E5": "RC6"}.get(rec, "RC7")
            # a looked-after child's plan ends when they become looked after
        for per in self.periods:
            self.build_period_episodes(per)

    def build_period_episodes(self, per):
        rng = self.rng
        c = per.child
        home = "%s %d%s%s" % (rng.choice(POSTCODE_AREAS[:10]), rng.randint(1, 9),
                              rng.choice("ABDEFGHJLNPQRSTUWXYZ"), rng.choice("ABDEFGHJLNPQRSTUWXYZ"))
        if per.kind == "short":
            per.episodes = [[per.start, "S", "V3", "U6", "PR1", per.end, per.rec, None, "", "", ""]]
            return
        end = per.end if per.end is not None else self.horizon + 500
        length = end - per.start
        n_changes = 0
        r = rng.random()
        if length > 60:
            n_changes = 0 if r < 0.5 else 1 if r < 0.78 else 2 if r < 0.92 else 3
            n_changes = min(n_changes, length // 45)
        cuts = sorted(rng.sample(range(per.start + 20, end - 20), n_changes)) if n_changes else []
        bounds = [per.start] + cuts + [end]
        ls = rng.choice(["V2"] * 42 + ["C2"] * 25 + ["C1"] * 28)
        per.first_ls = ls
        age16 = cal.add_years(c.dob, 16)
        eps = []
        place = None
        for i in range(len(bounds) - 1):
            decom, dec = bounds[i], bounds[i + 1]
            if i == 0:
                rne = "S"
            else:
                rne = rng.choice(["P"] * 78 + ["L"] * 22)
            if rne in ("L", "T"):
                ls = {"C1": "C2", "V2": "C1", "J2": "V2", "L2": "V2", "C2": "C2"}.get(ls, "C2")
                if rne == "L" and ls == eps[-1][2]:
                    rne = "P"
            last = i == len(bounds) - 2
            if rne != "L" or place is None:
                place = self.choose_place(decom >= age16, ls, previous=place)
                if last and per.rec in ("E45", "E46", "E47", "E48", "E17") and place[0] != "U":
                    place = "U4" if place != "U4" else "U5"
                prov = self.provider(place)
                urn = "SC%06d" % rng.randint(10000, 999999) if place == "K2" else "XXXXXXX"
                pl_post = "%s %d%s%s" % (rng.choice(POSTCODE_AREAS), rng.randint(1, 9),
                                         rng.choice("ABDEFGHJLNPQRSTUWXYZ"), rng.choice("ABDEFGHJLNPQRSTUWXYZ"))
                if place == "P1":
                    pl_post = home
            ep = [decom, rne, ls, place, prov, dec if (not last or per.end is not None) else None,
                  per.rec if last else "X1", None, urn, home, pl_post]
            if i > 0 and rne in ("P", "T"):
                eps[-1][7] = rng.choice(PLACE_CHANGE_REASONS)
            eps.append(ep)
        per.episodes = eps

    def choose_place(self, over16, ls, previous=None):
        rng = self.rng
        opts = ["U4"] * 34 + ["U5"] * 12 + ["U6"] * 10 + ["U1"] * 8 + ["U2"] * 3 + ["U3"] * 4 + ["K2"] * 9 \
            + ["R1"] * 1
        if over16:
            opts += ["H5"] * 12
        if ls in ("C1", "C2"):
            opts += ["P1"] * 3
        for _ in range(5):
            p = rng.choice(opts)
            if p != previous:
                return p
        return p

    def provider(self, place):
        rng = self.rng
        if place == "P1":
            return "PR0"
        if place in ("U1", "U2", "U3"):
            return "PR1"
        if place in ("U4", "U5", "U6"):
            return "PR1" if rng.random() < 0.6 else "PR4"
        if place in ("K2", "H5"):
            return rng.choice(("PR1", "PR4", "PR4", "PR5"))
        return "PR3"

    # ------------------------------------------------------------------ factors, sources, EFH
    def decorate(self, shares):
        rng = self.rng
        # Who referred comes first: the factors are then drawn with it (domestic abuse for the police's referrals).
        for e in self.episodes:
            e.src = rng.choice(SOURCE_BASE + ["6"] * 8) if e.s47 else rng.choice(SOURCE_BASE)
        for year, items in sorted(assessments_by_year(self.episodes).items()):
            allocate(items, shares_for(shares, year), rng)
        efh = EFH_TARGETS.get(self.la)
        if efh:
            (a, b, n, nv) = efh
            self.place_efh(date(*a).toordinal(), date(*b).toordinal(), int(round(n * self.scale)),
                           int(round(nv * self.scale)))
        for e in self.episodes:
            if e.kind in ("plan", "icpc", "s47"):
                e.need = "N1" if rng.random() < 0.85 else rng.choice(NEEDS_ASSESSED)
            elif e.kind == "nfa":
                e.need = "N9" if rng.random() < 0.5 else "N0"
            elif e.kind == "nin":
                e.need = "N9"
            else:
                e.need = rng.choice(NEEDS_ASSESSED)

    def place_efh(self, a, b, n, nv):
        """Exactly ``n`` children whose assessments completed in [a, b] found extra-familial harm, ``nv`` of them
        with another vulnerability in that period (the report's 1,372 and 87%).

        The extra-familial harm codes the published shares gave the period's assessments are taken off and put
        back on the chosen children's assessments of the same collection year, so each year's count of each
        code stays as published: the children with another vulnerability are chosen among those who have one,
        the others among those who have none, teenagers first.
        """
        rng = self.rng
        self.efh_unplaced = 0  # codes with nowhere to go (none at scale 1 for Southwark)
        mine = {}  # child -> [assessment] completed in the window
        codes = {}  # collection year -> the extra-familial harm codes drawn for the window's assessments
        for e in self.episodes:
            for asm in e.assess:
                if a <= asm[1] <= b:
                    mine.setdefault(e.child, []).append(asm)
                    year = cal.collection_year(asm[1])
                    for code in asm[2]:
                        if code in EFH_SET:
                            codes.setdefault(year, []).append(code)
                    asm[2][:] = [x for x in asm[2] if x not in EFH_SET] or [NO_FACTORS]
        for year in codes:
            rng.shuffle(codes[year])
        vulnerable, others = [], []
        for child in sorted(mine, key=lambda c: c.idx):
            found = any(set(asm[2]) & VULN_SET for asm in mine[child])
            (vulnerable if found else others).append(child)

        def older_first(children):
            rng.shuffle(children)
            return sorted(children, key=lambda c: max(asm[1] - c.dob for asm in mine[c]) < 11 * 365)

        room = {year: len(found) for year, found in codes.items()}
        chosen = []  # (child, first assessment to carry the harm)
        for pool, want in ((older_first(vulnerable), nv), (older_first(others), n - nv)):
            got = 0
            for child in pool:
                if got == want:
                    break
                fits = [asm for asm in mine[child] if room.get(cal.collection_year(asm[1]), 0) > 0]
                if not fits:
                    continue
                asm = max(fits, key=lambda x: x[1] - child.dob)
                room[cal.collection_year(asm[1])] -= 1
                chosen.append((child, asm))
                got += 1
        for child, asm in chosen:
            put(asm, codes[cal.collection_year(asm[1])].pop())
        # the rest of each year's codes: on the chosen children's assessments of that year (missing and
        # exploitation are often found together), so no further child is counted
        by_year = {}
        for child, _ in chosen:
            for asm in mine[child]:
                by_year.setdefault(cal.collection_year(asm[1]), []).append(asm)
        for year, left in codes.items():
            hosts = by_year.get(year, [])
            for code in left:
                host = rng.choice(hosts) if hosts else None
                if host is None or code in host[2]:
                    free = [asm for asm in hosts if code not in asm[2]]
                    host = rng.choice(free) if free else None
                if host is None:
                    self.efh_unplaced += 1
                else:
                    put(host, code)


def put(asm, code):
    """Add a factor to an assessment's list, which then no longer says "no factors identified"."""
    if NO_FACTORS in asm[2]:
        asm[2].remove(NO_FACTORS)
    if code not in asm[2]:
        asm[2].append(code)


def simulate(la, years, targets, seed, scale=1.0, shares=None):
    """Build the full history for authority ``la`` over simulated collection ``years``; ``shares`` are the
    published assessment factor shares by year (``factors.published_shares``)."""
    rng = random.Random("%s|%s|%s" % (seed, la, scale))
    h = History(la, years, targets, rng, scale)
    h.build_cp_chain()
    h.finish_plans()
    h.build_episodes()
    h.assign_children()
    h.build_lac()
    h.decorate(shares or {})
    return h
