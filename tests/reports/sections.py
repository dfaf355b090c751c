"""Reading a built yearly report back, section by section: the PDF's text split at the section headings, the
Word file's paragraphs and tables split at its "Heading 1" paragraphs, and a lenient match of a phrase in either
(what a reader sees, whatever the line breaks)."""
import re


def pdf_sections(pages, titles):
    """The text of each section, by title: each starts at its heading, the titles in the contents' order (a short
    section follows the one before on the same page, so sections are found in the text, not by page)."""
    text = re.sub(r"\s+", " ", " ".join(pages)).strip()
    found, at = {}, 0
    starts = []
    for title in titles:
        at = text.index(title, at)
        starts.append(at)
        at += len(title)
    for title, start, end in zip(titles, starts, starts[1:] + [len(text)]):
        found[title] = text[start:end]
    return found


def word_sections(document):
    """The text of each section of a python-docx Document, by its "Heading 1" title (the heading itself left
    out): paragraphs and table rows in the order of the body; what comes before the first heading is left out."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    found, title = {}, None
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            if paragraph.style is not None and paragraph.style.name == "Heading 1":
                title = paragraph.text.strip()
                found.setdefault(title, [])
            elif title is not None:
                found[title].append(paragraph.text)
        elif tag == "tbl" and title is not None:
            found[title] += [" | ".join(cell.text for cell in row.cells) for row in Table(child, document).rows]
    return {title: "\n".join(parts) for title, parts in found.items()}


def _fold(text):
    text = (text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
            .replace("\u2013", "-").replace("\u2014", "-").replace("\u00a0", " ").replace("\u00ad", ""))
    text = re.sub(r"\b(20\d\d)/(\d\d)\b", r"\1-\2", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def _variants(text):
    """The folded text, with hyphens as spaces, and with neither hyphens nor spaces (a word hyphenated at a line
    end may come back as "extra- familial" or "extrafamilial")."""
    folded = _fold(text)
    return folded, re.sub(r"\s+", " ", folded.replace("-", " ")).strip(), re.sub(r"[\s-]+", "", folded)


class Haystack:
    """A section's text, to ask whether it shows a phrase: case-insensitive, whitespace folded, curly quotes as
    straight, "2020/21" as "2020-21", and a hyphen the same as a space or nothing."""

    def __init__(self, text):
        self.variants = _variants(text)

    def shows(self, phrase):
        return any(needle in hay for needle, hay in zip(_variants(phrase), self.variants))
