// Builds servec:
//   1. type-checks and compiles TypeScript into dist/ (tsc; the tests run from dist/test);
//   2. bundles the CLI into one minified script, dist/servec.cjs, which bin/servec.js loads through a
//      V8 code cache (see bin/servec.js): otherwise start-up is dominated by resolving, reading and
//      compiling ~120 modules; also writes dist/servec.inputs.json (the tsc files that went in, for
//      bin/servec.js's staleness check) and dist/servec.meta.json (esbuild's metafile, for the bench);
//   3. warms that code cache by running one build, so the first real run is already fast.
// Steps 2 and 3 only make start-up cheaper: bin/servec.js falls back to dist/src/cli/main.js when the
// bundle is missing or older than the tsc output it was made from.
// SERVEC_BUNDLE_MINIFY=0 npm run build keeps names readable, for profiling (node --cpu-prof).
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FORBIDDEN as LAZY_OR_FORBIDDEN, startupGraph } from './startup-graph.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const quiet = process.argv.includes('--quiet');

execFileSync(process.execPath, [fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url)), '-p', root], {
  stdio: 'inherit',
  cwd: root,
});

/**
 * yaml's parser reads process.env.LOG_TOKENS (a debugging switch) for every token, ~0.2 µs each: ~9% of
 * compile() time. In the bundle it is read once, when the module loads. Left alone if yaml changes.
 */
const yamlReadsEnvOnce = {
  name: 'yaml-reads-LOG_TOKENS-once',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]yaml[\\/]dist[\\/]parse[\\/]parser\.js$/ }, ({ path }) => {
      const source = readFileSync(path, 'utf8');
      const declaration = "var node_process = require('process');\n";
      const use = 'node_process.env.LOG_TOKENS';
      if (source.split(declaration).length !== 2 || source.split(use).length !== 2) {
        if (!quiet) console.warn(`note: ${path} has changed; not hoisting its LOG_TOKENS lookup`);
        return undefined;
      }
      const contents = source
        .replace(use, 'servecLogTokens')
        .replace(declaration, `${declaration}var servecLogTokens = node_process.env.LOG_TOKENS;\n`);
      return { contents, loader: 'js' };
    });
  },
};

/**
 * The cluster commands use only KubeConfig from @kubernetes/client-node. Importing the package (or
 * even dist/config.js, which pulls in the generated API) takes ~0.7 s; a minified bundle of just that
 * module, dist/kubeconfig.cjs, loads in ~0.15 s. The CLI bundle requires it lazily, from its own directory.
 */
const KUBECONFIG_MODULE = '@kubernetes/client-node/dist/config.js';
const kubeconfigBundle = {
  name: 'kubeconfig-bundle',
  setup(build) {
    build.onResolve({ filter: /^@kubernetes\/client-node\/dist\/config\.js$/ }, () => ({ path: 'kubeconfig.cjs', namespace: 'kubeconfig' }));
    // An absolute path: bin/servec.js's require resolves relative names from bin/, not dist/.
    build.onLoad({ filter: /.*/, namespace: 'kubeconfig' }, () => ({
      contents: "module.exports = require(require('node:path').join(__dirname, 'kubeconfig.cjs'));",
      loader: 'js',
    }));
  },
};

/**
 * KubeConfig's module imports two things only methods servec never calls need: node-fetch's Headers
 * (applyToFetchOptions; it drags in whatwg-url, tr46 and the deprecated punycode builtin, a warning
 * on Node 22+) and the generated API client (makeApiClient). Stubbing them halves the bundle.
 */
