"""Every generated sentence says what the figures say (issue 14, point 3; ADR 0018).

Each sentence is parsed back into its figures and they are worked out again from the table it came from
(or, for the LADO paragraph, from the contacts themselves): a count's change from the two counts, a rate's
change from the two rates, each figure rounded as the table shows it, one figure for one thing, and nothing
about a count the table shows as c. Run over the demo partnership's report for every year and both sets of
comparators, and over tables and contacts drawn by hypothesis.
"""
import datetime
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguarding.indicators.narrative import sentences
from safeguarding.indicators.rounding import round_half_up
from safeguarding.indicators.table import (
    GROUPS, ROWS, SUBJECTS, Figure, Row, Table, YearFigures, _fmt, year_label)
from safeguarding.lado import figures as lado_figures

RATE_ROWS = ("s47_started", "cpp_open")  # the rows whose rate's change the register speaks of
YEAR = r"\d{4}-\d{2}"
NUMBER = r"[\d,]+(?:\.\d+)?%?"

FINDING = re.compile(
    rf"^(?P<label>.+?): (?P<now>{NUMBER}) in (?P<year>{YEAR})"
    rf"(?: against (?P<before>\S+) in (?P<year0>{YEAR}); the number "
    rf"(?P<move>increased by|decreased by|changed by less than|did not change)(?: (?P<pct>[\d.]+)%)?)?"
    rf"(?:, and at (?P<rate>{NUMBER}) (?:per 10,000 children|of the year's figure) it is (?P<phrase>.+?))?\.$")
RATE = re.compile(
    rf"^The rate of (?P<subject>.+?) (?P<move>increased by|decreased by|changed by less than|did not change)"
    rf"(?: (?P<pct>[\d.]+)%)?"
    rf"(?:, from (?P<before>{NUMBER}) per 10,000 children in (?P<year0>{YEAR}) to (?P<now>{NUMBER}) in "
    rf"(?P<year>{YEAR}))?(?:,? and is now (?P<phrase>.+?))?\.$")
WHAT_IF = re.compile(
    rf"^To match the (?P<names>.+?) rate of (?P<rate>{NUMBER}) per 10,000, the number of children on plans "
    rf"would need to be (?P<needed>[\d,]+) rather than (?P<now>[\d,]+), in a population of (?P<pop>[\d,]+)\.$")
FLAG = re.compile(
    rf"^The (?P<year>{YEAR}) rate of (?P<subject>.+?) as published \((?P<published>{NUMBER})\) does not fit its "
    rf"count and population: (?P<count>[\d,]+) in (?P<pop>[\d,]+) children is a rate of (?P<rate>{NUMBER}) "
    rf"per 10,000\.$")
TWO_FIGURES = re.compile(r"around ([\d,]+) \(exactly ([\d,]+)")


def number(text):
    return Decimal(text.replace(",", "").rstrip("%"))


def signed(match):
    """The change a sentence states, with its sign; None for 'changed by less than 0.05%'."""
    if match["move"] in ("changed by less than", "did not change"):
        return None
    return number(match["pct"]) * (-1 if match["move"] == "decreased by" else 1)


def change(now, before):
    return (Decimal(now) - Decimal(before)) * 100 / Decimal(before)


def check_phrase(phrase, table, row):
    """'higher than A and B, in line with C, lower than D' (or 'all comparator groups'), read against the
    rates as the table shows them."""
    own = number(row.now.rate.shown)
    relation = {}
    for key, heading in table.groups:
        figure = row.comparators.get(key)
        if figure is not None and figure.value is not None:
            other = number(figure.shown)
            relation[heading] = "higher than" if own > other else "lower than" if own < other else "in line with"
    if phrase in ("higher than all comparator groups", "lower than all comparator groups"):
        wanted = phrase.removesuffix(" all comparator groups")
        return [] if len(relation) > 1 and set(relation.values()) == {wanted} else [
            f"{row.label}: '{phrase}' but the table gives {relation}"]
    expected = []
    for words in ("higher than", "in line with", "lower than"):
        named = [h for h in relation if relation[h] == words]
        if named:
            expected.append(f"{words} {' and '.join(named)}")
    return [] if phrase == ", ".join(expected) else [f"{row.label}: '{phrase}', the table gives {expected}"]


