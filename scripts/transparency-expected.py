#!/usr/bin/env python3
"""Expected figures for every real Transparency Code sample, worked out without our reader.

The TypeScript reader finds the headings, the columns and the dataset by itself; this
script is told them per file (LAYOUTS below, written by reading each file by eye) and
reads the records with Python's csv module, amounts with Decimal and dates with
datetime. It applies the same rules in its own way:

  * blank lines, the council's own total lines and repeated heading rows are not rows;
  * a row whose amount or date is present but unreadable is rejected;
  * an empty date, or a bare time such as 00:00:00, is no date (the row is kept);
  * credits are rows with a negative amount; the net total is the sum in pence;
  * Lambeth June 2012: a value that ran into the next (no comma) is split around its
    dd/mm/yyyy date, and the sum is checked against the file's own Total line.

Run from the repository root:
    python3 scripts/transparency-expected.py > test/fixtures/transparency-expected.json
"""
import csv
import io
import json
import re
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / 'shared' / 'data' / 'samples' / 'transparency-code'

# header: 1-based line of the heading row (None: no headings); width: values in a full row;
# amount/date: 0-based columns; heading_again: the amount column's heading, for a repeated heading row.
LAYOUTS = {
    'spend-over-500/devon-cc_2017-10_spending-over-500.csv': dict(header=1, width=13, amount=5, date=2),
    'spend-over-500/devon-cc_2026-01_spending-over-500.csv': dict(header=1, width=13, amount=4, date=2),
    'spend-over-500/hyndburn_2017-05_spend-over-250_cr-line-endings.csv': dict(header=1, width=7, amount=6, date=5),
    'spend-over-500/hyndburn_2023-06_spend-over-250.csv': dict(header=2, width=7, amount=6, date=5),
    'spend-over-500/hyndburn_2024-10_spend-over-250_spread-columns.csv': dict(header=1, width=17, amount=16, date=14),
    'spend-over-500/hyndburn_2025-03_spend-over-250_no-header.csv': dict(header=None, width=17, amount=16, date=14, heading_again='Amount Paid'),
    'spend-over-500/hyndburn_2026-01_spend-over-250.csv': dict(header=1, width=9, amount=8, date=7),
    'spend-over-500/lambeth_2012-06_invoices-over-500_report-export.csv': dict(header=10, width=6, amount=4, date=3, fused=True),
    'spend-over-500/oxford-city_2014-q2_expenditure-over-500.csv': dict(header=1, width=10, amount=6, date=4),
    'spend-over-500/oxford-city_2018-q1_expenditure-over-500.csv': dict(header=1, width=10, amount=6, date=4),
    'spend-over-500/warwickshire-cc_2011-01_expenditure-over-500.csv': dict(header=3, width=8, amount=3, date=2),
    'spend-over-500/warwickshire-cc_2011-10_padded-amounts.csv': dict(header=1, width=8, amount=5, date=6),
    'spend-over-500/warwickshire-cc_2022-03_supplier-payments.csv': dict(header=1, width=10, amount=5, date=6),
    'procurement-card/hyndburn_2022-09_pcard-in-spend-format.csv': dict(header=1, width=8, amount=6, date=5),
    'procurement-card/warwickshire-cc_2021-06_p-card.csv': dict(header=1, width=5, amount=2, date=4),
    'procurement-card/warwickshire-cc_2022-03_p-card.csv': dict(header=1, width=5, amount=2, date=4),
    'grants-vcse/warwickshire-cc_grants-2015-16.csv': dict(header=1, width=7, amount=6, date=0, registration=4),
    'land-assets/warwickshire-cc_property-and-asset-list_2022-04.csv': dict(header=1, width=30, amount=None, date=None, uprn=3),
}


def decode(data):
    try:
        return data.decode('utf-8-sig'), 'utf-8'
    except UnicodeDecodeError:
        return data.decode('cp1252'), 'windows-1252'


def records(text):
    """(first physical line, fields) for each record; csv counts CR, LF and CRLF as one line each."""
    reader = csv.reader(io.StringIO(text, newline=''))
    start = 1
    for fields in reader:
        yield start, fields
        start = reader.line_num + 1


def clean(cell):
    return ' '.join(cell.replace('\u2020', ' ').replace('\xa0', ' ').split())


