"""Fitting the monthly stock-and-flow (Markov) model and simulating it forward.

Per kind (looked after; on a plan) and state (age band, and placement type for those looked after):
- each month a child in state i moves to state j, or leaves, with probabilities P[i] estimated from the window's
  monthly moves (ageing into the next band is one of those moves, counted as it happened);
- children arrive in state j at a rate of λ[j] a month (the window's arrivals ÷ its months);
- both follow the year's calendar: the chance of leaving and the number arriving in April, May, … are those rates
  times the window's own factor for that month of the year (plans, above all, end in a rush before 31 March: an
  average month's rate started from 31 March carries the stock up, ADR 0029).
Intervals come from simulation: each run draws its own rates from what the window's counts allow (a Dirichlet for
each row of P, a Gamma for each λ: the uncertainty of the estimate), lets the rate of arrivals drift from year to
year as much as the window's years did, then draws each month's moves (multinomial) and arrivals (Poisson).
Seeded: the same inputs and seed give the same figures (ADR 0029).
"""
import datetime
from dataclasses import dataclass, field

import numpy as np

from safeguarding.forecast.engine.counts import month_end
from safeguarding.forecast.engine.states import CP, LAC, STATES, group_of

DEFAULT_SEED = 20260401
DEFAULT_RUNS = 1000
QUANTILES = {"low95": 0.025, "low80": 0.10, "median": 0.5, "high80": 0.90, "high95": 0.975}
MAX_HORIZON = 48
# Prior added to every observed move out of a state: a state seen rarely keeps most of its children.
PRIOR_STAY = 1.0
PRIOR_MOVE = 0.05
# The most a run's yearly rates may spread (sd of the log rate; 0.5: a rate 1.6 or 0.6 times the year before's at
# one sd). Set once, not tuned: with two or three years the drawn variance has a tail that would run off.
MAX_SPREAD = 0.5


@dataclass
class Rates:
    """The fitted rates of one kind: moves[i] counts of moves out of state i (last column: leaving), arrivals[j]
    the count of arrivals in j over `months` months; yearly_arrivals per window year (for the drift)."""
    kind: str
    states: list
    moves: np.ndarray
    arrivals: np.ndarray
    months: int
    yearly_arrivals: list
    yearly_leaving: list = field(default_factory=list)  # (children leaving, child-months) per window year
    # Per month of the collection year (0: April … 11: March): [children leaving, child-months, arrivals, months].
    by_month: np.ndarray = field(default_factory=lambda: np.zeros((12, 4)))

    @property
    def transition(self):
        totals = self.moves.sum(axis=1, keepdims=True)
        return np.divide(self.moves, totals, out=np.zeros_like(self.moves), where=totals > 0)

    @property
    def arrival_rate(self):
        return self.arrivals / max(self.months, 1)

    def seasons(self):
        """(leaving, arrivals): each month of the year's rate ÷ the window's average (1 where the window has no
        such month, or nobody left or arrived in the window)."""
        left, child_months, arrived, months = self.by_month.T
        overall_leaving = left.sum() / child_months.sum() if child_months.sum() and left.sum() else 0
        overall_arrivals = arrived.sum() / months.sum() if months.sum() and arrived.sum() else 0
        leaving = np.ones(12)
        arrivals = np.ones(12)
        for k in range(12):
            if overall_leaving and child_months[k]:
                leaving[k] = left[k] / child_months[k] / overall_leaving
            if overall_arrivals and months[k]:
                arrivals[k] = arrived[k] / months[k] / overall_arrivals
        return leaving, arrivals


def fit(counts, kind, window):
    """Rates of one kind from an authority's Counts over the window's collection years (a list)."""
    states = STATES[kind]
    index = {s: i for i, s in enumerate(states)}
    n = len(states)
    moves = np.zeros((n, n + 1))
    arrivals = np.zeros(n)
    months = 0
    yearly, leaving = [], []
    by_month = np.zeros((12, 4))
    for year in window:
        year_arrivals, year_left, year_months = 0, 0, 0
        for k in range(1, 13):
            month = counts.moves[kind].get((year, k))
            if month is None:
                continue
            months += 1
            by_month[k - 1, 3] += 1
            for (origin, to), number in month.items():
                if origin is None and to is not None:
                    arrivals[index[to]] += number
                    year_arrivals += number
                    by_month[k - 1, 2] += number
                elif origin is not None:
                    moves[index[origin], n if to is None else index[to]] += number
                    year_months += number
                    year_left += number if to is None else 0
                    by_month[k - 1, 1] += number
                    by_month[k - 1, 0] += number if to is None else 0
        yearly.append(year_arrivals)
        leaving.append((year_left, year_months))
    return Rates(kind, states, moves, arrivals, months, yearly, leaving, by_month)


