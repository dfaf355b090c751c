"""manage.py forecast: the demand forecast of one authority, or its back-test (issue 17, ADR 0029)."""
import csv
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from safeguarding.forecast.engine import backtest
from safeguarding.forecast.engine.model import DEFAULT_RUNS, DEFAULT_SEED, MAX_HORIZON
from safeguarding.forecast.engine.output import backtest_rows, forecast_rows, verdict_sentence
from safeguarding.forecast.services import forecast_for, read_store_counts


class Command(BaseCommand):
    help = ("Forecast children looked after and children on child protection plans for one authority, monthly "
            "with 80% and 95% intervals; or, with --backtest, test the forecast on the years that happened.")

    def add_arguments(self, parser):
        parser.add_argument("--la", help="old three-digit local authority code, e.g. 210 (--backtest: every "
                                         "authority in the store if not given)")
        parser.add_argument("--base-year", type=int, help="collection year to forecast from (its 31 March)")
        parser.add_argument("--horizon-months", type=int, default=24)
        parser.add_argument("--window-years", type=int, default=3, help="years of returns the rates come from")
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")
        parser.add_argument("--backtest", action="store_true")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="simulations")
        parser.add_argument("--url", help="the store of returns (default: the configured one)")
        parser.add_argument("--schema", help="its schema (default: the configured one)")

    def handle(self, *args, **o):
        if not 1 <= o["window_years"] <= 10:
            raise CommandError("--window-years is 1 to 10")
        if o["backtest"]:
            return self.backtest(o)
        if not o["la"] or not o["base_year"]:
            raise CommandError("give --la and --base-year")
        if not 1 <= o["horizon_months"] <= MAX_HORIZON:
            raise CommandError(f"--horizon-months is 1 to {MAX_HORIZON}")
        try:
            result, used, left_out = forecast_for(o["la"], o["base_year"], o["horizon_months"], o["window_years"],
                                                  seed=o["seed"], runs=o["runs"], url=o["url"], schema=o["schema"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        rows = forecast_rows(result)
        about = {"la": result.la, "base_year": result.base_year, "window": result.window, "seed": result.seed,
                 "runs": result.runs, "horizon_months": result.horizon, "returns_used": used,
                 "years_left_out": left_out}
        self.write(rows, o["format"], about)

    def backtest(self, o):
        counts, excluded = read_store_counts([o["la"]] if o["la"] else None, url=o["url"], schema=o["schema"])
        if not counts:
            raise CommandError("No returns in the store")
        result = backtest.run(counts, o["window_years"], seed=o["seed"], runs=o["runs"], excluded=excluded)
        about = {"window_years": o["window_years"], "seed": o["seed"], "runs": o["runs"],
                 "authorities": len(counts), "verdict": result.verdict(),
                 "years_left_out": {la: years for la, years in excluded.items() if years}}
        self.write(backtest_rows(result), o["format"], about, sentence=verdict_sentence(result.verdict()))

    def write(self, rows, form, about, sentence=None):
        if form == "json":
            self.stdout.write(json.dumps({**about, "rows": rows}, indent=1, default=str))
            return
        if form == "csv":
            writer = csv.DictWriter(self.stdout, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
            return
        for key, value in about.items():
            self.stdout.write(f"{key.replace('_', ' ')}: {value}")
        if sentence:
            self.stdout.write(sentence)
        widths = {k: max(len(k), *(len(str(r[k])) for r in rows)) for k in rows[0]}
        self.stdout.write("  ".join(k.ljust(w) for k, w in widths.items()))
        for row in rows:
            self.stdout.write("  ".join(str(row[k] if row[k] is not None else "-").ljust(w)
                                        for k, w in widths.items()))
        sys.stdout.flush()
