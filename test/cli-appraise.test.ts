/**
 * `coproduce appraise` through the real bin, on the business case in test/fixtures whose figures
 * are worked by hand in src/modules/place-budgets/appraisal.test.ts. The data directory is named
 * and never created: the command must not open the database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { NO_DATABASE_DIR, runPureCommand } from './helpers.ts';

const CASE = fileURLToPath(new URL('fixtures/business-case.json', import.meta.url));
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'coproduce-appraise-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const coproduce = runPureCommand;

/** The fixture with some of its JSON text changed, written to a scratch file. */
function caseFile(name: string, text: string): string {
  const file = path.join(scratch, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('coproduce appraise', () => {
  it('prints the documented JSON, in pounds to the penny, as worked by hand', () => {
    const { code, out, err } = coproduce('appraise', CASE, '--json');
    expect(err).toBe('');
    expect(code).toBe(0);
    // Costs 11,000 + 7,700 / 1.035; benefits DWP 21,050.13, residents 10,317.16, NHS 1,641.23 (see appraisal.test.ts).
    expect(out.trim()).toBe(
      '{"pvCosts":18439.61,"pvBenefits":33008.52,"npv":14568.91,"bcr":1.79,"fiscalReturnPerPound":1.23,"paybackYear":1,' +
        '"byKind":{"fiscal":22691.36,"economic":0.00,"social":10317.16},' +
        '"byAgency":{"Council":{"pvCosts":16314.01,"pvBenefits":0.00,"net":-16314.01},"NHS":{"pvCosts":2125.60,"pvBenefits":1641.23,"net":-484.38},' +
        '"DWP":{"pvCosts":0.00,"pvBenefits":21050.13,"net":21050.13},"Residents":{"pvCosts":0.00,"pvBenefits":10317.16,"net":10317.16}}}',
    );
    expect(JSON.parse(out).byAgency.NHS.net).toBe(-484.38);
    expect(fs.existsSync(NO_DATABASE_DIR)).toBe(false);
  }, 60_000);

  it('prints a readable summary without --json', () => {
    const { code, out } = coproduce('appraise', CASE);
    expect(code).toBe(0);
    expect(out).toMatch(/^Coordinated employment support\n3 years \(0 to 2\)/);
    expect(out).toMatch(/Net present value +£14,568\.91\n/);
    expect(out).toMatch(/Fiscal return +£1\.23 saved for every £1 spent\n/);
    expect(out).toMatch(/Payback +year 1\n/);
    expect(out).toMatch(/ NHS +£2,125\.60 +£1,641\.23 +-£484\.38\n/);
  }, 60_000);

  it('refuses a bad case naming each field by its JSON path, exit code 2', () => {
    const fixture = fs.readFileSync(CASE, 'utf8');
    const bad = fixture.replace('"deadweight": 0.25', '"deadweight": 1.25').replace('"kind": "social"', '"kind": "wellbeing"');
    const { code, out, err } = coproduce('appraise', caseFile('bad.json', bad), '--json');
    expect(code).toBe(2);
    expect(out).toBe('');
    const file = path.join(scratch, 'bad.json');
    expect(err.trim().split('\n')).toEqual([
      `${file}: benefits[0].deadweight: Deadweight must be between 0 and 1 (a share: 0.25 is 25%); it is 1.25`,
      `${file}: benefits[1].kind: Unknown "wellbeing": enter the kind of benefit, one of fiscal, economic, social`,
    ]);
  }, 60_000);

  it('says where a malformed JSON file goes wrong', () => {
    const fixture = fs.readFileSync(CASE, 'utf8');
    const file = caseFile('malformed.json', fixture.replace('"years": 3,', '"years": 3'));
    const { code, err } = coproduce('appraise', file);
    expect(code).toBe(2);
    // Line 4 is "discounting", after the comma that is missing from the end of line 3.
    expect(err.trim()).toBe(`${file}:4:3: Not valid JSON: Expected , or }`);
  }, 60_000);

  it('names the file it cannot read, and wants exactly one', () => {
    const missing = coproduce('appraise', path.join(scratch, 'no-such-case.json'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^Cannot read .*no-such-case\.json: ENOENT/);
    const none = coproduce('appraise');
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/Name one business case file \(JSON\) to appraise\nUsage: coproduce appraise CASE\.json \[--json\]/);
  }, 60_000);
});
