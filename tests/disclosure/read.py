"""Reading what a person is shown: every page, table and download with figures (dashboard and its CSV and
Excel files, the API, LADO, private fostering, the yearly report's HTML), each figure given the one name it
has wherever it appears, and the relations a reader knows between them added to the ledger.

The names: ("ind", year, indicator) for the indicator engine's counts, ("pop", year) for the population the
rates use, ("lado", year, ...) and ("pf", year, ...) for the registers."""
import csv
import io
import re

import lxml.html

from safeguarding.dashboard.selectors import TIMELINESS
from safeguarding.indicators.engine import definitions as d
from safeguarding.indicators.table import EXTRA_ROWS, ROWS
from safeguarding.lado.models import Sector
from safeguarding.returns.codes import CATEGORY_OF_ABUSE, REFERRAL_SOURCE

FAMILY_TOTAL = {"referral_source:": "referrals", "initial_category:": "cpp_starts"}
# Values that are a share of another stored value (the reader is told so: core/disclosure.py SHARE_OF says the same).
SHARE_OF = {"source_assessed:": "referral_source:", "source_domestic_abuse:": "source_assessed:",
            "source_group:": "source_assessed:"}
# The tables of referrals by source and what their assessments found: the dashboard's and the yearly report's.
FINDINGS_CAPTIONS = ("What assessments found, by source of referral", "Referrals by source and what assessments found")


def _label(text):
    return re.sub(r"\s*\(31/3/\d\d\)", "", text).strip()


ROW_CODES = {_label(label): (code, percent) for label, code, percent in ROWS + EXTRA_ROWS}
TREND_CODES = {d.BY_CODE[code].title.replace("(31 March)", "at 31 March").strip(): (code, percent)
               for _, code, percent in ROWS + EXTRA_ROWS}
SECTORS = {label: code for code, label in Sector.choices}
SOURCES = {label: f"referral_source:{code}" for code, label in REFERRAL_SOURCE.items()}
CATEGORIES = {label: f"initial_category:{code}" for code, label in CATEGORY_OF_ABUSE.items()}
TIMELINESS_CODES = dict((label, code) for code, label in TIMELINESS)


def text_of(element):
    return " ".join(" ".join(element.itertext()).split())


