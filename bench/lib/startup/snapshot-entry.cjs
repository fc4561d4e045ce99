// Start-up variant for the bench, section (a): a V8 startup snapshot holding dist/servec.cjs already
// loaded. Built with `node --snapshot-blob BLOB --build-snapshot snapshot-entry.cjs` (the builder's
// require() only knows builtins, so the bundle is read and evaluated by hand; its path comes from
// SERVEC_BENCH_BUNDLE), run with `node --snapshot-blob BLOB build FILE`.
'use strict';
const { startupSnapshot } = require('node:v8');
const bundle = process.env.SERVEC_BENCH_BUNDLE;
const source = require('node:fs').readFileSync(bundle, 'latin1');
const module = { exports: {} };
new Function('exports', 'require', 'module', '__filename', '__dirname', source)(module.exports, require, module, bundle, require('node:path').dirname(bundle));
startupSnapshot.setDeserializeMainFunction(() => {
  const io = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: process.env, stderrIsTTY: false };
  module.exports.main(process.argv.slice(1), io).then((code) => {
    process.exitCode = code;
  });
});