def check_table_sentences(table, said):
    """Problems found in the sentences written from ``table`` (an empty list when every figure checks out)."""
    problems = []
    by_label = {row.label: row for row in table.rows}
    by_subject = {SUBJECTS.get(row.code, row.label): row for row in table.rows}
    for sentence in said:
        text = sentence.text
        two = TWO_FIGURES.search(text)
        if two and two[1] != two[2]:
            problems.append(f"two figures for one thing ({two[0]}): {text}")
            continue
        if sentence.kind == "flag":
            problems += check_flag(table, by_subject, text)
        elif sentence.kind == "what-if":
            problems += check_what_if(table, text)
        elif text.startswith("The rate of "):
            problems += check_rate(table, by_subject, text)
        else:
            problems += check_finding(table, by_label, text)
    return problems


def check_finding(table, by_label, text):
    found = FINDING.match(text)
    if not found or found["label"] not in by_label:
        return [f"cannot read: {text}"]
    row, problems = by_label[found["label"]], []
    if (found["now"], found["year"]) != (row.now.number.shown, year_label(row.now.year)):
        problems.append(f"count {found['now']} in {found['year']} is not the table's: {text}")
    if found["before"] is not None:
        if found["before"] != row.before.number.shown or row.before.number.value is None:
            problems.append(f"count the year before {found['before']} is not the table's: {text}")
        else:
            true = round_half_up(change(row.now.number.value, row.before.number.value), 1)
            stated = signed(found)
            if found["move"] == "did not change" and row.now.number.value != row.before.number.value:
                problems.append(f"the count changed, the sentence says it did not: {text}")
            if stated != true and not (stated is None and true == 0):
                problems.append(f"the count changed by {true}%, the sentence says {stated}%: {text}")
            if row.change.shown != _fmt(true, 1, True):
                problems.append(f"the change column shows {row.change.shown}, the sentence {true}%: {text}")
    elif row.change is not None and row.change.value is not None and row.before.number.value:
        problems.append(f"a change the table shows is left out: {text}")
    if found["rate"] is not None:
        if found["rate"] != row.now.rate.shown:
            problems.append(f"rate {found['rate']} is not the table's {row.now.rate.shown}: {text}")
        problems += check_phrase(found["phrase"], table, row)
    return problems


def check_rate(table, by_subject, text):
    found = RATE.match(text)
    if not found or found["subject"] not in by_subject:
        return [f"cannot read: {text}"]
    row, problems = by_subject[found["subject"]], []
    now, before = row.now.rate, row.before.rate
    if now.value is None or before.value is None:
        return [f"a rate's change from a rate the table does not show ({before.shown}, {now.shown}): {text}"]
    if (found["before"], found["now"]) != (before.shown, now.shown):
        problems.append(f"the sentence does not give the table's rates ({before.shown} to {now.shown}): {text}")
    # Worked out from the rates as the table shows them (and the sentence gives them): anyone can check it.
    true = change(number(now.shown), number(before.shown))
    stated = signed(found)
    if stated is None:
        if abs(true) >= Decimal("0.05") or (found["move"] == "did not change" and true != 0):
            problems.append(f"the rate changed by {round_half_up(true, 1)}%, the sentence says it did not: {text}")
    elif stated != round_half_up(true, 1):
        problems.append(f"the rate changed by {round_half_up(true, 1)}%, the sentence says {stated}%: {text}")
    if found["phrase"]:
        problems += check_phrase(found["phrase"], table, row)
    return problems


