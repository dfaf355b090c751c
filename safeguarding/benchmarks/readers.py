"""Read published benchmark files, recognised by their columns (never by their names), into plain rows.

Nothing here touches the database: ``read_file(path)`` returns a ``Parsed`` holding the rows for
BenchmarkValue, Population, StatisticalNeighbour and LocalAuthority, or raises ``ImportProblem`` naming
the file, the line (or Parquet row), the column, what was expected and what was found.

Kinds recognised (see docs/benchmarks-csv.md):

* DfE explore-education-statistics tidy CSVs (``time_period``, ``geographic_level`` ...): c1 referrals,
  b1 children in need, c3 assessment factors, d3 second or subsequent plans, d5 plans by duration,
  cla looked-after children (and the populations the DfE used), ONS mid-year populations, csww workforce;
* DfE LAIT long format (Parquet or CSV: ``Short Desc``, ``Years``, ``LA and Regions``, ``Values``, ``LA Number``);
* DfE statistical neighbour groupings, wide (``LA num ... SN1, SNP`` 2021 layout or ``old_la_code ... SN_1,
  SN_1P`` 2025 layout);
* figures typed from a published report: ``source,vintage,indicator,year,level,code,name,measure,value``;
* populations typed from a published report: ``source,vintage,year,level,code,name,age_group,value``.
"""
import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from . import vocabulary as v

MARKERS = ("c", "x", "z", "u", "low", "k", ":", "..", "-")
MARKERS_TEXT = "a number or a suppression marker (" + ", ".join(MARKERS) + ")"
MAX_DECIMAL_PLACES = 10
MAX_INTEGER_DIGITS = 18
NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
LEVELS = ("la", "region", "inner_outer_london", "england", "sn")
MEASURES = ("count", "rate", "percent", "value")
ONS_POPULATION_VINTAGE = "ONS mid-year estimates, Census 2021 based (current)"


class ImportProblem(Exception):
    """Bad input: says which file, where, what was expected and what was found."""

    def __init__(self, file, message, *, row=None, column=None, expected=None, found=None, row_word="line"):
        self.file, self.row, self.column, self.expected, self.found = str(file), row, column, expected, found
        where = [self.file]
        if row is not None:
            where.append(f"{row_word} {row}")
        if column is not None:
            where.append(f"column '{column}'")
        text = ", ".join(where) + ": " + message
        if expected is not None:
            text += f"; expected {expected}"
        if found is not None:
            text += f", found {found!r}"
        super().__init__(text)


@dataclass
class Parsed:
    kind: str
    label: str
    source: str
    vintage: str = ""
    values: list = field(default_factory=list)  # dicts of BenchmarkValue fields
    populations: list = field(default_factory=list)  # dicts of Population fields
    neighbours: list = field(default_factory=list)  # dicts of StatisticalNeighbour fields
    neighbour_model: str = ""
    authorities: dict = field(default_factory=dict)  # code -> dict of LocalAuthority fields
    notes: list = field(default_factory=list)

    def years(self):
        return sorted({row["year"] for row in self.values} | {row["year"] for row in self.populations})

    def geographies(self):
        return Counter(level for level, _ in {(r["level"], r["code"]) for r in self.values + self.populations})


# --------------------------------------------------------------------------------------------- cells
def parse_value(text, *, file, row, column, row_word="line"):
    """A published cell -> (Decimal or None, marker). Raises ImportProblem for anything else."""
    raw = "" if text is None else str(text).strip()
    if raw.lower() in MARKERS:
        return None, raw
    if not NUMBER.fullmatch(raw):
        raise ImportProblem(file, "not a number", row=row, column=column, expected=MARKERS_TEXT, found=raw,
                            row_word=row_word)
    number = Decimal(raw)
    check_digits(number, raw, file=file, row=row, column=column, row_word=row_word)
    return number, ""


def check_digits(number, raw, *, file, row, column, row_word="line"):
    sign, digits, exponent = number.as_tuple()
    places = max(0, -exponent)
    whole = max(0, len(digits) + exponent)
    if places > MAX_DECIMAL_PLACES or whole > MAX_INTEGER_DIGITS:
        raise ImportProblem(file, "number too long to store unrounded", row=row, column=column,
                            expected=f"at most {MAX_INTEGER_DIGITS} digits before and {MAX_DECIMAL_PLACES} after "
                                     "the decimal point", found=raw, row_word=row_word)


