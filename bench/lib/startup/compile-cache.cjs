// Start-up variant for the bench, section (a): dist/servec.cjs loaded by require() with Node's own
// module.enableCompileCache() (Node >= 22.1), instead of bin/servec.js's vm.Script code cache.
'use strict';
const { enableCompileCache } = require('node:module');
if (typeof enableCompileCache !== 'function') throw new Error(`module.enableCompileCache() needs Node >= 22.1 (this is ${process.version})`);
enableCompileCache(process.env.SERVEC_BENCH_COMPILE_CACHE);
const { main } = require('../../../dist/servec.cjs');
const io = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: process.env, stderrIsTTY: false };
main(process.argv.slice(2), io).then((code) => {
  process.exitCode = code;
});
