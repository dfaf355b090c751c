"""Any app's CSV and Excel downloads, written one way: text that a spreadsheet would run as a formula is quoted
(CSV) or stored as text (Excel); decimals keep their places; a Notes sheet carries the sources."""
import csv
import io
from decimal import Decimal


def spreadsheet_cell(value):
    """A value for a CSV cell: text starting with =, +, - or @ would run as a formula in a spreadsheet, so it is
    quoted."""
    return "'" + value if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") else value


def to_csv(header, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else spreadsheet_cell(v) for v in row])
    return out.getvalue()


def to_xlsx(title, header, rows, note_lines):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_excel(v) for v in row])
        for cell, value in zip(sheet[sheet.max_row], row):
            if isinstance(value, str) and value.startswith("="):  # text someone typed, never a formula to run
                cell.data_type = "s"
            if isinstance(value, Decimal):
                cell.number_format = "#,##0" if value == value.to_integral_value() and "." not in str(value) else \
                    "#,##0." + "0" * max(1, -value.as_tuple().exponent)
    sheet.freeze_panes = "B2"
    for index, column in enumerate(sheet.columns, start=1):
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(10, width + 2), 60 if index == 1 else 24)
    sources = book.create_sheet("Notes")
    sources.append(["Note", "Detail"])
    for cell in sources[1]:
        cell.font = Font(bold=True)
    for line in note_lines:
        sources.append(list(line))
    sources.column_dimensions["A"].width = 40
    sources.column_dimensions["B"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _excel(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 else float(value)
    return value