def float_text_value(text):
    """LAIT writes floats with their binary noise ('9.3699999999999992', '93.600000000000009', '5.572E-2'):
    read the number it meant (at most 15 significant digits)."""
    raw = str(text).strip()
    if raw.lower() in MARKERS:
        return None, raw
    if not NUMBER.fullmatch(raw):
        raise ValueError(raw)
    mantissa = re.split(r"[eE]", raw)[0]
    digits = len(re.sub(r"[^0-9]", "", mantissa).lstrip("0"))
    # A double holds 15 significant decimal digits faithfully; the rest of a 17-digit print-out is noise.
    return (Decimal(format(float(raw), ".15g")) if digits > 15 or mantissa != raw else Decimal(raw)), ""


def collection_year(label):
    """'2021', '2020-21', '2020/21', '2021 (Final)', '2020-21 (OT)', '2014-16', '2013/14-15/16' -> end year."""
    base = re.sub(r"\s*\(.*\)\s*$", "", str(label or "").strip())
    if re.fullmatch(r"\d{4}", base):
        return int(base)
    if re.fullmatch(r"\d{6}", base):  # EES academic/financial year, e.g. 202021
        start, end = int(base[:4]), int(base[4:])
        return _end_year(start, end)
    match = re.fullmatch(r"(\d{4})\s*[-/]\s*(\d{2}|\d{4})", base) or re.fullmatch(r"(\d{4})/\d{2}\s*-\s*\d{2}/(\d{2})",
                                                                                  base)
    if match:
        return _end_year(int(match.group(1)), int(match.group(2)))
    return None


def _end_year(start, end):
    if end >= 1000:
        return end if end > start else None
    year = start - start % 100 + end
    return year + 100 if year <= start else year


def open_text(path):
    """The file's text (BOM removed), or ImportProblem if it is empty or not UTF-8."""
    data = Path(path).read_bytes()
    if not data.strip():
        raise ImportProblem(path, "the file is empty", expected="a header row and data rows")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportProblem(path, f"not UTF-8 text (byte {error.start})", expected="a UTF-8 CSV file") from None


# --------------------------------------------------------------------------------------- recognition
EES_KINDS = [  # (kind, identifying columns, label, source)
    ("ees_c1", {"referral_count", "rereferral_percent"}, "EES c1 referrals and re-referrals",
     "DfE EES c1_children_in_need_referrals"),
    ("ees_b1", {"Anypoint_episodes", "At31_episodes"}, "EES b1 children in need",
     "DfE EES b1_children_in_need"),
    ("ees_c3", {"Episodes_with_assessment_factor"}, "EES c3 factors identified at the end of assessment",
     "DfE EES c3_factors_identified_at_end_of_assessment"),
    ("ees_d3", {"CPP_start", "CPP_subsequent"}, "EES d3 second or subsequent child protection plans",
     "DfE EES d3_cpps_subsequent_plan"),
    ("ees_d5", {"CPP_At31"}, "EES d5 child protection plans at 31 March by duration",
     "DfE EES d5_cpps_at31march_by_duration"),
    ("ees_cla", {"population_type", "children_count", "rate_per_10000"}, "EES children looked after, number and rate",
     "DfE EES cla_number_and_rate_per_10k_children"),
    ("ees_population", {"age_group", "population_estimate"}, "ONS mid-year population estimates (EES)",
     "ONS mid-year population estimates (DfE EES)"),
    ("ees_csww", {"inpost_fte", "caseload_fte"}, "EES children's social work workforce",
     "DfE EES csww_indicators"),
]
EES_COLUMNS = {"time_period", "geographic_level"}
EES_MAPS = {"ees_c1": v.C1_REFERRALS, "ees_b1": v.B1_CHILDREN_IN_NEED, "ees_c3": v.C3_FACTORS,
            "ees_d3": v.D3_CPP_SUBSEQUENT, "ees_d5": v.D5_CPP_DURATION}
EES_GEOGRAPHY_COLUMNS = {"time_period", "time_identifier", "geographic_level", "country_code", "country_name",
                         "region_code", "region_name", "old_la_code", "new_la_code", "la_name", "category"}
AS_PUBLISHED_COLUMNS = ["source", "vintage", "indicator", "year", "level", "code", "name", "measure", "value"]
AS_PUBLISHED_POPULATION_COLUMNS = ["source", "vintage", "year", "level", "code", "name", "age_group", "value"]
LAIT_COLUMNS = ["Short Desc", "Data item", "Years", "LA and Regions", "Values", "LA Number", "Region"]
LAIT_REQUIRED = {"Short Desc", "Years", "LA and Regions", "Values", "LA Number"}
KNOWN_KINDS_TEXT = ("an EES tidy CSV (c1, b1, c3, d3, d5, cla, ONS population, csww), the LAIT long format, "
                    "statistical neighbour groupings, or an as-published CSV with columns "
                    + ",".join(AS_PUBLISHED_COLUMNS) + " (populations: " + ",".join(AS_PUBLISHED_POPULATION_COLUMNS)
                    + ")")