def year_of(label):
    """"2020-21" or "20-21" -> 2021."""
    match = re.search(r"(\d{2,4})-(\d\d)\b", label)
    if not match:
        return None
    return (int(match.group(1)) // 100 * 100 if len(match.group(1)) == 4 else 2000) + int(match.group(2))


def tables(html):
    """Every table: (caption, head rows, body rows), each row a list of cell texts (a colspan repeats)."""
    tree = lxml.html.fromstring(html)
    found = []
    for table in tree.iter("table"):
        caption = table.find("caption")

        def rows(section):
            out = []
            for tr in table.xpath(f"./{section}/tr"):
                cells = []
                for cell in tr:
                    cells += [text_of(cell)] * int(cell.get("colspan", 1))
                out.append(cells)
            return out
        found.append((text_of(caption) if caption is not None else "", rows("thead"), rows("tbody")))
    return found


def facts(html):
    """Every summary list row: (label, value) (a source in brackets after the value left off)."""
    tree = lxml.html.fromstring(html)
    out = []
    for row in tree.xpath("//div[contains(@class,'govuk-summary-list__row')]"):
        dt, dd = row.find("dt"), row.find("dd")
        if dt is None or dd is None:
            continue
        value = "".join(t for t in dd.xpath("./text()")).strip()
        out.append((text_of(dt), value))
    return out


def populations(text, ledger):
    """"Population 2020-21: 65,850" (the dashboard), "2020-21: population 65,850" (the report)."""
    for pattern in (r"Population (\d{4})-\d\d: ([\d,]+)", r"(\d{4})-\d\d: population ([\d,]+)"):
        for first, value in re.findall(pattern, text):
            ledger.known(("pop", int(first) + 1), int(value.replace(",", "")))


# The core table, wherever it is shown --------------------------------------------------------------------

def core_table(head, body, ledger, where):
    """The core table (the dashboard's or the report's): head rows name the years, each body row an indicator:
    number and rate for each year, the comparators, and the change."""
    top = head[0]
    # The authority's years span two columns (number and rate); the comparators' one.
    years = [(i, year_of(text)) for i, text in enumerate(top[:-1]) if year_of(text) and top[i + 1] == text
             and (i == 0 or top[i - 1] != text)]
    change_at = next((i for i, text in enumerate(top) if "change" in text), None)
    for row in body:
        if _label(row[0]) not in ROW_CODES:
            continue
        code, percent = ROW_CODES[_label(row[0])]
        for i, y in years:
            ledger.figure(("ind", y, code), row[i], where)
            _rate_or_share(ledger, y, code, percent, row[i + 1], where)
        if change_at is not None and len(years) > 1:
            ledger.change(("ind", years[0][1], code), ("ind", years[1][1], code), row[change_at], where)


def _rate_or_share(ledger, year, code, percent, text, where):
    if percent:
        ledger.share(("ind", year, code), ("ind", year, d.BY_CODE[percent].denominator), text, where)
    else:
        ledger.rate(("ind", year, code), ledger_population(ledger, year), text, where)


def ledger_population(ledger, year):
    values = ledger.shown.get(("pop", year))
    return next(iter(values)) if values and len(values) == 1 else None


def trend_table(title, head, body, ledger, where):
    if title not in TREND_CODES:
        return
    code, percent = TREND_CODES[title]
    for row in body:
        y = year_of(row[0])
        if y and len(row) > 1:
            _rate_or_share(ledger, y, code, percent, row[1], where)


def share_cell(text):
    """A panel cell: "12.3% 45 of 367" -> ("12.3%", "45", "367")."""
    match = re.fullmatch(r"(\S+)\s+(\S+) of (\S+)", text)
    return match.groups() if match else (None, None, None)


# The dashboard and its files ----------------------------------------------------------------------------

def dashboard(client, slug, year, ledger):
    where = f"dashboard {year}"
    html = client.get(f"/p/{slug}/dashboard/", {"year": year}).content.decode()
    tree = lxml.html.fromstring(html)
    populations(text_of(tree), ledger)
    pending = []
    for caption, head, body in tables(html):
        if any(row and row[0] == "Indicator" for row in head) and len(head) > 1:
            pending.append(lambda h=head, b=body: core_table(h, b, ledger, where))
        elif caption.endswith(("rate per 10,000 children aged 0 to 17", ": percentage")):
            title = caption.rsplit(":", 1)[0]
            pending.append(lambda t=title, h=head, b=body: trend_table(t, h, b, ledger, where + " trend"))
        elif caption.startswith(FINDINGS_CAPTIONS):
            _findings(body, year, ledger, where + " what assessments found")
        elif caption.startswith("Referrals by source"):
            _family(body, SOURCES, year, ledger, where + " referral sources")
        elif caption.startswith("Child protection plans starting"):
            _family(body, CATEGORIES, year, ledger, where + " categories of abuse")
        elif caption in ("Assessment factors under each priority", "Work done on time, by year"):
            _panel(head, body, ledger, where + " " + caption.lower(), caption.startswith("Work"))
    return pending


def _family(body, codes, year, ledger, where):
    names = []
    for label, n, share in (row[:3] for row in body if len(row) >= 3):
        if label not in codes:
            continue
        name = ("ind", year, codes[label])
        names.append(name)
        ledger.figure(name, n, where)
        total = ("ind", year, FAMILY_TOTAL[codes[label].split(":")[0] + ":"])
        ledger.share(name, total, share, where)
    if names:
        ledger.adds_up(("ind", year, FAMILY_TOTAL[names[0][2].split(":")[0] + ":"]), names, where)


def _findings(body, year, ledger, where):
    """Source, referrals, with a completed assessment, found domestic abuse, its share of those assessed."""
    for label, referrals, assessed, found, share in (row[:5] for row in body if len(row) >= 5):
        if label not in SOURCES:
            continue
        code = SOURCES[label].split(":", 1)[1]
        ledger.figure(("ind", year, SOURCES[label]), referrals, where)
        ledger.figure(("ind", year, f"source_assessed:{code}"), assessed, where)
        ledger.figure(("ind", year, f"source_domestic_abuse:{code}"), found, where)
        ledger.share(("ind", year, f"source_domestic_abuse:{code}"), ("ind", year, f"source_assessed:{code}"), share,
                     where)


def _panel(head, body, ledger, where, timeliness):
    years = [year_of(text) for text in head[0][1:]]
    for row in body:
        label = row[0] if timeliness else row[0].split(" Factors:")[0].split(" No figures")[0]
        code = TIMELINESS_CODES.get(label) if timeliness else f"factor_group:{label}"
        if code is None:
            continue
        for y, cell in zip(years, row[1:]):
            pct, n, of = share_cell(cell)
            if n is None:
                continue
            ledger.figure(("ind", y, code), n, where)
            ledger.figure(("ind", y, code, "of"), of, where)
            ledger.share(("ind", y, code), ("ind", y, code, "of"), pct, where)


def dashboard_files(client, slug, year, ledger):
    """The table as CSV and Excel (with its notes: the populations), the trends as CSV."""
    from openpyxl import load_workbook

    where = f"dashboard {year} downloads"
    query = {"year": year}
    book = load_workbook(io.BytesIO(client.get(f"/p/{slug}/dashboard/table.xlsx", query).content))
    for note, detail in list(book["Notes"].iter_rows(values_only=True))[1:]:
        figure = re.match(r"([\d,]+) ", str(detail))
        if re.fullmatch(r"Population \d{4}-\d\d", str(note)) and figure:
            ledger.known(("pop", year_of(note)), int(figure.group(1).replace(",", "")))
    sheet = [["" if v is None else str(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    rows = list(csv.reader(io.StringIO(client.get(f"/p/{slug}/dashboard/table.csv", query).content.decode())))
    trends = list(csv.reader(io.StringIO(client.get(f"/p/{slug}/dashboard/charts.csv", query).content.decode())))

    def later():
        for name, found in (("Excel", sheet), ("CSV", rows)):
            _file_table(found[0], found[1:], ledger, f"{where} ({name})")
        la = trends[1][2] if len(trends) > 1 else None
        for title, label, series, value, unit in trends[1:]:
            if series == la and title in TREND_CODES:
                code, percent = TREND_CODES[title]
                _rate_or_share(ledger, year_of(label), code, percent, value, where + " trends")
    return [later]


def _file_table(header, body, ledger, where):
    years = [(i, year_of(h)) for i, h in enumerate(header) if h.endswith(" number")]
    change_at = next((i for i, h in enumerate(header) if "change" in h), None)
    for row in body:
        if _label(row[0]) not in ROW_CODES:
            continue
        code, percent = ROW_CODES[_label(row[0])]
        for i, y in years:
            ledger.figure(("ind", y, code), _whole(row[i]), where)
            _rate_or_share(ledger, y, code, percent, row[i + 1], where)
        if change_at is not None and len(years) > 1 and row[change_at] not in ("", "c"):
            ledger.change(("ind", years[0][1], code), ("ind", years[1][1], code), row[change_at], where)


def _whole(text):
    return str(int(float(text))) if re.fullmatch(r"\d+(\.0)?", text or "") else text


# The API ---------------------------------------------------------------------------------------------------

def api(client, slug, ledger, token):
    where = "API indicator values"
    body = client.get(f"/api/p/{slug}/indicator-values/", {"limit": 100000},
                      HTTP_AUTHORIZATION=f"Token {token}").json()
    later = []
    for row in body["results"]:
        y, code = row["year"], row["indicator"]
        definition = d.BY_CODE.get(code)
        if row["numerator"] is None and row["denominator"] is None and row["suppressed"] != "c" and \
                (definition is None or definition.unit != "percent") and ":" not in code:
            ledger.figure(("ind", y, code), int(float(row["value"])) if row["value"] is not None else None, where)
            if row["rate"] is not None and row["population"]:
                later.append(lambda y=y, code=code, row=row: ledger.rate(
                    ("ind", y, code), row["population"], str(row["rate"]), where))
            continue
        if definition is not None and definition.unit == "percent":
            part, whole = ("ind", y, definition.numerator), ("ind", y, definition.denominator)
        elif ":" in code and code.split(":")[0] + ":" in FAMILY_TOTAL:
            part, whole = ("ind", y, code), ("ind", y, FAMILY_TOTAL[code.split(":")[0] + ":"])
        elif ":" in code and code.split(":")[0] + ":" in SHARE_OF:  # a share of another value: the same count
            part, whole = ("ind", y, code), ("ind", y, SHARE_OF[code.split(":")[0] + ":"] + code.split(":")[1])
        else:
            part, whole = ("ind", y, code), ("ind", y, code, "of")
        if row["suppressed"] == "c":
            ledger.figure(part, "c", where)  # which side was small is not said: the part stands for it
            continue
        ledger.figure(part, row["numerator"], where)
        ledger.figure(whole, row["denominator"], where)
        if row["value"] is not None:
            ledger.share(part, whole, f"{float(row['value']):.6f}", where)
    return later


# LADO ------------------------------------------------------------------------------------------------------

def lado_page(client, slug, year, years, ledger):
    where = f"LADO page {year}"
    html = client.get(f"/p/{slug}/lado/", {"year": year}).content.decode()
    for label, value in facts(html):
        _lado_fact(label, value, year, years, ledger, where)
    for caption, head, body in tables(html):
        _lado_table(caption, head, body, year, ledger, where)


def _lado_fact(label, value, year, years, ledger, where):
    name = ("lado", year)
    if label.startswith("Referrals in"):
        ledger.figure(name + ("referrals",), value, where)
    elif label.startswith("Change on the year before"):
        before = re.search(r"\(([^)]*)\)\s*$", label) or re.search(r"\(from ([^)]*)\)", value)
        ledger.figure(("lado", year - 1, "referrals"), before.group(1).replace("from ", ""), where)
        ledger.change(name + ("referrals",), ("lado", year - 1, "referrals"), value.split(" ")[0], where)
    elif label.startswith("Average"):
        held = [y for y in years if year - 4 <= y < year]
        ledger.mean([("lado", y, "referrals") for y in held], value, where)
    elif label == "Consultations":
        ledger.figure(name + ("consultations",), value, where)
    elif label.startswith("Consultations about staff in education"):
        count, _, share = value.partition(" (")
        ledger.figure(name + ("education and fostering",), count, where)
        ledger.share(name + ("education and fostering",), name + ("consultations",), share.rstrip(")"), where)
        ledger.adds_up(name + ("education and fostering",), [name + ("consultations", "education"),
                                                             name + ("consultations", "foster_carer")], where)


def _lado_table(caption, head, body, year, ledger, where):
    name = ("lado", year)
    if caption.startswith("Contacts by the sector"):
        shown = {SECTORS[row[0]]: row for row in body if row[0] in SECTORS}
        for code in SECTORS.values():  # a sector not listed had none
            row = shown.get(code, ["", "0", "0"])
            ledger.figure(name + ("referrals", code), row[1], where)
            ledger.figure(name + ("consultations", code), row[2], where)
        for kind in ("referrals", "consultations"):
            ledger.adds_up(name + (kind,), [name + (kind, code) for code in SECTORS.values()], where)
    elif "time from referral to outcome" in caption.lower():
        concluded = re.search(r"Share of the (\S+) concluded", " ".join(head[0])) or \
            re.search(r"\((\S+)\)$", caption)
        ledger.figure(name + ("concluded",), concluded.group(1), where)
        for row in body:
            months = int(re.search(r"(\d+) month", row[0]).group(1))
            ledger.figure(name + ("on time", months), row[1], where)
            ledger.share(name + ("on time", months), name + ("concluded",), row[2], where)


# Private fostering ------------------------------------------------------------------------------------------

def fostering_page(client, slug, year, ledger):
    where = f"private fostering page {year}"
    html = client.get(f"/p/{slug}/registers/private-fostering/", {"year": year}).content.decode()
    name = ("pf", year)
    for label, value in facts(html):
        if label == "Notifications received":
            ledger.figure(name + ("notifications",), value, where)
        elif label.startswith("Notified before"):
            count, _, share = value.partition(" (")
            ledger.figure(name + ("notified in time",), count, where)
            ledger.share(name + ("notified in time",), name + ("notifications",), share.rstrip(")"), where)
    kinds = {"First visit within 7 working days": "first", "Statutory visits (6 weeks, then 12)": "statutory",
             "All visits": "all"}
    for caption, head, body in tables(html):
        if caption.startswith("Visits on time"):
            for row in body:
                if row[0] in kinds:
                    kind = kinds[row[0]]
                    ledger.figure(name + (kind, "due"), row[1], where)
                    ledger.figure(name + (kind, "on time"), row[2], where)
                    ledger.share(name + (kind, "on time"), name + (kind, "due"), row[3], where)
            for side in ("due", "on time"):
                ledger.adds_up(name + ("all", side), [name + ("first", side), name + ("statutory", side)], where)
        elif caption.startswith("Who notified"):
            parts = [name + ("notified by", row[0]) for row in body]
            for row, part in zip(body, parts):
                ledger.figure(part, row[1], where)
            ledger.adds_up(name + ("notifications",), parts, where)


# The yearly report ---------------------------------------------------------------------------------------------

def report_html(client, slug, pk, year, years, ledger):
    where = f"report {pk} (HTML)"
    html = client.get(f"/p/{slug}/reports/{pk}/report.html").content.decode()
    tree = lxml.html.fromstring(html)
    populations(text_of(tree), ledger)
    for section in tree.xpath("//section"):
        key = section.get("id")
        part = lxml.html.tostring(section, encoding="unicode")
        if key == "lado":
            for label, value in facts(part):
                _lado_fact(label.replace(" referrals a year", ""), value, year, years, ledger, where)
            for caption, head, body in tables(part):
                _lado_table(caption, head, body, year, ledger, where)
        for label, value in facts(part):
            if label == "Notifications":
                ledger.figure(("pf", year, "notifications"), value, where)
            elif label == "First visits within 7 working days":
                # The report gives the share without the visits due: a reader takes them as the notifications.
                ledger.unseen_ok.add(("pf", year, "first", "on time"))
                ledger.share(("pf", year, "first", "on time"), ("pf", year, "notifications"), value, where)
    pending = []
    for caption, head, body in tables(html):
        if caption.startswith("Core child protection activity"):
            pending.append(lambda h=head, b=body: core_table(h, b, ledger, where))
        elif caption.endswith(": the figures"):
            pending.append(lambda t=caption[:-len(": the figures")], h=head, b=body:
                           trend_table(t, h, b, ledger, where + " trend"))
        elif caption.startswith(FINDINGS_CAPTIONS):
            _findings(body, year, ledger, where + " what assessments found")
        elif caption.startswith("Referrals by source"):
            _family(body, SOURCES, year, ledger, where + " referral sources")
    return pending
