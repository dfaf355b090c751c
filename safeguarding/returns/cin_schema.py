"""What each collection year's CIN census looks like, read from the DfE's schema for that year.

The schemas (published_data/cin_schema/CIN_schema_YYYY.xsd, 2021-2026) give, for every element, where it
may sit, in which order, whether it is required, its type (date, whole number, code) and, for a code, its
list. The importer checks a file against the year it is for, so a code added in 2023 is an error in a 2022
file and an element of another year's schema is named as such. A year without a schema is read by the
nearest year's (a 2019 file by 2021's, a 2027 file by 2026's).
"""
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from lxml import etree

XS = "{http://www.w3.org/2001/XMLSchema}"
# Elements the DfE added after the schema stored here was published: known from the year given, ignored by
# the indicators. The 2026 collection added the pre-proceedings block inside CINdetails.
ADDED_LATER = {"PreProceedingsandFGDM": 2026}


@dataclass
class YearSchema:
    year: int  # the year of the schema used (the nearest one to the file's year)
    children: dict = field(default_factory=dict)  # element -> its child elements, in schema order
    required: dict = field(default_factory=dict)  # element -> the child elements it must have
    types: dict = field(default_factory=dict)  # leaf element -> "date", "integer", "code" or "text"
    codes: dict = field(default_factory=dict)  # code element -> frozenset of its codes
    order: dict = field(default_factory=dict)  # element -> {child: position}
    repeating: dict = field(default_factory=dict)  # element -> the child elements it may hold more than once

    def known(self, parent, name):
        return name in self.children.get(parent, ()) or ADDED_LATER.get(name, 9999) <= self.year


def schema_dir():
    base = getattr(settings, "PUBLISHED_DATA_DIR", None) or Path(settings.BASE_DIR) / "published_data"
    return Path(base) / "cin_schema"


def available_years():
    return sorted(int(m.group(1)) for p in schema_dir().glob("CIN_schema_*.xsd")
                  if (m := re.fullmatch(r"CIN_schema_(\d{4})\.xsd", p.name)))


def nearest_year(year):
    years = available_years()
    if not years:
        raise FileNotFoundError(f"no CIN census schemas in {schema_dir()}")
    return min(years, key=lambda y: (abs(y - year), -y))


@functools.lru_cache(maxsize=None)
def for_year(year):
    """The schema that applies to a file of this collection year."""
    return _read(nearest_year(year))


@functools.lru_cache(maxsize=None)
def all_elements():
    """Every element named in any year's schema, with the years it appears in."""
    seen = {}
    for year in available_years():
        for parent, names in _read(year).children.items():
            for name in names:
                seen.setdefault(name, set()).add(year)
    for name, year in ADDED_LATER.items():
        seen.setdefault(name, set()).add(year)
    return seen


def _read(year):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.parse(str(schema_dir() / f"CIN_schema_{year}.xsd"), parser).getroot()
    simple = {t.get("name"): t for t in root.findall(f"{XS}simpleType")}
    complex_ = {t.get("name"): t for t in root.findall(f"{XS}complexType")}
    schema = YearSchema(year=year)

    def leaf_type(element):
        type_name = element.get("type")
        node = simple.get(type_name) if type_name else element.find(f"{XS}simpleType")
        if node is not None:
            values = frozenset(e.get("value") for e in node.iter(f"{XS}enumeration"))
            if values:
                schema.codes[element.get("name")] = values
                return "code"
            base = node.find(f"{XS}restriction")
            type_name = base.get("base") if base is not None else None
        return {"xs:date": "date", "xs:integer": "integer", "positiveintegertype": "integer",
                "xs:gYear": "integer"}.get(type_name, "text")

    def visit(name, complex_type):
        sequence = complex_type.find(f"{XS}sequence")
        names = []
        for element in (sequence if sequence is not None else ()):
            if element.tag != f"{XS}element":
                continue
            child = element.get("name")
            names.append(child)
            if int(element.get("minOccurs", "1")) >= 1:
                schema.required.setdefault(name, set()).add(child)
            if element.get("maxOccurs", "1") != "1":
                schema.repeating.setdefault(name, set()).add(child)
            nested = complex_.get(element.get("type")) if element.get("type") else element.find(f"{XS}complexType")
            if nested is not None:
                visit(child, nested)
            else:
                schema.types[child] = leaf_type(element)
        schema.children[name] = tuple(names)
        schema.order[name] = {child: i for i, child in enumerate(names)}

    for element in root.findall(f"{XS}element"):
        visit(element.get("name"), complex_[element.get("type")])
    return schema