def read_file(path, *, vintage=None, sn_model=None, lait_all=False):
    path = Path(path)
    if not path.is_file():
        raise ImportProblem(path, "no such file")
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic == b"PAR1":
        return read_lait_parquet(path, vintage=vintage, lait_all=lait_all)
    text = open_text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip() for cell in next(reader)]
    except (StopIteration, csv.Error) as error:
        raise ImportProblem(path, f"no header row ({error})", row=1) from None
    columns = set(header)
    if set(AS_PUBLISHED_COLUMNS) <= columns:
        return read_as_published(path, text, header)
    if set(AS_PUBLISHED_POPULATION_COLUMNS) <= columns:
        return read_as_published_population(path, text, header)
    if LAIT_REQUIRED <= columns:
        rows = csv.DictReader(io.StringIO(text, newline=""))
        return read_lait_rows(path, ((rows.line_num, row) for row in rows), vintage=vintage, lait_all=lait_all,
                              row_word="line")
    if any(re.fullmatch(r"SN_?1", name) for name in header) and any(re.fullmatch(r"SN_?1?P", n) for n in header):
        return read_neighbours(path, text, header, sn_model=sn_model)
    if {"Measure_code", "Measure_short", "Description"} <= columns:
        return Parsed(kind="lait_dictionary", label="the LAIT data dictionary", source="DfE LAIT",
                      notes=["definitions only: nothing to import"])
    if EES_COLUMNS <= columns:
        for kind, identifying, label, source in EES_KINDS:
            if identifying <= columns:
                return read_ees(path, text, kind, label, source, vintage=vintage)
        raise ImportProblem(path, "an explore-education-statistics file, but not a kind this command knows",
                            row=1, expected="one of c1, b1, c3, d3, d5, cla, ONS population or csww columns",
                            found=", ".join(sorted(columns - EES_GEOGRAPHY_COLUMNS))[:300])
    raise ImportProblem(path, "columns not recognised", row=1, expected=KNOWN_KINDS_TEXT,
                        found=", ".join(header)[:300])


# --------------------------------------------------------------------------------------------- EES
def ees_geography(row, *, file, line):
    """An EES row's area -> (level, code, name), or None for a level we do not keep."""
    level = (row.get("geographic_level") or "").strip()
    if level == "National":
        code, name = (row.get("country_code") or "").strip(), (row.get("country_name") or "").strip()
        return "england", code or v.ENGLAND[0], name or v.ENGLAND[1]
    if level == "Regional":
        code, name = (row.get("region_code") or "").strip(), (row.get("region_name") or "").strip()
        if code.startswith("E13") or code in v.INNER_OUTER_LONDON:
            return "inner_outer_london", code, name or v.INNER_OUTER_LONDON.get(code, "")
        if not code:
            known = v.NAMED_AREAS.get(v.area_key(name))
            if not known:
                raise ImportProblem(file, "regional row without a region code", row=line, column="region_code",
                                    expected="an ONS region code such as E12000007", found=name)
            return known
        return "region", code, name or v.REGIONS.get(code, "")
    if level == "Local authority":
        raw = (row.get("old_la_code") or "").strip()
        code = v.la_code(raw)
        if code is None and re.fullmatch(r"\d{3}(\s*/\s*\d{3})+", raw):  # authorities reporting jointly
            return "la", re.sub(r"\s+", "", raw), (row.get("la_name") or "").strip()
        if code is None:
            raise ImportProblem(file, "local authority row without a usable old LA code", row=line,
                                column="old_la_code", expected="a three-digit code such as 210",
                                found=row.get("old_la_code"))
        return "la", code, (row.get("la_name") or "").strip()
    return None


def ees_authority(row, code, name, source):
    region_code = (row.get("region_code") or "").strip()
    info = {"code": code, "name": name, "new_code": (row.get("new_la_code") or "").strip(), "source": source}
    if region_code in v.INNER_OUTER_LONDON:
        info.update(region_code=v.LONDON, region_name=v.REGIONS[v.LONDON], london_code=region_code,
                    london_name=v.INNER_OUTER_LONDON[region_code])
    elif region_code:
        info.update(region_code=region_code, region_name=(row.get("region_name") or "").strip())
    return info