def pence(raw):
    s = raw.strip()
    negative = False
    if s.startswith('(') and s.endswith(')'):
        negative, s = True, s[1:-1].strip()
    if s.endswith('-'):
        negative, s = True, s[:-1].strip()
    if s.startswith('-'):
        negative, s = True, s[1:].strip()
    s = s.lstrip('£').strip()
    if not re.fullmatch(r'(\d{1,3}(,\d{3})+|\d+)(\.\d+)?', s):
        raise ValueError(f'not an amount: {raw!r}')
    value = Decimal(s.replace(',', ''))
    rounded = value.quantize(Decimal('0.01'))
    if abs(value - rounded) >= Decimal('0.000001'):
        raise ValueError(f'more than 2 decimal places: {raw!r}')
    p = int(rounded * 100)
    return -p if negative else p


def day(raw):
    s = raw.strip()
    if s == '' or re.fullmatch(r'\d{1,2}:\d{2}(:\d{2})?', s):
        return None
    s = re.sub(r' 00:00:00$', '', s)
    for form in ('%d/%m/%Y', '%d/%m/%y', '%d-%b-%y', '%d-%b-%Y', '%d %b %Y', '%Y-%m-%d'):
        try:
            return datetime.strptime(s, form).date().isoformat()
        except ValueError:
            pass
    raise ValueError(f'not a date: {raw!r}')


def split_fused(fields, width, date_at):
    """Lambeth's fused values: the one field holding an embedded dd/mm/yyyy becomes prefix, date, suffix."""
    for i, field in enumerate(fields):
        m = re.fullmatch(r'(.*?)(\d\d/\d\d/\d{4})(.*)', field, re.S)
        if m and (m.group(1) or m.group(3)):
            out = fields[:i] + [p for p in m.groups() if p] + fields[i + 1:]
            if len(out) == width and out[date_at] == m.group(2):
                return out
    return None


def figures(name, layout):
    text, encoding = decode((SAMPLES / name).read_bytes())
    width, amount_at, date_at = layout['width'], layout['amount'], layout['date']
    rows = rejected = credits = total = undated = fused = 0
    own_totals = []
    registration_none = uprn_missing = uprn_rounded = 0
    for line, fields in records(text):
        if layout['header'] is not None and line <= layout['header']:
            continue
        cells = [clean(f) for f in fields]
        if not any(cells):
            continue
        if amount_at is not None and len(cells) == width:
            if cells[amount_at] == layout.get('heading_again'):
                continue
            first = next(c for c in cells if c)
            only_amount = all(c == '' for i, c in enumerate(cells) if i != amount_at)
            if first.lower() == 'total' or only_amount:
                own_totals.append(pence(cells[amount_at]))
                continue
        if len(cells) < width and layout.get('fused'):
            split = split_fused(fields, width, date_at)
            if split is None:
                rejected += 1
                continue
            cells, fused = [clean(f) for f in split], fused + 1
        if len(cells) < width or any(cells[width:]):
            rejected += 1
            continue
        if amount_at is None:  # land and buildings: no money
            rows += 1
            uprn = cells[layout['uprn']]
            if uprn in ('', '0', 'n/a'):
                uprn_missing += 1
            elif re.fullmatch(r'\d{6}0{6}', uprn):
                uprn_rounded += 1
            continue
        try:
            p = pence(cells[amount_at])
            d = day(cells[date_at])
        except ValueError:
            rejected += 1
            continue
        rows += 1
        total += p
        credits += p < 0
        undated += d is None
        if 'registration' in layout and cells[layout['registration']].lower() in ('n/a', ''):
            registration_none += 1
    result = dict(encoding=encoding, rows=rows, rejected=rejected, credits=credits, totalPence=total, undated=undated)
    if own_totals:
        result['ownTotalsPence'] = own_totals
    if fused:
        result['fused'] = fused
    if 'registration' in layout:
        result['registrationNone'] = registration_none
    if 'uprn' in layout:
        result.update(uprnMissing=uprn_missing, uprnUnreliable=uprn_rounded)
    return result


def main():
    found = sorted(str(p.relative_to(SAMPLES)) for p in SAMPLES.glob('*/*.csv'))
    unknown = set(found) - set(LAYOUTS) - {'spend-over-500/lambeth_2011-01_supplier-totals.csv'}
    if unknown:
        sys.exit(f'no layout for {sorted(unknown)}')
    out = {
        '$comment': 'Written by scripts/transparency-expected.py (Python csv + Decimal, independent of the TypeScript reader). '
                    'lambeth_2011-01_supplier-totals.csv is left out: it is totals per supplier, not transactions.',
        'files': {name: figures(name, LAYOUTS[name]) for name in sorted(LAYOUTS)},
    }
    json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
