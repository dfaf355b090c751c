"""The yearly report as a document: sections of blocks, independent of how it is written out.

The assembly (``assemble.py``) fills these from the system's data; the page, the PDF and the Word file are
three renderings of the same document, so a figure cannot say one thing in Word and another in the PDF.
"""
from dataclasses import dataclass, field


@dataclass
class Paragraphs:
    """Narrative written by the partnership (blank lines separate paragraphs)."""

    kind = "paragraphs"
    text: str

    @property
    def paragraphs(self):
        return [p.strip() for p in self.text.replace("\r\n", "\n").split("\n\n") if p.strip()]


@dataclass
class Facts:
    """Key figures as a list of (what, figure, where it comes from)."""

    kind = "facts"
    caption: str
    items: list
    panel: bool = False  # key figures, drawn large (where the reference had infographics)


@dataclass
class Table:
    kind = "table"

    caption: str
    head: list  # rows of (text, colspan)
    body: list  # rows of cells; the first cell of each row is its header
    notes: list = field(default_factory=list)
    numeric: bool = True  # cells after the first are figures (right-aligned)


@dataclass
class Chart:
    kind = "chart"

    title: str
    summary: str
    svg: str
    png: callable  # PNG bytes, drawn only when the Word file asks for them
    table: Table


@dataclass
class WordCloud:
    """Words drawn by how often they were used, with the counts as a table beside it."""

    kind = "wordcloud"

    title: str
    summary: str  # the alternative text: what the cloud shows
    svg: str
    png: callable
    table: Table


@dataclass
class Notice:
    """An honest gap: what the system does not hold yet, said plainly."""

    kind = "notice"
    text: str


SHORT_SECTION = 12  # paragraphs count three, table rows and figures one


@dataclass
class Section:
    key: str
    title: str
    blocks: list = field(default_factory=list)
    text: str = ""  # the section's editable narrative

    @property
    def flows(self):
        """A short section (a few paragraphs, a small table, no chart) follows the one before on paper rather than
        take a page to itself, so no page holds one paragraph; the foreword keeps its page."""
        if self.key == "foreword" or any(isinstance(b, (Chart, WordCloud)) for b in self.blocks):
            return False
        size = 3 * len(Paragraphs(self.text).paragraphs)
        size += sum(len(b.body) if isinstance(b, Table) else len(b.items) if isinstance(b, Facts) else 1
                    for b in self.blocks)
        return size <= SHORT_SECTION


@dataclass
class Document:
    title: str
    partnership: str
    year_label: str
    sections: list
    status: str = ""
    period: str = ""  # "1 April 2020 to 31 March 2021"
    dated: str = ""  # the cover's date line: "Published 30 September 2021", "Draft of 7 December 2026"
    sign_offs: list = field(default_factory=list)  # (name, organisation, date)
    missing: list = field(default_factory=list)  # Working Together elements not yet covered

    def section(self, key):
        return next(s for s in self.sections if s.key == key)

    def new_pages(self):
        """The keys of the sections that start a new page on paper: the first, and each long section that follows
        a long one. A short section follows on the page before, and a long one after a short one follows it too,
        so a page never holds only a short section."""
        found, previous = set(), None
        for section in self.sections:
            if previous is None or not (section.flows or previous.flows):
                found.add(section.key)
            previous = section
        return found


# The reference report's sections, in its order; the voice of children and families has its own section
# because Working Together asks for it by name.
SECTIONS = [
    ("foreword", "Foreword"),
    ("local-context", "Local context"),
    ("partnership", "The partnership"),
    ("section-11", "Section 11 findings"),
    ("accountability", "Accountability: core child protection activity"),
    ("workforce", "Social work workforce"),
    ("lado", "Allegations against people who work with children (LADO)"),
    ("finance", "Financial arrangements"),
    ("priorities", "Priorities and quarterly focus"),
    ("voice", "The voice of children and families"),
    ("case-reviews", "Learning from case reviews"),
    ("looking-ahead", "Looking ahead"),
    ("contact", "Contact information"),
]
# Sections a report shows only when its settings turn them on: (key, title, the section it follows, the setting).
OPTIONAL_SECTIONS = [("looking-ahead-demand", "Looking ahead: demand", "looking-ahead", "looking_ahead_demand")]
SECTION_TITLES = dict(SECTIONS) | {key: title for key, title, _, _ in OPTIONAL_SECTIONS}


@dataclass(frozen=True)
class Element:
    """Something Working Together 2023 requires the yearly report to show, and the sections whose
    narrative answers it (all must be written) and whose figures evidence it (one must hold data)."""

    wording: str
    written_in: tuple
    evidenced_by: tuple = ()


WORKING_TOGETHER = [
    Element("What the safeguarding partners have done as a result of the arrangements", ("priorities",)),
    Element("How effective the arrangements have been in practice", ("accountability", "section-11"),
            ("accountability", "section-11")),
    Element("Evidence of the impact of the partners' work on outcomes for children and families",
            ("accountability",), ("accountability",)),
    Element("Areas where there has been little or no evidence of progress on agreed priorities",
            ("looking-ahead",)),
    Element("Decisions and actions on the recommendations of local and national child safeguarding practice "
            "reviews, with any improvements that followed", ("case-reviews",), ("case-reviews",)),
    Element("How feedback from children and families was sought and used to inform the partners' work",
            ("voice",)),
    Element("The contribution each safeguarding partner made, in money and in kind", ("finance",), ("finance",)),
    Element("How independent scrutiny of the arrangements was used", ("partnership",)),
]


def has_data(section):
    """A section holds data when it has a figure, table or chart (not only a notice)."""
    return any(isinstance(b, (Facts, Table, Chart, WordCloud)) for b in section.blocks)


def missing_elements(document):
    """The Working Together elements the document does not yet answer, each with what is missing."""
    missing = []
    for element in WORKING_TOGETHER:
        gaps = [f"no narrative in “{SECTION_TITLES[key]}”" for key in element.written_in
                if not document.section(key).text.strip()]
        if element.evidenced_by and not any(has_data(document.section(key)) for key in element.evidenced_by):
            gaps.append("no figures recorded in " + " or ".join(f"“{SECTION_TITLES[k]}”" for k in element.evidenced_by))
        if gaps:
            missing.append((element.wording, gaps))
    return missing


def unwritten_sections(document):
    """The sections whose narrative is still empty, as (key, title)."""
    return [(s.key, s.title) for s in document.sections if not s.text.strip()]


def gaps(document):
    """What the report still lacks, one sentence each with the section that answers it: (sentence, key)."""
    by_wording = {e.wording: e for e in WORKING_TOGETHER}
    found = [(f"Working Together element missing: {wording} ({'; '.join(what)})", by_wording[wording].written_in[0])
             for wording, what in document.missing]
    found += [(f"No narrative in “{title}”", key) for key, title in unwritten_sections(document)]
    return found