const kubeconfigStubs = {
  name: 'kubeconfig-stubs',
  setup(build) {
    build.onResolve({ filter: /^node-fetch$/ }, () => ({ path: 'node-fetch', namespace: 'stub' }));
    build.onResolve({ filter: /^\.\/gen\/index\.js$/ }, ({ importer }) => (importer.endsWith('config.js') ? { path: 'gen', namespace: 'stub' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'stub' }, ({ path }) => ({
      contents:
        path === 'node-fetch'
          ? 'export const Headers = globalThis.Headers;'
          : "const unused = () => { throw new Error('servec bundles KubeConfig without the generated API client'); };\nexport const createConfiguration = unused;\nexport class ServerConfiguration { constructor() { unused(); } }",
      loader: 'js',
    }));
  },
};

const { build } = await import('esbuild');
const kubeconfig = await build({
  absWorkingDir: root,
  stdin: { contents: `export { KubeConfig } from '${KUBECONFIG_MODULE}';`, resolveDir: root, loader: 'js' },
  outfile: 'dist/kubeconfig.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  logLevel: 'error',
  metafile: true,
  banner: { js: '/* KubeConfig of @kubernetes/client-node and what it imports, bundled; licences in kubeconfig.cjs.LICENSES.txt */' },
  plugins: [kubeconfigStubs],
});
writeFileSync(new URL('../dist/kubeconfig.cjs.LICENSES.txt', import.meta.url), bundledLicences(Object.keys(kubeconfig.metafile.inputs)));

/** The licence of every package with code in a bundle, as their licences ask when redistributing. */
function bundledLicences(inputs) {
  const roots = [...new Set(inputs.map((input) => /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1]).filter(Boolean))].sort();
  return roots
    .map((dir) => {
      const pkg = JSON.parse(readFileSync(`${root}/${dir}/package.json`, 'utf8'));
      const file = readdirSync(`${root}/${dir}`).find((name) => /^(licen[sc]e|copying)/i.test(name));
      const text = file ? readFileSync(`${root}/${dir}/${file}`, 'utf8').trim() : `(no licence file; package.json says ${pkg.license})`;
      return `${pkg.name}@${pkg.version} (${pkg.license})\n\n${text}\n`;
    })
    .join(`\n${'-'.repeat(72)}\n\n`);
}
const started = performance.now();
const result = await build({
  absWorkingDir: root,
  entryPoints: ['dist/src/cli/main.js'],
  outfile: 'dist/servec.cjs',
  bundle: true,
  // CommonJS, not ESM: only a classic script can be compiled through vm.Script with a code cache
  // (Node 20 has no module.enableCompileCache). `import()` of watch.js, outDir.js and init.js becomes a
  // lazily run closure, so their code is never executed (and, with the code cache, never parsed) by build.
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: process.env.SERVEC_BUNDLE_MINIFY !== '0',
  legalComments: 'none',
  // chokidar is a runtime dependency only `servec watch` needs: a require() inside watch's lazy closure.
  external: LAZY_OR_FORBIDDEN,
  metafile: true,
  logLevel: 'warning',
  plugins: [yamlReadsEnvOnce, kubeconfigBundle],
});

const inputs = Object.keys(result.metafile.inputs);
const { problems } = startupGraph(result.metafile.inputs, LAZY_OR_FORBIDDEN);
// bin/servec.js decodes the bundle as Latin-1, the cheapest decoding, which is right for ASCII only.
const bundled = readFileSync(new URL('../dist/servec.cjs', import.meta.url));
if (bundled.some((byte) => byte > 0x7f)) problems.push('dist/servec.cjs is not ASCII (esbuild charset option?)');
if (problems.length > 0) {
  rmSync(new URL('../dist/servec.cjs', import.meta.url), { force: true });
  throw new Error(`bundle: ${problems.join('\n  ')}`);
}
// The import graph, for `npm run bench` (which checks that start-up reaches none of LAZY_OR_FORBIDDEN).
writeFileSync(new URL('../dist/servec.meta.json', import.meta.url), JSON.stringify(result.metafile));
// Which dist/ files went in: bin/servec.js ignores the bundle when any of them is newer (plain `tsc` ran).
writeFileSync(
  new URL('../dist/servec.inputs.json', import.meta.url),
  `${JSON.stringify(inputs.filter((file) => file.startsWith('dist/')).map((file) => file.slice('dist/'.length)))}\n`,
);
const bytes = result.metafile.outputs['dist/servec.cjs']?.bytes ?? 0;
if (!quiet) console.log(`bundled dist/servec.cjs: ${inputs.length} modules, ${(bytes / 1024).toFixed(0)} KiB, ${(performance.now() - started).toFixed(0)} ms`);

// Warm the code cache (best effort: a read-only or missing cache directory only costs start-up time).
const warm = spawnSync(process.execPath, [fileURLToPath(new URL('../bin/servec.js', import.meta.url)), 'build', 'examples/resnet/2-canary.yaml'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'pipe'],
});
if (warm.status !== 0 && !quiet) console.warn(`servec: could not warm the code cache (exit ${warm.status}): ${String(warm.stderr).trim()}`);
