"""Synthetic child-level statutory returns (CIN census XML, SSDA903 CSV) for tests and benchmarks.

``generate(la, years, out, seed, scale, dfe_dir)`` simulates one authority's history from three years
before the first requested year and writes each requested year's return; see ``simulate`` for how the
counts are made exact, ``targets`` for where they come from and ``factors`` for the assessment factors.
"""

import os

from .disparity import Disparity, plant
from .factors import published_shares
from .simulate import simulate
from .targets import all_las, default_dfe_dir, inputs_digest, missing_files, targets_for
from .writers import write_year

WARM_UP_YEARS = 3
# Raised when the generator makes different returns from the same seed and published files, so returns made by an
# earlier version are made again (the demo's stamp names it). 2: referral sources drawn before the factors, domestic
# abuse drawn with them (docs/adr/0013-demo-assessment-factors.md).
GENERATOR_VERSION = 2


def parse_years(spec):
    """"2017-2025" -> [2017, ..., 2025]; "2021" -> [2021]; "2019,2021" -> [2019, 2021]."""
    years = set()
    for part in str(spec).split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            a, b = part.split("-", 1)
            years.update(range(int(a), int(b) + 1))
        else:
            years.add(int(part))
    return sorted(years)


def generate(la, years, out, seed=0, scale=1.0, dfe_dir=None, disparity=None):
    """Write the returns of authority ``la`` for collection ``years`` under ``out``; return the paths. ``disparity``
    (a ``disparity.Disparity``; default none) plants a known relative rate at one decision point."""
    la = str(la).strip()
    years = sorted(years)
    sim_years = list(range(years[0] - WARM_UP_YEARS, years[-1] + 1))
    targets = targets_for(la, sim_years, dfe_dir, scale)
    h = simulate(la, sim_years, targets, seed, scale, published_shares(la, dfe_dir))
    if disparity is not None:
        plant(h, years, disparity, seed)
    paths = []
    for y in years:
        paths.extend(write_year(h, y, out, seed))
    return paths


def _one(args):
    la, years, out, seed, scale, dfe_dir, disparity = args
    return generate(la, years, out, seed, scale, dfe_dir, disparity)


def generate_many(las, years, out, seed=0, scale=1.0, dfe_dir=None, processes=None, disparity=None):
    """Generate several authorities, in parallel processes; returns all written paths."""
    las = list(las)
    if dfe_dir and len(las) > 2:
        # largest authorities first, so the pool ends evenly
        size = {la: targets_for(la, [max(years)], dfe_dir)[max(years)]["R"] for la in las}
        las.sort(key=lambda la: -size[la])
    jobs = [(la, years, out, seed, scale, dfe_dir, disparity) for la in las]
    published_shares(las[0], dfe_dir)  # read the c3 file once, before the processes fork
    if processes == 1 or len(jobs) == 1:
        return [p for j in jobs for p in _one(j)]
    import multiprocessing

    ctx = multiprocessing.get_context("fork") if hasattr(os, "fork") else multiprocessing.get_context()
    with ctx.Pool(processes or os.cpu_count()) as pool:
        results = pool.map(_one, jobs, chunksize=1)
    return [p for r in results for p in r]


__all__ = ["generate", "generate_many", "parse_years", "all_las", "default_dfe_dir", "inputs_digest", "missing_files",
           "GENERATOR_VERSION", "Disparity"]
