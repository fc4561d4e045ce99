// Generates varied, valid serving.yaml specs for the benchmark: names, namespaces, versions, traffic
// splits, profiles, credentials, gateways, and a flagger rollout in every seventh spec.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Bump when the specs change, so cached sets are regenerated. */
export const GENERATOR_VERSION = 3;

const MODELS = ['resnet', 'bert', 'gpt', 'yolo', 'clip', 'wav2vec', 'vit', 't5', 'xgb-fraud', 'recsys'];
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];

/** A small deterministic PRNG (mulberry32), so every run benchmarks the same specs. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Spec number i (0-based) as YAML text; deterministic in i. */
export function specText(i) {
  const rand = prng(i * 7919 + 17);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const model = MODELS[i % MODELS.length];
  const name = `${model}-${String(i).padStart(5, '0')}`;
  const namespace = `team-${i % 37}`;
  const flagger = i % 7 === 3;
  const count = flagger ? 1 : 1 + Math.floor(rand() * 3);
  const first = 1 + Math.floor(rand() * 20);
  const versions = Array.from({ length: count }, (_, k) => ({
    name: `v${first + k}`,
    modelVersion: first + k,
    image: k === count - 1 && rand() < 0.4 ? 'registry.example.com/ml/tensorflow-serving:2.20.0-avx512' : 'tensorflow/serving:2.20.0',
    big: k > 0 && rand() < 0.5,
  }));
  const lines = [
    'apiVersion: servec.dev/v1alpha1',
    'kind: ModelService',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    ...(i % 3 === 0 ? ['  labels:', `    team: ${namespace}`, `    cost-center: cc-${i % 11}`] : []),
    'spec:',
    ...(i % 2 === 0 ? ['  model:', `    name: ${model.replace(/-/g, '_')}`] : []),
    '  storage:',
    `    uri: s3://models-${i % 5}/${model}/${name}`,
    `    region: ${pick(REGIONS)}`,
  ];
  if (i % 4 === 1) lines.push('    credentials:', '      serviceAccount:', `        roleArn: "arn:aws:iam::123456789012:role/${namespace}-reader"`);
  else if (i % 4 !== 3) lines.push('    credentials:', '      secret:', `        name: ${namespace}-s3`);
  if (versions.some((v) => v.big)) {
    lines.push('  profiles:', '    big:', `      cpu: "${2 + (i % 3) * 2}"`, `      memory: ${4 + (i % 4) * 4}Gi`, `      replicas: ${2 + (i % 3)}`);
    if (i % 5 === 0) lines.push('      autoscaling:', `        maxReplicas: ${6 + (i % 5)}`);
  }
  // Every service its own host: two specs on one gateway host and port are an error (SV232).
  lines.push('  gateway:', '    hosts:', `      - ${name}.${namespace}.example.com`);
  if (i % 8 === 5) lines.push('  batching:', `    maxBatchSize: ${16 << (i % 3)}`);
  lines.push('  versions:');
  for (const v of versions) {
    lines.push(`    - name: ${v.name}`, `      modelVersion: ${v.modelVersion}`, `      image: ${v.image}`);
    if (v.big) lines.push('      profile: big');
  }
  if (flagger) {
    lines.push(
      '  rollout:',
      '    strategy: flagger',
      '    flagger:',
      // The load test sends REST requests, so the analysis measures REST (SV323 otherwise).
      '      protocol: rest',
      `      stepWeight: ${5 + (i % 3) * 5}`,
      `      maxWeight: ${50}`,
      '      loadTest:',
      `        command: hey -z 1m http://${name}-canary.${namespace}:8501/v1/models/${model}`,
      '  slo:',
      `    successRate: ${95 + (i % 5)}`,
      '    latency:',
      `      maxMs: ${100 + (i % 9) * 50}`,
    );
    if (i % 2 === 1) lines.push('  security:', '    callers:', '      - test/flagger-loadtester');
  } else if (count > 1) {
    // A random split over the versions that adds up to 100.
    const cuts = Array.from({ length: count - 1 }, () => Math.floor(rand() * 101)).sort((a, b) => a - b);
    const weights = [...cuts, 100].map((c, k) => c - (k === 0 ? 0 : cuts[k - 1]));
    lines.push('  traffic:', ...versions.map((v, k) => `    ${v.name}: ${weights[k]}`));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The set of n specs, cached under cacheDir: `specs-N/` (one file per spec, in subdirectories of
 * 1,000) and `specs-N.yaml` (all of them as one multi-document file).
 */
export function specSet(cacheDir, n) {
  const dir = join(cacheDir, `specs-${n}`);
  const file = join(cacheDir, `specs-${n}.yaml`);
  const stamp = join(cacheDir, `specs-${n}.stamp`);
  const want = `${GENERATOR_VERSION}\n`;
  if (!(existsSync(stamp) && readFileSync(stamp, 'utf8') === want && existsSync(file))) {
    rmSync(dir, { recursive: true, force: true });
    const texts = Array.from({ length: n }, (_, i) => specText(i));
    for (let i = 0; i < n; i++) {
      const sub = join(dir, `part-${String(Math.floor(i / 1000)).padStart(2, '0')}`);
      if (i % 1000 === 0) mkdirSync(sub, { recursive: true });
      writeFileSync(join(sub, `spec-${String(i).padStart(5, '0')}.yaml`), texts[i]);
    }
    writeFileSync(file, texts.join('---\n'));
    writeFileSync(stamp, want);
  }
  return { dir, file };
}