def ees_year(row, *, file, line):
    raw = (row.get("time_period") or "").strip()
    year = collection_year(raw)
    if year is None:
        raise ImportProblem(file, "time period not understood", row=line, column="time_period",
                            expected="a year such as 2021 (or 202021)", found=raw)
    return year, raw


def read_ees(path, text, kind, label, source, *, vintage=None):
    reader = csv.DictReader(io.StringIO(text, newline=""))
    reader.fieldnames = [name.strip() for name in reader.fieldnames]
    columns = set(reader.fieldnames)
    records = []
    for row in reader:
        if not any((cell or "").strip() for cell in row.values() if isinstance(cell, str)):
            continue
        if None in row:
            raise ImportProblem(path, "more cells than the header has columns", row=reader.line_num,
                                expected=f"{len(reader.fieldnames)} cells",
                                found=len(reader.fieldnames) + len(row[None]))
        records.append((reader.line_num, row))
    if not records:
        raise ImportProblem(path, "no data rows under the header", row=2)
    max_year = max(ees_year(row, file=path, line=line)[0] for line, row in records)
    parsed = Parsed(kind=kind, label=label, source=source, vintage=vintage or f"{max_year} release")
    skipped_levels = Counter()
    seen = {}

    def add_value(line, column, year, period, geo, indicator, measure, cell, population_vintage=""):
        number, marker = parse_value(cell, file=path, row=line, column=column)
        key = (indicator, year, geo[0], geo[1], measure)
        if key in seen:
            raise ImportProblem(path, f"the same figure appears twice (first on line {seen[key]})", row=line,
                                column=column, expected="one row per year and area")
        seen[key] = line
        parsed.values.append({"indicator": indicator, "year": year, "period": period, "level": geo[0],
                              "code": geo[1], "name": geo[2], "measure": measure, "value": number,
                              "suppressed": marker, "population_vintage": population_vintage})

    if kind in EES_MAPS:
        mapping = {column: target for column, target in EES_MAPS[kind].items() if column in columns}
        unmapped = sorted(columns - EES_GEOGRAPHY_COLUMNS - set(mapping))
        if unmapped:
            parsed.notes.append("columns not imported: " + ", ".join(unmapped))
    elif kind == "ees_csww":
        mapping = {column: (f"csww_{column}", v.csww_measure(column))
                   for column in reader.fieldnames if column not in EES_GEOGRAPHY_COLUMNS}
        parsed.notes.append("workforce figures are imported as csww_<column>; their year is the September census "
                            "year (30 September), not a year to 31 March")
    else:
        mapping = {}
    cla_populations, joint = {}, set()
    for line, row in records:
        geo = ees_geography(row, file=path, line=line)
        if geo is None:
            skipped_levels[row.get("geographic_level")] += 1
            continue
        year, period = ees_year(row, file=path, line=line)
        if geo[0] == "la" and len(geo[1]) == 3:
            parsed.authorities[geo[1]] = ees_authority(row, geo[1], geo[2], source)
        elif geo[0] == "la":
            joint.add(f"{geo[1]} {geo[2]}")
        for column, (indicator, measure) in mapping.items():
            add_value(line, column, year, period, geo, indicator, measure, row[column])
        if kind == "ees_cla":
            population_type = (row.get("population_type") or "").strip()
            indicator = v.CLA_POPULATION_TYPES.get(population_type.lower())
            if indicator is None:
                raise ImportProblem(path, "population type not known", row=line, column="population_type",
                                    expected=" or ".join(f"'{t}'" for t in v.CLA_POPULATION_TYPES),
                                    found=population_type)
            basis = f"mid-{year - 1} estimate used by the DfE release (its population_estimate column)"
            add_value(line, "children_count", year, period, geo, indicator, "count", row["children_count"])
            add_value(line, "rate_per_10000", year, period, geo, indicator, "rate", row["rate_per_10000"], basis)
            population, marker = parse_value(row["population_estimate"], file=path, row=line,
                                             column="population_estimate")
            if population is not None:
                cla_populations.setdefault((year - 1, geo), int(population))
        if kind == "ees_population":
            population, marker = parse_value(row["population_estimate"], file=path, row=line,
                                             column="population_estimate")
            if population is None:
                skipped_levels[f"population withheld ({marker})"] += 1
                continue
            parsed.populations.append({"year": year, "level": geo[0], "code": geo[1], "name": geo[2],
                                       "age_group": age_group(row.get("age_group"), path, line),
                                       "value": whole_number(population, path, line, "population_estimate"),
                                       "source": source, "vintage": vintage or ONS_POPULATION_VINTAGE})
    if kind == "ees_population":
        parsed.vintage = vintage or ONS_POPULATION_VINTAGE
    for (mid_year, geo), population in cla_populations.items():
        parsed.populations.append({"year": mid_year, "level": geo[0], "code": geo[1], "name": geo[2],
                                   "age_group": "0-17", "value": population, "source": source,
                                   "vintage": f"as used by the DfE CLA {parsed.vintage}"})
    if joint:
        parsed.notes.append("authorities reporting jointly kept under a joint code: " + ", ".join(sorted(joint)))
    for level, count in skipped_levels.items():
        parsed.notes.append(f"{count} rows skipped: {level}")
    for row in parsed.values:
        row.update(source=source, vintage=parsed.vintage)
    return parsed


