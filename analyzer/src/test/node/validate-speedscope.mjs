// Validates speedscope files against the schema that the speedscope package ships.
// Usage: node validate-speedscope.mjs FILE...  Exit 0 when all are valid; else 1, errors on stderr.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';

const here = path.dirname(fileURLToPath(import.meta.url));
const schema = JSON.parse(fs.readFileSync(
    path.join(here, 'node_modules/speedscope/dist/release/file-format-schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
let ok = true;
for (const file of process.argv.slice(2)) {
  const data = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!validate(data)) {
    ok = false;
    console.error(`${file}: ${JSON.stringify(validate.errors)}`);
  }
}
process.exit(ok ? 0 : 1);
