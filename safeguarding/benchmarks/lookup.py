"""Benchmark rows fetched in bulk, so that a table's many small questions are answered from memory (issue 19).

The lookups in `selectors` take one of these as ``lookup=``: each asks it first and gets NOT_FETCHED for a
question outside what was fetched, and then asks the database as it would without one. So a lookup only
changes how many queries are made, never what the answer is; the choosing (source preference, vintages,
left-out members) stays in `selectors`, done once for both paths.
"""
from django.db.models import Q

from .models import BenchmarkValue, LocalAuthority, Population, StatisticalNeighbour

NOT_FETCHED = object()


class Lookup:
    def __init__(self):
        self._values = {}  # (indicator, year, level, code, measure) -> [BenchmarkValue], in id order
        self._value_scopes = []  # (indicators, years, measures, {(level, code)}) of each fetch
        self._populations = {}  # (code, age group) -> [Population], newest import first
        self._population_scope = {}  # (code, age group) -> mid-years fetched
        self._neighbours = {}  # (la, model) -> [codes] closest first
        self._authorities = {}  # code -> LocalAuthority or None where no row has that code
        self._regions = set()  # region codes whose every authority was fetched

    # Fetching: one query each ---------------------------------------------------------------------

    def fetch_neighbours(self, las, model="2021"):
        for la in las:
            self._neighbours[(la, str(model))] = []
        for row in (StatisticalNeighbour.objects.filter(model=str(model), la_code__in=list(las))
                    .order_by("la_code", "rank").values_list("la_code", "neighbour_code")):
            self._neighbours[(row[0], str(model))].append(row[1])

    def fetch_authorities(self, codes, region_code=None):
        """Authorities by code, and with ``region_code`` every authority of that region too."""
        codes = set(codes)
        for code in codes:
            self._authorities.setdefault(code, None)
        found = Q(code__in=list(codes))
        if region_code:
            found |= Q(region_code=region_code)
            self._regions.add(region_code)
        for record in LocalAuthority.objects.filter(found):
            self._authorities[record.code] = record

    def fetch_values(self, indicators, years, measures, areas):
        """Every figure of these indicators, years and measures for ``areas``, [(level, codes)]."""
        indicators, years, measures = set(indicators), set(years), set(measures)
        pairs = {(level, code) for level, codes in areas for code in codes}
        where = Q()
        for level, codes in areas:
            where |= Q(level=level, code__in=list(codes))
        for row in BenchmarkValue.objects.filter(where, indicator__in=indicators, year__in=years,
                                                 measure__in=measures).order_by("id"):
            self._values.setdefault((row.indicator, row.year, row.level, row.code, row.measure), []).append(row)
        self._value_scopes.append((indicators, years, measures, pairs))

    def fetch_populations(self, codes, mid_years, age_group="0-17"):
        codes, mid_years = set(codes), set(mid_years)
        for code in codes:
            self._populations[(code, age_group)] = []
            self._population_scope[(code, age_group)] = mid_years
        for row in Population.objects.filter(code__in=list(codes), year__in=list(mid_years),
                                             age_group=age_group).order_by("-imported_at", "id"):
            self._populations[(row.code, age_group)].append(row)

    # Answering: NOT_FETCHED when the question is outside what was fetched ---------------------------

    def _covers(self, indicator, year, level, code, measure):
        return any(indicator in indicators and year in years and measure in measures and (level, code) in pairs
                   for indicators, years, measures, pairs in self._value_scopes)

    def values(self, indicator, year, level, code, measure):
        """The BenchmarkValue rows of one figure, as `BenchmarkValue.objects.filter(...)` would give them."""
        if not self._covers(indicator, year, level, code, measure):
            return NOT_FETCHED
        return list(self._values.get((indicator, year, level, code, measure), []))

    def populations(self, code, mid_years, age_group="0-17"):
        """The Population rows of an area for these mid-years, newest import first."""
        fetched = self._population_scope.get((code, age_group))
        if fetched is None or not set(mid_years) <= fetched:
            return NOT_FETCHED
        wanted = set(mid_years)
        return [row for row in self._populations[(code, age_group)] if row.year in wanted]

    def neighbours(self, la, model="2021"):
        found = self._neighbours.get((la, str(model)), NOT_FETCHED)
        return found if found is NOT_FETCHED else list(found)

    def authority(self, code):
        """The LocalAuthority with this code, None if there is none."""
        return self._authorities.get(code, NOT_FETCHED)

    def names(self, codes):
        """{code: name} of the authorities among ``codes``, as a query on LocalAuthority would give them."""
        if any(code not in self._authorities for code in codes):
            return NOT_FETCHED
        return {code: self._authorities[code].name for code in codes if self._authorities[code] is not None}

    def authorities_in_region(self, region_code):
        """Codes of the region's authorities, if that region was fetched."""
        if region_code not in self._regions:
            return NOT_FETCHED
        return sorted(code for code, record in self._authorities.items()
                      if record is not None and record.region_code == region_code)  # LocalAuthority's ordering