def age_group(text, file, line):
    raw = (text or "").strip()
    match = re.search(r"(\d+)\s*(?:to|-|–)\s*(\d+)", raw)
    if not match:
        raise ImportProblem(file, "age group not understood", row=line, column="age_group",
                            expected="an age range such as '0-17' or 'Children aged 0 to 17 years'", found=raw)
    return f"{int(match.group(1))}-{int(match.group(2))}"


def whole_number(number, file, line, column):
    if number != number.to_integral_value() or number < 0:
        raise ImportProblem(file, "a population must be a whole number of people", row=line, column=column,
                            expected="a whole number", found=str(number))
    return int(number)


# -------------------------------------------------------------------------------------------- LAIT
def read_lait_parquet(path, *, vintage=None, lait_all=False):
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    try:
        schema_names = pq.read_schema(path).names
    except Exception as error:  # pyarrow raises several kinds for a damaged file
        raise ImportProblem(path, f"not a readable Parquet file ({error})",
                            expected="a complete Parquet file") from None
    missing = LAIT_REQUIRED - set(schema_names)
    if missing:
        raise ImportProblem(path, "Parquet columns not recognised", expected="the LAIT long format with columns "
                            + ", ".join(LAIT_COLUMNS), found=", ".join(schema_names)[:300])
    try:
        table = pq.read_table(path, columns=[c for c in LAIT_COLUMNS if c in schema_names])
    except Exception as error:
        raise ImportProblem(path, f"not a readable Parquet file ({error})",
                            expected="a complete Parquet file") from None
    indices = None
    total_measures = len(pc.unique(table["Short Desc"]))
    if not lait_all:
        mask = pc.is_in(table["Short Desc"], value_set=pa.array(list(v.LAIT_MEASURES)))
        indices = pc.indices_nonzero(mask).to_pylist()
        table = table.filter(mask)
    columns = {name: table[name].to_pylist() for name in table.column_names}
    count = table.num_rows

    def rows():
        for i in range(count):
            yield (indices[i] + 1 if indices is not None else i + 1), {name: columns[name][i] for name in columns}

    return read_lait_rows(path, rows(), vintage=vintage, lait_all=lait_all, row_word="row",
                          total_measures=total_measures)


def lait_geography(name, number, region, cache):
    key = (name, number, region)
    if key not in cache:
        known = v.NAMED_AREAS.get(v.area_key(name))
        code = v.la_code(int(number) if isinstance(number, float) and number == number else number)
        if known:
            cache[key] = known
        elif code:
            cache[key] = ("la", code, (name or "").strip())
        else:
            cache[key] = None
    return cache[key]


