import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate, root } from './generate-lib.mjs';

for (const [path, text] of Object.entries(await generate())) {
  writeFileSync(join(root, path), text);
  console.log(`wrote ${path}`);
}