def check_what_if(table, text):
    found = WHAT_IF.match(text)
    if not found:
        return [f"cannot read: {text}"]
    row = next(r for r in table.rows if r.code == "cpp_open")
    population = table.population[table.year][0]
    problems = []
    for name in found["names"].split(" and "):
        key = next((k for k, heading in table.groups if heading == name), None)
        if key is None or row.comparators[key].shown != found["rate"]:
            problems.append(f"{name}'s rate is not {found['rate']} in the table: {text}")
    lowest = min(number(f.shown) for f in row.comparators.values() if f.value is not None)
    if number(found["rate"]) != lowest or not lowest < number(row.now.rate.shown):
        problems.append(f"{found['rate']} is not the lowest comparator below {row.now.rate.shown}: {text}")
    if number(found["pop"]) != population:
        problems.append(f"population {found['pop']} is not the table's {population:,}: {text}")
    needed = round_half_up(number(found["rate"]) * population / 10000, 0)
    if number(found["needed"]) != needed:
        problems.append(f"{found['rate']} per 10,000 of {population:,} is {needed}, not {found['needed']}: {text}")
    if found["now"] != row.now.number.shown:
        problems.append(f"{found['now']} is not the table's {row.now.number.shown}: {text}")
    return problems


def check_flag(table, by_subject, text):
    found = FLAG.match(text)
    if not found or found["subject"] not in by_subject:
        return [f"cannot read: {text}"]
    row = by_subject[found["subject"]]
    year = next(y for y in row.years if year_label(y.year) == found["year"])
    population = table.population[year.year][0]
    places = len(found["published"].partition(".")[2])
    worked_out = _fmt(Decimal(year.number.value) * 10000 / population, places)
    if (found["published"], found["count"], number(found["pop"]), found["rate"]) != (
            year.rate.shown, year.number.shown, population, worked_out) or worked_out == year.rate.shown:
        return [f"the table gives {year.rate.shown}, {year.number.shown} in {population:,} = {worked_out}: {text}"]
    return []


def check_no_small_counts(table, said):
    """A row with a count shown as c is not spoken of, and nothing worked out from it is given."""
    problems = []
    for row in table.rows:
        hidden = [f for f in row.years if f.number.shown == "c"]
        if not hidden:
            continue
        name = SUBJECTS.get(row.code, row.label)
        for sentence in said:
            if row.now.number.shown == "c" and (sentence.text.startswith(f"{row.label}: ")
                                                or sentence.text.startswith(f"The rate of {name} ")):
                problems.append(f"a row shown as c is spoken of: {sentence.text}")
            if sentence.text.startswith(f"{row.label}: ") and " against " in sentence.text:
                problems.append(f"a change worked out from a c: {sentence.text}")
            if sentence.text.startswith(f"The rate of {name} "):
                problems.append(f"a rate's change worked out from a c: {sentence.text}")
    return problems


# The demo partnership's report, every year -------------------------------------------------------------

def _reports():
    """A report for every year the demo holds returns for, with each set of comparators."""
    from safeguarding.accounts.models import Partnership
    from safeguarding.indicators.models import IndicatorValue
    from safeguarding.reports.models import YearlyReport

    southwark = Partnership.objects.get(slug="southwark")
    years = sorted(set(IndicatorValue.objects.filter(la_code=southwark.la_code).values_list("year", flat=True)))
    assert len(years) >= 5
    for year in years:
        for version, comparators in ((101, "dfe"), (102, "as-published")):
            yield YearlyReport.objects.create(partnership=southwark, year=year, version=version,
                                              comparators=comparators, title=f"Test report {year}")


@pytest.mark.django_db
def test_every_sentence_of_the_demo_partnership_matches_its_figures(demo):
    """One test, as loading the demo takes most of a minute: the core table's sentences of every year's report,
    the two sentences issue 14 found wrong, the LADO paragraph of every year, and the charts' summaries."""
    reports = list(_reports())
    check_demo_reports(reports)
    check_the_sentences_issue_14_found_wrong(reports)
    check_demo_lado_paragraphs(reports)
    check_demo_chart_summaries()


