import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.ts';
import { CHART, chartOf, parseDay, parseFigure, parseIndicator, parseMeasurementsCsv, progressOf } from './rules.ts';

const lookup = {
  indicators: new Map([['neet', 'ind-neet'], ['safe', 'ind-safe']]),
  wards: new Map([['e05014102', 'w-brixton'], ['brixton acre lane', 'w-brixton'], ['oval', 'w-oval']]),
};

describe('figures and dates', () => {
  it('reads figures as people write them', () => {
    expect(parseFigure('12.5')).toBe(12.5);
    expect(parseFigure('1,204')).toBe(1204);
    expect(parseFigure('41%')).toBe(41);
    expect(parseFigure('-3')).toBe(-3);
    expect(parseFigure('twelve')).toBeNull();
    expect(parseFigure('')).toBeNull();
    expect(parseFigure('1,2')).toBeNull();
  });
  it('reads ISO and UK dates and refuses dates that do not exist', () => {
    expect(parseDay('2026-03-31')).toBe('2026-03-31');
    expect(parseDay('1/4/2026')).toBe('2026-04-01');
    expect(parseDay('29/02/2028')).toBe('2028-02-29');
    expect(parseDay('29/02/2027')).toBeNull();
    expect(parseDay('2026-13-01')).toBeNull();
  });
});

describe('indicators', () => {
  const valid = { code: 'NEET-16-17', title: 'Young people not in education, employment or training', unit: '%', direction: 'lower', baselineValue: '5.8', baselineOn: '2024-03-31', targetValue: '4', targetOn: '2028-03-31', source: 'DfE NEET and participation' };
  it('takes a complete indicator', () => {
    expect(parseIndicator(valid)).toMatchObject({ code: 'NEET-16-17', direction: 'lower', baselineValue: 5.8, targetValue: 4 });
  });
  it('names every field that is wrong', () => {
    try {
      parseIndicator({ ...valid, code: 'no spaces', direction: 'sideways', targetValue: 'x', targetOn: '2023-01-01', source: '' });
      expect.unreachable();
    } catch (err) {
      expect(Object.keys((err as ValidationError).fields)).toEqual(['code', 'direction', 'targetValue', 'targetOn', 'source']);
    }
  });
});

describe('measurement files', () => {
  it('takes every good row with its place, and the whole place when the ward is empty', () => {
    const csv = 'Indicator,Ward,Date,Value\r\nNEET,E05014102,31/03/2025,5.1\r\nneet,,2025-03-31,5.4\r\nSAFE,Oval,2025-03-31,"1,204"\r\n';
    const { rows, errors } = parseMeasurementsCsv(csv, lookup);
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { line: 2, indicatorId: 'ind-neet', wardId: 'w-brixton', measuredOn: '2025-03-31', value: 5.1 },
      { line: 3, indicatorId: 'ind-neet', wardId: null, measuredOn: '2025-03-31', value: 5.4 },
      { line: 4, indicatorId: 'ind-safe', wardId: 'w-oval', measuredOn: '2025-03-31', value: 1204 },
    ]);
  });
  it('reports each bad row with its line and every reason, counting lines inside quoted values', () => {
    const csv = ['value,date,ward,indicator', '5,2025-03-31,Narnia,NEET', '"two\nlines",2025-02-30,,NOPE', '', '6,2025-03-31,Oval,SAFE', '7,31/03/2025,oval,safe'].join('\n');
    const { rows, errors } = parseMeasurementsCsv(csv, lookup);
    expect(rows.map((r) => r.line)).toEqual([6]);
    expect(errors).toEqual([
      { line: 2, reason: '"Narnia" is not one of the council\'s wards (give its name or GSS code, or leave it empty for the whole place)' },
      { line: 3, reason: 'No indicator has the code "NOPE"; "2025-02-30" is not a date like 2026-03-31 or 31/03/2026; "two\nlines" is not a number' },
      { line: 7, reason: 'Line 6 already gives this indicator\'s figure for this place and date' },
    ]);
  });
  it('refuses a file without the four columns, an empty file and an unclosed quote', () => {
    expect(parseMeasurementsCsv('indicator,date,value\nNEET,2025-03-31,4', lookup).errors).toEqual([{ line: 1, reason: 'The first line must name the columns indicator, ward, date, value; it has no ward' }]);
    expect(parseMeasurementsCsv('\n\n', lookup).errors).toEqual([{ line: 1, reason: 'The file is empty' }]);
    expect(parseMeasurementsCsv('indicator,ward,date,value\n', lookup).errors).toEqual([{ line: 2, reason: 'The file has a header but no figures' }]);
    expect(parseMeasurementsCsv('indicator,ward,date,value\nNEET,"Oval,2025-03-31,4\n', lookup).errors).toEqual([{ line: 2, reason: 'A quoted value is never closed, so the rest of the file cannot be read' }]);
  });
});

