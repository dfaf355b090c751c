"""Every fact of the reference report (Southwark's 2020-21 yearly report) is in the demo partnership's 2020-21
report, in the section where the reference puts it, in the PDF and in the Word file (issue 15). The facts, each
with its section and the words that must show, are listed once in safeguarding/demo/reference_facts.toml."""
import io
import tomllib
from pathlib import Path

import pytest
from django.core.management import call_command

import safeguarding.demo
from tests.reports.sections import Haystack, pdf_sections, word_sections

pytestmark = pytest.mark.django_db

FACTS = Path(safeguarding.demo.__file__).parent / "reference_facts.toml"


def reference_facts():
    return tomllib.loads(FACTS.read_text())["fact"]


def missing_facts(facts, sections):
    """The facts whose words do not all show in their section, each as "id (section): the missing words"."""
    hays = {title: Haystack(text) for title, text in sections.items()}
    missing = []
    for fact in facts:
        hay = hays.get(fact["section"])
        lacking = [s for s in fact["shows"] if hay is None or not hay.shows(s)]
        if lacking:
            missing.append(f"{fact['id']} ({fact['section']}): {', '.join(map(repr, lacking))}")
    return missing


def test_the_fact_list_names_the_report_sections():
    from safeguarding.reports.document import SECTIONS

    facts = reference_facts()
    titles = [title for _, title in SECTIONS]
    assert len(facts) == 229 and len({f["id"] for f in facts}) == len(facts)
    assert {f["section"] for f in facts} <= set(titles)
    assert all(f["shows"] and all(s.strip() for s in f["shows"]) for f in facts)


def test_missing_facts_are_found_and_named():
    facts = [{"id": "a", "section": "Foreword", "shows": ["second", "31 March 2021"]},
             {"id": "b", "section": "Foreword", "shows": ["extra-familial", "2020/21"]},
             {"id": "c", "section": "Local context", "shows": ["70,800"]}]
    sections = {"Foreword": "Our second report, to 31\nMarch 2021: extra-\nfamilial harm in 2020-21.",
                "Local context": "70,000"}
    # Line breaks, a word hyphenated at a line end and "2020/21" for "2020-21" do not hide a fact.
    assert missing_facts(facts, sections) == ["c (Local context): '70,800'"]
    assert missing_facts(facts, {"Local context": "70,800"}) == ["a (Foreword): 'second', '31 March 2021'",
                                                                  "b (Foreword): 'extra-familial', '2020/21'"]


def test_the_demo_report_carries_every_reference_fact_in_pdf_and_word(demo, tmp_path):
    from docx import Document
    from pypdf import PdfReader

    from safeguarding.reports.document import SECTIONS

    titles = [title for _, title in SECTIONS]
    facts = reference_facts()
    pdf, docx = tmp_path / "report.pdf", tmp_path / "report.docx"
    for out in (pdf, docx):
        call_command("build_report", partnership="southwark", year=2021, format=out.suffix[1:], out=str(out),
                     stdout=io.StringIO())
    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    in_pdf = {title: text[len(title):] for title, text in pdf_sections(pages[2:], titles).items()}
    in_word = word_sections(Document(docx))
    assert set(titles) <= set(in_word)
    missing = {"PDF": missing_facts(facts, in_pdf), "Word": missing_facts(facts, in_word)}
    if any(missing.values()):  # every missing fact at once, each with the words not found
        pytest.fail("\n".join(f"{len(found)} of {len(facts)} facts missing from the {kind} file (fact, section: "
                              "words not found there):\n  " + "\n  ".join(found)
                              for kind, found in missing.items() if found), pytrace=False)
