// Whether bin/servec.js will run the bundle: the same test it makes (tsc has not emitted since the bundle).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './proc.mjs';

/** undefined when fresh, else why bin/servec.js falls back to dist/src/cli/main.js. */
export function bundleProblem() {
  const dist = join(root, 'dist');
  try {
    const built = statSync(join(dist, 'servec.cjs')).mtimeMs;
    // tsc rewrites its build info after every emit: bin/servec.js looks at it first.
    const info = statSync(join(dist, '.tsbuildinfo'), { throwIfNoEntry: false });
    if (info) return info.mtimeMs > built ? 'dist/.tsbuildinfo is newer than dist/servec.cjs (tsc ran after the bundle)' : undefined;
    const newer = JSON.parse(readFileSync(join(dist, 'servec.inputs.json'), 'utf8')).filter(
      (input) => (statSync(join(dist, input), { throwIfNoEntry: false })?.mtimeMs ?? 0) > built,
    );
    return newer.length === 0 ? undefined : `dist/${newer[0]} and ${newer.length - 1} more are newer than dist/servec.cjs (tsc ran after the bundle)`;
  } catch (error) {
    return `no usable bundle (${error.code ?? error.message})`;
  }
}