@dataclass
class Scenario:
    """What a user changes: arrivals multiplied (0.9: 10% fewer), weekly cost of a placement type (£)."""
    arrivals: dict = field(default_factory=lambda: {LAC: 1.0, CP: 1.0})
    weekly_cost: dict = field(default_factory=dict)


@dataclass
class Path:
    """One kind's simulated months: runs × months × states."""
    kind: str
    states: list
    days: list
    runs: np.ndarray

    def totals(self):
        return self.runs.sum(axis=2)

    def by(self, select):
        """Runs × months summed over the states `select(state)` is true of."""
        columns = [i for i, s in enumerate(self.states) if select(s)]
        return self.runs[:, :, columns].sum(axis=2)


def summarise(runs):
    """{quantile name: [value per month]} of runs × months."""
    return {name: np.quantile(runs, q, axis=0).tolist() for name, q in QUANTILES.items()}


def future_days(base_year, horizon):
    """The last day of each month after 31 March of the base year."""
    days = []
    year, month = base_year, 3
    for _ in range(horizon):
        month += 1
        if month > 12:
            year, month = year + 1, 1
        days.append(month_end(year, month))
    return days


def _spread(logs, chance, rng, runs):
    """Each run's sd of the yearly log rates beyond what chance alone (`chance`: the variance a count's noise gives)
    would give. A few years pin a spread down badly: each run draws the years' variance from what those years
    allow (scaled inverse chi-squared on their degrees of freedom) rather than taking the estimate as known, so
    a short history gives wider intervals. With one year there is nothing to measure it from: 0."""
    if len(logs) < 2:
        return np.zeros(runs)
    df = len(logs) - 1
    variance = float(np.var(logs, ddof=1)) * df / rng.chisquare(df, size=runs)
    return np.minimum(np.sqrt(np.maximum(variance - chance, 0.0)), MAX_SPREAD)


def _drift(rates, rng, runs):
    """Year-to-year spread of the arrival rate (Poisson counts), per run."""
    yearly = [y for y in rates.yearly_arrivals if y > 0]
    return _spread(np.log(yearly), float(np.mean(1 / np.array(yearly))), rng, runs) if yearly else np.zeros(runs)


def _leaving_drift(rates, rng, runs):
    """Year-to-year spread of the monthly chance of leaving (binomial counts), per run."""
    yearly = [(left, months) for left, months in rates.yearly_leaving if left > 0 and months > 0]
    if not yearly:
        return np.zeros(runs)
    return _spread(np.log([left / months for left, months in yearly]),
                   float(np.mean([1 / left for left, _ in yearly])), rng, runs)


def simulate(rates, start, horizon, *, rng, runs=DEFAULT_RUNS, arrivals=1.0, spread_from=None):
    """Runs × horizon × states, from the stock `start` on 31 March (a vector over the states): the first month
    simulated is April. `spread_from`: the Rates of every year up to the base year, whose year-to-year changes the
    drift is measured on (default: `rates`)."""
    n = len(rates.states)
    # Each run's own rates: the estimate's uncertainty (Dirichlet rows, Gamma arrivals).
    alpha = rates.moves + PRIOR_MOVE
    alpha[np.arange(n), np.arange(n)] += PRIOR_STAY
    matrices = np.stack([rng.dirichlet(alpha[i], size=runs) for i in range(n)], axis=1)  # runs × n × (n+1)
    months = max(rates.months, 1)
    # A state no child arrived in during the window gets none (a prior there would add children from nowhere).
    seen = rates.arrivals > 0
    lam = np.zeros((runs, n))
    lam[:, seen] = rng.gamma(rates.arrivals[seen], 1 / months, size=(runs, int(seen.sum()))) * arrivals
    drift = _drift(spread_from or rates, rng, runs)
    leaving_drift = _leaving_drift(spread_from or rates, rng, runs)
    stock = np.tile(np.asarray(start, dtype=np.int64), (runs, 1))
    out = np.zeros((runs, horizon, n), dtype=np.int64)
    level = np.zeros(runs)
    leaving_level = np.zeros(runs)
    season_leaving, season_arrivals = rates.seasons()
    for m in range(horizon):
        if m % 12 == 0 and (drift.any() or leaving_drift.any()):
            # Random walks of the yearly rates, as the window's years moved: the first step is the coming year's.
            level += rng.normal(0, 1, size=runs) * drift
            leaving_level += rng.normal(0, 1, size=runs) * leaving_drift
        factor = np.exp(leaving_level) * season_leaving[m % 12]
        drawn = matrices if np.all(factor == 1) else _with_leaving(matrices, factor)
        new = np.zeros((runs, n), dtype=np.int64)
        for i in range(n):
            counts = stock[:, i]
            if not counts.any():
                continue
            draws = rng.multinomial(counts, drawn[:, i, :])  # runs × (n+1); the last column leaves
            new += draws[:, :n]
        new += rng.poisson(lam * (np.exp(level) * season_arrivals[m % 12])[:, None])
        stock = new
        out[:, m, :] = stock
    return out