def check_demo_reports(reports):
    from safeguarding.reports import assemble

    checked, problems = 0, []
    for report in reports:
        table = assemble.core_table(report)  # as published: small counts shown as c
        said = sentences(table)
        problems += [f"{report.year_label}, {report.comparators}: {problem}" for problem in
                     check_table_sentences(table, said) + check_no_small_counts(table, said)]
        # The editor's starting point is those sentences, and the section's facts carry the what-if.
        narrative = assemble.generated_narrative(report, "accountability")
        assert narrative == "\n\n".join(s.text for s in said if s.kind != "flag")
        facts = [value for block in assemble.accountability(report, table) if hasattr(block, "items")
                 for label, value, _ in block.items if label.startswith("What it would take")]
        assert facts == [s.text for s in said if s.kind == "what-if"]
        checked += len(said)
    assert problems == [], "\n".join(problems)
    assert checked > 200


def check_the_sentences_issue_14_found_wrong(reports):
    """The demo's 2024-25 with DfE's current figures: the count of S47 enquiries fell 12.5%, their rate 11.4%;
    the plans' rate fell 18.8% (19.7% was stated); 'around 210 (exactly 206)'."""
    from safeguarding.reports import assemble

    report = next(r for r in reports if r.year == 2025 and r.comparators == "dfe")
    said = [s.text for s in sentences(assemble.core_table(report))]
    s47 = next(s for s in said if s.startswith("The rate of S47"))
    assert s47.startswith("The rate of S47 enquiries starting decreased by 11.4%, from 214.7 per 10,000 children "
                          "in 2023-24 to 190.2 in 2024-25")
    plans = next(s for s in said if s.startswith("The rate of children on child protection plans"))
    assert "decreased by 18.8%" in plans
    assert any("the number decreased by 12.5%" in s for s in said if s.startswith("S47 enquiries starting"))
    what_if = next(s for s in said if s.startswith("To match"))
    assert "around" not in what_if and "exactly" not in what_if


def check_demo_lado_paragraphs(reports):
    from safeguarding.accounts.models import Partnership
    from safeguarding.working_days import financial_year
    from safeguarding.lado.models import LadoContact
    from safeguarding.reports import assemble

    southwark = Partnership.objects.get(slug="southwark")
    contacts = list(LadoContact.objects.for_partnership(southwark).active())
    years = sorted({financial_year(c.received_on) for c in contacts})
    assert len(years) >= 4
    for report in reports:
        if report.comparators != "dfe" or report.year not in years:
            continue
        text = assemble.generated_narrative(report, "lado")
        assert check_lado_paragraph(text, contacts, report.year, suppress=True) == [], text
        detail = lado_figures.paragraph(lado_figures.year_figures(contacts, report.year))
        assert check_lado_paragraph(detail, contacts, report.year, suppress=False) == [], detail


# Trend summaries (the charts' text) -----------------------------------------------------------------------

SUMMARY = re.compile(
    rf"^(?P<title>.+?): (?P<own>.+?) (?:went from (?P<first>\S+)(?: per 10,000 children)? in (?P<y0>{YEAR}) to "
    rf"(?P<last>\S+) in (?P<y1>{YEAR})|(?P<only>\S+)(?: per 10,000 children)? in (?P<y>{YEAR}))(?:; in (?P<ly>{YEAR}) (?P<others>.+?))?\.$")


def check_demo_chart_summaries():
    from safeguarding.dashboard import selectors as dashboard

    southwark_la = "210"
    for year in (2019, 2021, 2025):
        for comparators in ("dfe", "as-published"):
            for trend in dashboard.suppressed_trends(dashboard.trends(southwark_la, dashboard.Choice(year,
                                                                                                       comparators))):
                text, own = trend.summary(), trend.series[0]
                if text == f"{trend.title}: no figures for {own} in these years.":
                    assert all(trend.values.get((own, y)) is None for y in trend.years), text
                    continue
                found = SUMMARY.match(text)
                assert found and found["own"] == own, text
                by_label = {year_label(y): y for y in trend.years}
                points = [(found["first"], found["y0"]), (found["last"], found["y1"]), (found["only"], found["y"])]
                for shown, label in points:
                    if shown is not None:
                        assert trend.shown[(own, by_label[label])] == shown != "c", text
                if found["others"]:
                    for name in trend.series[1:]:
                        value = trend.shown.get((name, by_label[found["ly"]]))
                        assert (f"{name} {value}" in found["others"]) == bool(value), text