def read_lait_rows(path, rows, *, vintage=None, lait_all=False, row_word="row", total_measures=None):
    parsed = Parsed(kind="lait", label="DfE LAIT long format", source="DfE LAIT")
    cache, seen, slugs = {}, {}, {}
    measures_seen, skipped, unknown_areas, conflicts, no_year = set(), set(), Counter(), 0, 0
    too_big = rounded = 0
    for row_number, row in rows:
        short = (row.get("Short Desc") or "").strip()
        measures_seen.add(short)
        target = v.LAIT_MEASURES.get(short)
        if target is None:
            if not lait_all:
                skipped.add(short)
                continue
            if short not in slugs:  # LAIT gives the Data item on a measure's first row only
                slug, taken = v.lait_slug(short), {code for code, _ in slugs.values()}
                slug = next(f"{slug}_{n}" for n in range(2, 100) if f"{slug}_{n}" not in taken) if slug in taken \
                    else slug
                slugs[short] = (slug, v.lait_guess_measure(short, row.get("Data item")))
            target = slugs[short]
        geo = lait_geography(row.get("LA and Regions"), row.get("LA Number"), row.get("Region"), cache)
        if geo is None:
            unknown_areas[row.get("LA and Regions")] += 1
            continue
        period = str(row.get("Years") or "").strip()
        year = collection_year(period)
        if year is None:
            if short in v.LAIT_MEASURES:
                raise ImportProblem(path, "year not understood", row=row_number, column="Years",
                                    expected="a year such as 2021 or 2020-21", found=period, row_word=row_word)
            no_year += 1
            continue
        raw = row.get("Values")
        if raw is None or str(raw).strip() == "":
            raw = "-"
        try:
            number, marker = float_text_value(raw)
        except ValueError:
            raise ImportProblem(path, "not a number", row=row_number, column="Values", expected=MARKERS_TEXT,
                                found=raw, row_word=row_word) from None
        if number is not None and short in v.LAIT_MEASURES:
            check_digits(number, raw, file=path, row=row_number, column="Values", row_word=row_word)
        elif number is not None:  # measures outside the vocabulary (--lait-all): fit them rather than refuse
            if abs(number) >= 10 ** MAX_INTEGER_DIGITS:
                too_big += 1
                continue
            if -number.as_tuple().exponent > MAX_DECIMAL_PLACES:
                number, rounded = round(number, MAX_DECIMAL_PLACES), rounded + 1
        key = (target[0], year, geo[0], geo[1], target[1])
        if key in seen:
            if short in v.LAIT_MEASURES:
                raise ImportProblem(path, f"the same figure appears twice (first at {row_word} {seen[key]})",
                                    row=row_number, column="Years", expected="one value per measure, year and area",
                                    found=period, row_word=row_word)
            conflicts += 1
            continue
        seen[key] = row_number
        if geo[0] == "la":
            parsed.authorities.setdefault(geo[1], lait_authority(geo, row.get("Region")))
        parsed.values.append({"indicator": target[0], "year": year, "period": period, "level": geo[0], "code": geo[1],
                              "name": geo[2], "measure": target[1], "value": number, "suppressed": marker,
                              "population_vintage": "as used by LAIT (not stated)" if target[1] == "rate" else ""})
    if not parsed.values:
        raise ImportProblem(path, "no LAIT figures for the measures this command maps", expected="some of "
                            + ", ".join(v.LAIT_MEASURES))
    mapped_years = [row["year"] for row in parsed.values if not row["indicator"].startswith("lait_")]
    max_year = max(mapped_years or [row["year"] for row in parsed.values])
    parsed.vintage = vintage or f"LAIT data to {max_year}"
    for row in parsed.values:
        row.update(source=parsed.source, vintage=parsed.vintage)
    mapped = len(measures_seen & set(v.LAIT_MEASURES))
    total = total_measures or len(measures_seen)
    parsed.notes.append(f"{mapped} LAIT measures mapped to indicator codes"
                        + (f"; {total - mapped} other measures imported as lait_<short desc>" if lait_all else
                           f"; {total - mapped} other measures skipped (use --lait-all to import them as "
                           "lait_<short desc>)"))
    if unknown_areas:
        parsed.notes.append(f"{sum(unknown_areas.values())} rows skipped for areas neither an LA nor a region: "
                            + ", ".join(sorted(map(str, unknown_areas)))[:300])
    if conflicts:
        parsed.notes.append(f"{conflicts} rows skipped: a second edition of the same year (e.g. '2025 (prov)' "
                            "beside '2025 (Rev)'); the first kept")
    if no_year:
        parsed.notes.append(f"{no_year} rows skipped: year not understood")
    if too_big:
        parsed.notes.append(f"{too_big} rows skipped: number too large to store")
    if rounded:
        parsed.notes.append(f"{rounded} figures outside the vocabulary rounded to {MAX_DECIMAL_PLACES} decimal places")
    return parsed


def lait_authority(geo, region):
    info = {"code": geo[1], "name": geo[2], "source": "DfE LAIT"}
    area = v.NAMED_AREAS.get(v.area_key(region)) if region and region != "NA" else None
    if area and area[0] == "inner_outer_london":
        info.update(region_code=v.LONDON, region_name=v.REGIONS[v.LONDON], london_code=area[1], london_name=area[2])
    elif area and area[0] == "region":
        info.update(region_code=area[1], region_name=area[2])
    return info


