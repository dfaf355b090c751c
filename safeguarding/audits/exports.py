"""The Section 11 matrix as an Excel workbook: agencies by standards (self-rating and moderated rating), the
summary per standard, the standards' titles and notes. Ratings are written in words, with a fill in the
rating's colour as a second cue, never the only one."""
import io

from django.utils import timezone

FILLS = {"red": "F4C7C3", "orange": "FBD9B8", "yellow": "FFF2B3", "green": "CCE8D5", "turquoise": "C8ECEA"}


def _bold_header(sheet):
    from openpyxl.styles import Font

    for cell in sheet[1]:
        cell.font = Font(bold=True)


def _safe(text):
    # A leading =, +, - or @ would run as a formula when the workbook is opened.
    text = "" if text is None else str(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def matrix_xlsx(summary):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, PatternFill

    cycle = summary.cycle
    book = Workbook()
    sheet = book.active
    sheet.title = "Matrix"
    header = ["Agency", "Status"]
    for standard in summary.standards:
        header += [f"{standard.number} self-rating", f"{standard.number} moderated"]
    sheet.append(header)
    _bold_header(sheet)
    for row in summary.rows:
        line = [_safe(row.organisation.name), row.status + (" (late)" if row.late else "")]
        for cell in row.cells:
            line += [cell.self_rating.label if cell.self_rating else "",
                     cell.moderated.label if cell.moderated else ""]
        sheet.append(line)
        for index, cell in enumerate(row.cells):
            for offset, rating in ((0, cell.self_rating), (1, cell.moderated)):
                if rating is not None and rating.colour in FILLS:
                    target = sheet.cell(row=sheet.max_row, column=3 + 2 * index + offset)
                    target.fill = PatternFill("solid", fgColor=FILLS[rating.colour])
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 16
    for column in list(sheet.columns)[2:]:
        sheet.column_dimensions[column[0].column_letter].width = 18
        for cell in column[1:]:
            cell.alignment = Alignment(wrap_text=True)

    counts = book.create_sheet("By standard")
    ratings = list(summary.ratings)
    counts.append(["Standard"] + [f"Moderated: {r.label}" for r in ratings] + ["Not moderated yet"]
                  + [f"Self-rated: {r.label}" for r in ratings])
    _bold_header(counts)
    for s in summary.by_standard:
        counts.append([_safe(f"{s.number}. {s.title}")] + [n for _, n in s.moderated_counts] + [s.not_moderated]
                      + [n for _, n in s.self_counts])
    counts.column_dimensions["A"].width = 60

    standards = book.create_sheet("Standards")
    standards.append(["Number", "Standard", "What good looks like"])
    _bold_header(standards)
    for standard in summary.standards:
        standards.append([standard.number, _safe(standard.title), _safe(standard.description)])
    standards.column_dimensions["B"].width = 60
    standards.column_dimensions["C"].width = 100

    notes = book.create_sheet("Notes")
    notes.append(["Note", "Detail"])
    _bold_header(notes)
    for line in [("Partnership", cycle.partnership.name), ("Cycle", cycle.title),
                 ("Financial year", cycle.year_label), ("Framework", cycle.framework.name),
                 ("Rating scale", cycle.framework.get_scale_display()),
                 ("Due date", f"{cycle.due_on.day} {cycle.due_on:%B %Y}"),
                 ("Agencies asked", summary.expected), ("Returns submitted", summary.submitted),
                 ("Returns moderated", summary.moderated),
                 ("Overdue", ", ".join(o.name for o in summary.overdue) or "None"),
                 ("Self-ratings", "Shown once a return is submitted"),
                 ("Downloaded", timezone.localtime().strftime("%d %B %Y %H:%M"))]:
        notes.append([line[0], _safe(line[1]) if isinstance(line[1], str) else line[1]])
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
