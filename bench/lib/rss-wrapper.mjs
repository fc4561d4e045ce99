// Fallback when /usr/bin/time is missing: `node rss-wrapper.mjs OUT SCRIPT ARGS...` runs SCRIPT in this
// process and writes its peak RSS (KiB, like time's %M) to OUT on exit.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [out, script, ...args] = process.argv.slice(2);
process.on('exit', () => writeFileSync(out, `${process.resourceUsage().maxRSS}\n`));
process.argv = [process.argv[0], resolve(script), ...args];
await import(pathToFileURL(resolve(script)).href);