# Generated tables ---------------------------------------------------------------------------------------

@st.composite
def tables(draw):
    """A core table as build_table lays one out: counts, populations, rates worked out or as published,
    comparators, rounded as DfE or as a report rounds them, and shown as published (c) or in full."""
    year = draw(st.integers(2012, 2030))
    places = draw(st.sampled_from([0, 1]))
    population = {y: (draw(st.integers(2_000, 300_000)), "generated") for y in (year, year - 1)}
    counts = st.one_of(st.none(), st.integers(0, 8), st.integers(0, 20_000))
    rows = []
    chosen = draw(st.lists(st.sampled_from(ROWS), min_size=1, max_size=len(ROWS), unique=True))
    for label, code, percent_code in sorted(chosen, key=lambda r: r[1] not in RATE_ROWS):
        figures = []
        for y in (year, year - 1):
            count = draw(counts)
            number = Figure(None if count is None else Decimal(count), _fmt(count, 0), "generated")
            if percent_code:
                share = None if count is None else Decimal(draw(st.integers(0, 1000))) / 10
                rate = Figure(share, _fmt(share, places, True), "generated")
            elif count is not None and draw(st.booleans()):  # as published: a rate of its own, whole
                published = Decimal(draw(st.integers(1, 2_000)))
                rate = Figure(published, _fmt(published, places), "as published", note="as published")
            else:
                raw = None if count is None else Decimal(count) * 10000 / population[y][0]
                rate = Figure(raw, _fmt(raw, places), "generated")
            figures.append(YearFigures(y, number, rate))
        row = Row(label.format(yy=f"{year % 100:02d}"), code, percent_code, "percent" if percent_code else "rate",
                  figures)
        for key, _ in GROUPS:
            value = draw(st.one_of(st.none(), st.decimals(0, 2_000, places=2)))
            row.comparators[key] = Figure(value, _fmt(value, places, bool(percent_code)), "generated")
        now, before = row.now.number.value, row.before.number.value
        if now is not None and before:
            value = change(now, before)
            row.change = Figure(value, _fmt(value, 1, True), "generated")
        else:
            row.change = Figure(None, "", "generated")
        rows.append(row)
    table = Table("999", "Testshire", year, [year, year - 1], rows, list(GROUPS), "dfe", population)
    if draw(st.booleans()):
        from safeguarding.dashboard.selectors import suppressed_table

        table = suppressed_table(table)
    return table


@given(tables())
def test_every_sentence_of_a_generated_table_matches_it(table):
    said = sentences(table)
    assert check_table_sentences(table, said) == []
    assert check_no_small_counts(table, said) == []


# The LADO paragraph ------------------------------------------------------------------------------------

def financial(day):
    return day.year + 1 if day.month >= 4 else day.year


