// Preloaded with `node --require` by the benchmark: on exit, writes what the process loaded (the
// builtins, and every file that went through require(), which is how the bundle loads packages) as
// JSON to $SERVEC_BENCH_LOADED.
'use strict';
const { writeFileSync } = require('node:fs');
const Module = require('node:module');

process.on('exit', () => {
  const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13));
  writeFileSync(process.env.SERVEC_BENCH_LOADED, JSON.stringify({ builtins, required: Object.keys(Module._cache) }));
});