# ---------------------------------------------------------------------------- statistical neighbours
def read_neighbours(path, text, header, *, sn_model=None):
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    rank_columns = {}
    for index, name in enumerate(header):
        match = re.fullmatch(r"SN_?(\d{1,2})", name)
        if match:
            closeness = index + 1 if index + 1 < len(header) and re.fullmatch(r"SN_?\d*P", header[index + 1]) else None
            rank_columns[int(match.group(1))] = (index, closeness)
    if sorted(rank_columns) != list(range(1, 11)):
        raise ImportProblem(path, "statistical neighbour columns not complete", row=1,
                            expected="SN1 to SN10 (or SN_1 to SN_10)", found=", ".join(header)[:300])
    lower = [name.lower() for name in header]

    def column(*names):
        for name in names:
            if name.lower() in lower:
                return lower.index(name.lower())
        return None

    code_column = column("old_la_code", "LA num", "LA number", "la_code")
    name_column = column("la_name", "LA Name")
    region_column = column("region_name", "GOReg")
    if code_column is None:
        raise ImportProblem(path, "no column with the local authority's code", row=1,
                            expected="'LA num' or 'old_la_code'", found=", ".join(header)[:300])
    layout_2021 = "SNP" in header
    model = sn_model or ("2021" if layout_2021 else "2025")
    source = f"DfE statistical neighbours, {model} model"
    parsed = Parsed(kind=f"sn_{model}", label=f"DfE statistical neighbour groupings ({model} model)", source=source,
                    vintage=model, neighbour_model=model)
    seen = set()
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        cell = lambda i: row[i].strip() if i is not None and i < len(row) else ""  # noqa: E731
        code = v.la_code(cell(code_column))
        if not cell(code_column) and not any(cell(index) for index, _ in rank_columns.values()):
            parsed.notes.append(f"line {line} skipped: a heading ({' '.join(c.strip() for c in row if c.strip())})")
            continue
        if code is None:
            raise ImportProblem(path, "not a local authority code", row=line, column=header[code_column],
                                expected="a three-digit code such as 210", found=cell(code_column))
        if code in seen:
            raise ImportProblem(path, "local authority listed twice", row=line, column=header[code_column],
                                found=code)
        seen.add(code)
        name = cell(name_column)
        info = {"code": code, "name": name, "source": source}
        area = v.NAMED_AREAS.get(v.area_key(cell(region_column))) if region_column is not None else None
        if area and area[0] == "inner_outer_london":
            info.update(region_code=v.LONDON, region_name=v.REGIONS[v.LONDON], london_code=area[1],
                        london_name=area[2])
        elif area and area[0] == "region":
            info.update(region_code=area[1], region_name=area[2])
        parsed.authorities[code] = info
        neighbours = set()
        for rank in range(1, 11):
            index, closeness = rank_columns[rank]
            neighbour = v.la_code(cell(index))
            if neighbour is None or neighbour == code or neighbour in neighbours:
                raise ImportProblem(path, "not a usable neighbour code" if neighbour is None else
                                    "a neighbour repeated, or the authority itself", row=line, column=header[index],
                                    expected="the three-digit code of another local authority", found=cell(index))
            neighbours.add(neighbour)
            parsed.neighbours.append({"model": model, "la_code": code, "neighbour_code": neighbour, "rank": rank,
                                      "closeness": re.sub(r"\s+", " ", cell(closeness)), "source": source})
    if not parsed.neighbours:
        raise ImportProblem(path, "no data rows under the header", row=2)
    return parsed


# ------------------------------------------------------------------------------------ as published
def _as_published_rows(path, text, header):
    reader = csv.DictReader(io.StringIO(text, newline=""))
    reader.fieldnames = [name.strip() for name in reader.fieldnames]
    for row in reader:
        if None in row:
            raise ImportProblem(path, "more cells than the header has columns", row=reader.line_num,
                                expected=f"{len(reader.fieldnames)} cells")
        if not any((cell or "").strip() for cell in row.values()):
            continue
        yield reader.line_num, {key: (cell or "").strip() for key, cell in row.items()}


LIMITS = {"source": 120, "vintage": 120, "name": 100, "population_vintage": 160, "indicator": 80}


def _required(path, line, row, column):
    if not row.get(column):
        raise ImportProblem(path, "empty cell", row=line, column=column, expected=f"a {column}")
    return row[column]


def _check_lengths(path, line, row):
    for column, limit in LIMITS.items():
        if len(row.get(column) or "") > limit:
            raise ImportProblem(path, "text too long", row=line, column=column,
                                expected=f"at most {limit} characters", found=row[column][:40] + "...")


