"""The demo's figures: synthetic returns for each demo authority, the published benchmarks, the indicators.

Each step is safe to run again: returns are made again only when the published files they were made from
change (or a year is missing), and a file already imported (by its digest) is not imported twice."""
import hashlib
import io
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from safeguarding.accounts.models import Partnership
from safeguarding.benchmarks.models import BenchmarkImport
from safeguarding.indicators.services import recompute
from safeguarding.returns.importer import digest
from safeguarding.returns.models import ReturnImport
from safeguarding.returns.services import run_import
from safeguarding.returns.synthetic import GENERATOR_VERSION, generate, inputs_digest

SEED = 2021
BENCHMARKS = Path(settings.BASE_DIR) / "safeguarding" / "benchmarks" / "demo"


def returns_folder():
    """Where the demo keeps the synthetic returns it made (one folder per authority, then per year)."""
    return Path(settings.VAR_DIR) / "demo-returns"


def make_returns(la, years, *, dfe, out, say):
    """Generate the synthetic returns of ``la`` for ``years`` into ``out``, unless they are there already, made
    from the same published files by the same version of the generator (returns made from other files, or none, or
    by an earlier generator, are made again, not kept)."""
    inputs = f"seed {SEED}, DfE files {inputs_digest(dfe)}, generator {GENERATOR_VERSION}\n"
    stamp = out / la / "inputs.txt"
    made_from = stamp.read_text() if stamp.exists() else ""
    if made_from != inputs or not all((out / la / str(y)).exists() for y in years):
        say(f"Generating synthetic returns for {la}, {years[0]}-{years[-1]} ...")
        generate(la, years, out, seed=SEED, dfe_dir=dfe)
        stamp.write_text(inputs)


def load_returns(la, years, *, dfe, store, say):
    """Generate (if needed) and import the synthetic CIN census and SSDA903 returns of ``la`` for ``years``."""
    out = returns_folder()
    make_returns(la, years, dfe=dfe, out=out, say=say)
    loaded = {r.sha256 for r in store.loaded_returns(la)}
    for year in years:
        folder = out / la / str(year)
        for files in ([next(folder.glob("cin_census_*.xml"))], sorted(folder.glob("ssda903_*.csv"))):
            if digest(files) in loaded:
                continue
            record = ReturnImport.objects.create(partnership=Partnership.objects.filter(la_code=la).first(),
                                                 la_code=la, file_names=", ".join(f.name for f in files))
            result, _ = run_import(record, files, store=store, recompute_indicators=False)
            say(f"  imported {result.label} {year}: {result.counts}")


def load_benchmarks(*, dfe, say, verbose=False):
    """The figures typed from the reference report, and the DfE published files."""
    files = sorted(BENCHMARKS.glob("*.csv"))
    published = sorted(dfe.glob("*.csv")) + sorted(dfe.glob("*.parquet"))
    if not published:
        say(f"No DfE files in {dfe}: only the figures typed from the report are loaded.")
    done = set(BenchmarkImport.objects.values_list("sha256", flat=True))
    new = [f for f in files + published if hashlib.sha256(f.read_bytes()).hexdigest() not in done]
    if new:
        out = io.StringIO()
        call_command("import_benchmarks", *map(str, new), stdout=out)
        if verbose:
            say(out.getvalue().rstrip())


def compute_indicators(la, *, store, say):
    say(f"Computed {recompute(la, store=store)} indicator values for {la}.")