def check_lado_paragraph(text, contacts, year, suppress):
    """The paragraph's figures against the contacts: referrals and consultations in the financial year, the
    change on the year before (whole per cent), the average of up to four years before, the share about
    staff in education and foster carers (whole per cent of the share the LADO page shows to one place)."""
    def count(kind, y):
        return sum(1 for c in contacts if c.kind == kind and financial(c.received_on) == y)

    def shown(n):
        return "c" if suppress and 1 <= n <= 5 else f"{n:,}"

    problems = []
    referrals, consultations = count("referral", year), count("consultation", year)
    earlier = sorted({financial(c.received_on) for c in contacts if financial(c.received_on) < year})
    first = re.match(r"^The LADO received (\S+) referrals? and (\S+) consultations? in (\S+)\.$", text)
    if first:
        return [] if not earlier and first.groups() == (shown(referrals), shown(consultations),
                                                        year_label(year)) else [f"wrong first year: {text}"]
    found = re.match(
        rf"^The LADO received (?P<ref>\S+) referrals? in (?P<label>{YEAR})(?P<against>, against none the year "
        rf"before|, (?:(?P<dir>up|down) (?:(?P<pct>\d+)%|less than 0\.5%)|the same as) on the year before "
        rf"\((?P<before>\S+)\))?(?: and against a (?P<n>\d+)-year average of (?P<avg>[\d,]+) \((?P<from>{YEAR}) "
        rf"to (?P<to>{YEAR})\))?\. There (?:was|were) (?P<cons>\S+) consultations?(?:, (?P<share>\d+)% of them "
        rf"about staff in education and foster carers)?\.$", text)
    if not found or not earlier:
        return [f"cannot read: {text}"]
    if (found["ref"], found["label"], found["cons"]) != (shown(referrals), year_label(year), shown(consultations)):
        problems.append(f"referrals {shown(referrals)}, consultations {shown(consultations)}: {text}")
    if re.search(r"\b(1 (?:referrals|consultations)|(?:[02-9]|c|\d\d+) (?:referral|consultation)\b(?!s))", text):
        problems.append(f"singular and plural do not follow the count: {text}")
    before = count("referral", year - 1)
    hidden = suppress and (1 <= referrals <= 5 or 1 <= before <= 5)
    if before == 0:
        if not found["against"]:
            problems.append(f"no referrals the year before, and the paragraph does not say so: {text}")
    elif hidden:
        if found["before"] or found["pct"] or found["dir"]:
            problems.append(f"a change worked out from a count shown as c: {text}")
    else:
        true = change(referrals, before)
        if found["before"] != shown(before):
            problems.append(f"the year before had {before}: {text}")
        elif true == 0:
            if found["dir"]:
                problems.append(f"no change, but the paragraph gives one: {text}")
        elif found["dir"] != ("down" if true < 0 else "up") or (
                (found["pct"] or "0") != str(abs(round_half_up(true, 0)))):
            problems.append(f"the referrals changed by {round_half_up(true, 1)}%: {text}")
    held = [y for y in earlier if year - 4 <= y < year]
    small = suppress and any(1 <= count("referral", y) <= 5 for y in held)
    if len(held) > 1 and not small:
        mean = round_half_up(Decimal(sum(count("referral", y) for y in held)) / len(held), 0)
        if (found["n"], found["avg"], found["from"], found["to"]) != (
                str(len(held)), f"{mean:,}", year_label(held[0]), year_label(held[-1])):
            problems.append(f"the {len(held)}-year average is {mean}: {text}")
    elif found["avg"]:
        problems.append(f"an average that should not be given: {text}")
    about = sum(1 for c in contacts if c.kind == "consultation" and financial(c.received_on) == year
                and c.employer_sector in lado_figures.EDUCATION_AND_FOSTERING)
    if consultations and not (suppress and (1 <= about <= 5 or 1 <= consultations <= 5)):
        share = round_half_up(round_half_up(Decimal(about) * 100 / consultations, 1), 0)
        if found["share"] != str(share):
            problems.append(f"the share is {share}%: {text}")
    elif found["share"]:
        problems.append(f"a share worked out from a count shown as c: {text}")
    return problems


@st.composite
def lado_contacts(draw):
    start = datetime.date(2016, 4, 1)
    days = st.integers(0, 6 * 365).map(lambda n: start + datetime.timedelta(days=n))
    contact = st.builds(SimpleNamespace, kind=st.sampled_from(["referral", "consultation"]), received_on=days,
                        employer_sector=st.sampled_from(["education", "foster_carer", "health", "sport"]),
                        referrer_sector=st.just("education"), outcome=st.just(""), outcome_on=st.none())
    contacts = draw(st.lists(contact, min_size=1, max_size=60))
    year = draw(st.sampled_from(sorted({financial(c.received_on) for c in contacts})))
    return contacts, year


@given(lado_contacts(), st.booleans())
def test_the_lado_paragraph_of_generated_contacts_matches_them(drawn, suppress):
    contacts, year = drawn
    text = lado_figures.paragraph(lado_figures.year_figures(contacts, year), suppress=suppress)
    assert check_lado_paragraph(text, contacts, year, suppress) == []
