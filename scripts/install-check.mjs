// Packs servec, installs the tarball globally into a temporary prefix and builds an example with the
// installed `servec`, from a directory outside the checkout: what a user who installs it gets.
// Dependencies come from the npm cache (`npm ci` filled it); only their registry metadata, which a
// lockfile install does not cache, may be fetched (--prefer-offline):
//   node scripts/install-check.mjs
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(path.join(tmpdir(), 'servec-install-'));
const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
try {
  // The tarball's contents: what runs, nothing else (no tests, no TypeScript sources).
  // npm pack runs the build (prepare), whose messages come first on stdout; the JSON report is last.
  const packed = npm(['pack', '--json', '--pack-destination', work], root);
  const [{ files, filename }] = JSON.parse(packed.slice(packed.search(/^\[$/m)));
  const shipped = files.map((f) => f.path);
  const unwanted = shipped.filter((f) => /^(dist\/test|src|test|bench|scripts|golden|examples)\/|\.ts$|\.map$/.test(f));
  if (unwanted.length > 0) throw new Error(`the package ships files that do not run: ${unwanted.join(', ')}`);
  for (const needed of ['bin/servec.js', 'bin/package.json', 'dist/servec.cjs', 'dist/src/cli/main.js', 'dist/kubeconfig.cjs', 'schema/serving.schema.json']) {
    if (!shipped.includes(needed)) throw new Error(`the package lacks ${needed} (run npm run build first)`);
  }

  const prefix = path.join(work, 'prefix');
  npm(['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', path.join(work, filename)], work);
  const bin = path.join(prefix, process.platform === 'win32' ? 'servec.cmd' : path.join('bin', 'servec'));
  const run = (args, input) => execFileSync(bin, args, { cwd: work, input, encoding: 'utf8', env: { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}` } });
  const spec = path.join(root, 'examples', 'resnet', '2-canary.yaml');
  const yaml = run(['build', spec]);
  if (!/^kind: VirtualService$/m.test(yaml)) throw new Error('the installed servec built no VirtualService');
  if (run(['build', '-'], execFileSync('cat', [spec])) !== yaml) throw new Error('build - differs from build FILE');
  // The fast path: with the tsc output out of the way, the bundle alone must build (bin/servec.js
  // falls back to dist/src silently, which would hide a bundle that does not load when installed).
  const tscOut = path.join(prefix, 'lib', 'node_modules', 'servec', 'dist', 'src');
  renameSync(tscOut, `${tscOut}.away`);
  if (run(['build', spec]) !== yaml) throw new Error('the installed bundle does not build as the tsc output does');
  renameSync(`${tscOut}.away`, tscOut);
  run(['init', 'serving.yaml']);
  if (!readdirSync(work).includes('serving.schema.json')) throw new Error('init wrote no serving.schema.json');
  run(['validate', 'serving.yaml']);
  // A cluster command loads the bundled kubeconfig reader: against a cluster that is not there it
  // must say so (exit 3), not that the reader is missing.
  const kubeconfig = path.join(work, 'kubeconfig');
  writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\ncurrent-context: c\ncontexts: [{name: c, context: {cluster: c, user: u}}]\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]\nusers: [{name: u, user: {token: t}}]\n');
  const diff = spawnSync(bin, ['diff', spec], { cwd: work, encoding: 'utf8', env: { ...process.env, KUBECONFIG: kubeconfig } });
  if (diff.status !== 3) throw new Error(`the installed servec diff did not reach the kubeconfig reader (exit ${diff.status}): ${diff.stderr}`);
  console.log(`install-check: ${filename} (${shipped.length} files) installs and runs: servec ${run(['--version']).trim()}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
