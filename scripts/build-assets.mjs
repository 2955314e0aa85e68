// Compile the stylesheet (about 2 s). Skipped when the output is newer than its sources.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sass from 'sass';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const source = path.join(root, 'assets/app.scss');
const target = path.join(root, 'public/build/app.css');
const inputs = [source, path.join(root, 'node_modules/govuk-frontend/package.json')];
const fresh = fs.existsSync(target) && inputs.every((f) => fs.statSync(f).mtimeMs <= fs.statSync(target).mtimeMs);
if (!fresh) {
  const result = sass.compile(source, { style: 'compressed', importers: [new sass.NodePackageImporter()], quietDeps: true, silenceDeprecations: ['import'] });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, result.css);
  console.log(`Built ${path.relative(root, target)} (${Math.round(result.css.length / 1024)} KB)`);
}