def _with_leaving(matrices, factor):
    """The matrices with each run's chance of leaving multiplied by its factor, the other moves scaled to fit."""
    leave = np.minimum(matrices[:, :, -1] * factor[:, None], 0.99)
    stay = 1 - matrices[:, :, -1]
    scale = np.divide(1 - leave, stay, out=np.ones_like(stay), where=stay > 0)
    out = matrices * scale[:, :, None]
    out[:, :, -1] = leave
    return out / out.sum(axis=2, keepdims=True)


@dataclass
class Forecast:
    la: str
    base_year: int
    window: list
    horizon: int
    seed: int
    runs: int
    scenario: Scenario
    paths: dict  # kind -> Path
    history: dict  # kind -> {day: {state: n}}
    rates: dict  # kind -> Rates

    def total(self, kind):
        return summarise(self.paths[kind].totals())

    def by_state(self, kind):
        path = self.paths[kind]
        return {state: summarise(path.runs[:, :, i]) for i, state in enumerate(path.states)}

    def at_year_end(self, kind, year):
        """Quantiles of the total on 31 March of `year`, if within the horizon."""
        day = datetime.date(year, 3, 31)
        path = self.paths[kind]
        if day not in path.days:
            return None
        m = path.days.index(day)
        return {name: values[0] for name, values in summarise(path.totals()[:, m:m + 1]).items()}

    def cost(self):
        """Quantiles of the weekly cost × weeks of each month of those looked after, if costs were given."""
        costs = self.scenario.weekly_cost
        if not costs:
            return None
        path = self.paths[LAC]
        weekly = np.array([float(costs.get(group_of(s), 0) or 0) for s in path.states])
        weeks = np.array([d.day / 7 for d in path.days])
        monthly = (path.runs * weekly[None, None, :]).sum(axis=2) * weeks[None, :]
        return {"monthly": summarise(monthly), "yearly": _yearly(monthly, path.days)}


def _yearly(monthly, days):
    """Quantiles of the cost of each whole collection year in the horizon (runs summed, then quantiles)."""
    out = {}
    for year in sorted({d.year + (1 if d.month >= 4 else 0) for d in days}):
        columns = [m for m, d in enumerate(days) if d.year + (1 if d.month >= 4 else 0) == year]
        if len(columns) == 12:
            sums = monthly[:, columns].sum(axis=1)
            out[year] = {name: float(np.quantile(sums, q)) for name, q in QUANTILES.items()}
    return out


def forecast(counts, base_year, horizon, window_years=3, *, seed=DEFAULT_SEED, runs=DEFAULT_RUNS, scenario=None,
             window=None, excluded=None):
    """The forecast from 31 March of `base_year`, `horizon` months ahead, rates from the `window_years` collection
    years up to the base year that `counts` has (or the years in `window`, when given: some left out for quality)."""
    if not 1 <= horizon <= MAX_HORIZON:
        raise ValueError(f"The horizon is 1 to {MAX_HORIZON} months")
    scenario = scenario or Scenario()
    if window is None:
        window = [y for y in range(base_year - window_years + 1, base_year + 1) if y in counts.years]
    if not window:
        raise ValueError(f"No return for {counts.la} in the {window_years} years to {base_year}")
    base_day = datetime.date(base_year, 3, 31)
    days = future_days(base_year, horizon)
    paths, rates = {}, {}
    for number, kind in enumerate((LAC, CP)):
        # A stream of random numbers per kind: a scenario that changes one kind leaves the other's figures as they
        # were, so scenarios side by side differ only where their settings do.
        rng = np.random.default_rng([seed, number])
        fitted = fit(counts, kind, window)
        # How much the rates move from year to year is measured on every year up to the base year, not only the
        # window's (three years say little about a spread); the years left out for quality stay out.
        history = fit(counts, kind, [y for y in sorted(counts.years) if y <= base_year and (
            y in window or y < min(window)) and y not in (excluded or ())])
        start = counts.stocks[kind].get(base_day, {})
        vector = [start.get(s, 0) for s in fitted.states]
        runs_ = simulate(fitted, vector, horizon, rng=rng, runs=runs, arrivals=scenario.arrivals.get(kind, 1.0),
                         spread_from=history)
        paths[kind] = Path(kind, fitted.states, days, runs_)
        rates[kind] = fitted
    history = {kind: {d: s for d, s in counts.stocks[kind].items() if d <= base_day} for kind in (LAC, CP)}
    return Forecast(counts.la, base_year, list(window), horizon, seed, runs, scenario, paths, history, rates)