def _area(path, line, row):
    level = _required(path, line, row, "level")
    if level not in LEVELS:
        raise ImportProblem(path, "level not known", row=line, column="level", expected=" or ".join(LEVELS),
                            found=level)
    code, name = _required(path, line, row, "code"), row.get("name", "")
    if level in ("la", "sn"):
        if v.la_code(code) is None:
            raise ImportProblem(path, "not a local authority code", row=line, column="code",
                                expected="a three-digit old LA code such as 210", found=code)
        return level, v.la_code(code), name
    known = v.NAMED_AREAS.get(v.area_key(code)) or next(
        (area for area in v.NAMED_AREAS.values() if area[1] == code), None)
    if known is None or known[0] != level:
        expected = {"england": "E92000001", "region": "an ONS region code (E12000001 to E12000009) or region name",
                    "inner_outer_london": "E13000001 (Inner London) or E13000002 (Outer London)"}[level]
        raise ImportProblem(path, f"not a code for level '{level}'", row=line, column="code", expected=expected,
                            found=code)
    return level, known[1], name or known[2]


def _year(path, line, row, what="a collection year such as 2021 or 2020-21"):
    raw = _required(path, line, row, "year")
    year = collection_year(raw)
    if year is None or not 1990 <= year <= 2100:
        raise ImportProblem(path, "year not understood", row=line, column="year", expected=what, found=raw)
    return year, raw


def read_as_published(path, text, header):
    parsed = Parsed(kind="as_published", label="figures as published (typed from a report)", source="")
    seen = {}
    extra = set(header) - set(AS_PUBLISHED_COLUMNS) - {"population_vintage", "note"}
    if extra:
        parsed.notes.append("columns ignored: " + ", ".join(sorted(extra)))
    for line, row in _as_published_rows(path, text, header):
        _check_lengths(path, line, row)
        source, vintage = _required(path, line, row, "source"), _required(path, line, row, "vintage")
        indicator = _required(path, line, row, "indicator")
        if not re.fullmatch(r"[a-z][a-z0-9_]*(_[0-9]+[A-Z]?)?", indicator):
            raise ImportProblem(path, "not an indicator code", row=line, column="indicator",
                                expected="a code such as referrals, cpp_open or factor_3B", found=indicator)
        year, period = _year(path, line, row)
        level, code, name = _area(path, line, row)
        measure = _required(path, line, row, "measure")
        if measure not in MEASURES:
            raise ImportProblem(path, "measure not known", row=line, column="measure", expected=" or ".join(MEASURES),
                                found=measure)
        number, marker = parse_value(_required(path, line, row, "value"), file=path, row=line, column="value")
        key = (source, vintage, indicator, year, level, code, measure)
        if key in seen:
            raise ImportProblem(path, f"the same figure appears twice (first on line {seen[key]})", row=line,
                                expected="one row per source, vintage, indicator, year, area and measure")
        seen[key] = line
        parsed.values.append({"indicator": indicator, "year": year, "period": period, "level": level, "code": code,
                              "name": name, "measure": measure, "value": number, "suppressed": marker,
                              "source": source, "vintage": vintage,
                              "population_vintage": row.get("population_vintage", "")})
    if not parsed.values:
        raise ImportProblem(path, "no data rows under the header", row=2)
    parsed.source = "; ".join(sorted({row["source"] for row in parsed.values}))
    parsed.vintage = "; ".join(sorted({row["vintage"] for row in parsed.values}))
    return parsed


def read_as_published_population(path, text, header):
    parsed = Parsed(kind="as_published_population", label="populations as published (typed from a report)",
                    source="")
    seen = {}
    for line, row in _as_published_rows(path, text, header):
        _check_lengths(path, line, row)
        source, vintage = _required(path, line, row, "source"), _required(path, line, row, "vintage")
        year, _ = _year(path, line, row, what="the mid-year of the estimate, e.g. 2020 for mid-2020")
        level, code, name = _area(path, line, row)
        if level == "sn":
            raise ImportProblem(path, "a population belongs to an area", row=line, column="level",
                                expected="la, region, inner_outer_london or england", found=level)
        group = age_group(_required(path, line, row, "age_group"), path, line)
        number, marker = parse_value(_required(path, line, row, "value"), file=path, row=line, column="value")
        if number is None:
            raise ImportProblem(path, "a population cannot be withheld", row=line, column="value",
                                expected="a whole number", found=marker)
        key = (source, vintage, year, level, code, group)
        if key in seen:
            raise ImportProblem(path, f"the same population appears twice (first on line {seen[key]})", row=line)
        seen[key] = line
        parsed.populations.append({"year": year, "level": level, "code": code, "name": name, "age_group": group,
                                   "value": whole_number(number, path, line, "value"), "source": source,
                                   "vintage": vintage})
    if not parsed.populations:
        raise ImportProblem(path, "no data rows under the header", row=2)
    parsed.source = "; ".join(sorted({row["source"] for row in parsed.populations}))
    parsed.vintage = "; ".join(sorted({row["vintage"] for row in parsed.populations}))
    return parsed