describe('progress', () => {
  const lower = { direction: 'lower' as const, baselineValue: 6, targetValue: 4 };
  const higher = { direction: 'higher' as const, baselineValue: 60, targetValue: 70 };
  it('respects which way is better', () => {
    expect(progressOf(lower, { measuredOn: '2025-01-01', value: 5 })).toBe('better');
    expect(progressOf(lower, { measuredOn: '2025-01-01', value: 7 })).toBe('worse');
    expect(progressOf(lower, { measuredOn: '2025-01-01', value: 4 })).toBe('met');
    expect(progressOf(higher, { measuredOn: '2025-01-01', value: 65 })).toBe('better');
    expect(progressOf(higher, { measuredOn: '2025-01-01', value: 71 })).toBe('met');
    expect(progressOf(higher, { measuredOn: '2025-01-01', value: 60 })).toBe('same');
    expect(progressOf(higher, null)).toBe('none');
  });
});

describe('charts', () => {
  const indicator = { baselineValue: 10, baselineOn: '2024-01-01', targetValue: 20, targetOn: '2026-01-01' };
  const plotBottom = CHART.height - CHART.bottom;
  it('puts the earliest date at the left, the latest at the right, and keeps a tenth of the range spare', () => {
    const chart = chartOf(indicator, [{ measuredOn: '2025-01-01', value: 15 }]);
    expect(chart.baseline.x).toBe(CHART.left);
    expect(chart.target.x).toBe(CHART.width - CHART.right);
    // 10..20 padded to 9..21: the baseline sits 1/12 of the plot above the bottom, the target 1/12 below the top.
    const plotH = plotBottom - CHART.top;
    expect(chart.baseline.y).toBeCloseTo(plotBottom - plotH / 12, 1);
    expect(chart.targetY).toBeCloseTo(CHART.top + plotH / 12, 1);
    expect(chart.dots).toEqual([{ x: chart.line.split(',').map(Number)[0], y: chart.line.split(',').map(Number)[1] }]);
    expect(chart.dots[0]!.x).toBeCloseTo(CHART.left + (366 / 731) * (CHART.width - CHART.left - CHART.right), 1);
    expect(chart.xLabels.map((l) => l.label)).toEqual(['2024', '2025', '2026']);
  });
  it('widens the scale to take figures beyond the baseline and target, in date order', () => {
    const chart = chartOf(indicator, [{ measuredOn: '2025-06-01', value: 40 }, { measuredOn: '2024-06-01', value: 0 }]);
    expect(chart.dots[0]!.y).toBeGreaterThan(chart.dots[1]!.y);
    expect(chart.dots[0]!.x).toBeLessThan(chart.dots[1]!.x);
    for (const d of chart.dots) expect(d.y).toBeGreaterThanOrEqual(CHART.top);
    for (const d of chart.dots) expect(d.y).toBeLessThanOrEqual(plotBottom);
    expect(chart.ticks.map((t) => t.label)).toEqual(['0', '20', '40']);
  });
  it('draws a flat indicator in the middle rather than dividing by nothing', () => {
    const chart = chartOf({ ...indicator, targetValue: 10 }, [{ measuredOn: '2025-01-01', value: 10 }]);
    expect(chart.targetY).toBeCloseTo((CHART.top + plotBottom) / 2, 1);
    expect(Number.isFinite(chart.dots[0]!.y)).toBe(true);
  });
});
