import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments, stringify } from 'yaml';
import { compile } from '../src/compiler/index.js';
import { instanceOf } from '../src/compiler/normalize.js';
import { toYaml } from '../src/compiler/serialize.js';
import type { K8sObject } from '../src/emitters/index.js';
import { specFiles } from '../src/cli/inputs.js';
import { loadConformance } from './helpers/conformance.js';
import { goldenCases } from './helpers/golden.js';
import { credentialsIn, podProblems, pruneProblems, referenceProblems } from './helpers/manifests.js';
import { repoRoot } from './helpers/paths.js';
import { checkTextProto, protocAvailable } from './helpers/textproto.js';

const root = repoRoot();
const read = (file: string) => ({ file: relative(root, file), text: readFileSync(file, 'utf8') });
const exampleFiles = specFiles([join(root, 'examples')]);

/** Every example, and every golden case that compiles: the corpus the stream-wide properties are checked on. */
const corpus: Array<{ name: string; objects: K8sObject[] }> = [
  ...exampleFiles.map((file) => ({ name: relative(root, file), objects: compile([read(file)]).objects })),
  ...goldenCases()
    .map((c) => ({ name: `golden/${c.name}`, result: compile(c.inputs) }))
    .filter((c) => c.result.ok)
    .map((c) => ({ name: c.name, objects: c.result.objects })),
];

const CURRENT = new Set(['v1', 'apps/v1', 'policy/v1', 'autoscaling/v2', 'networking.istio.io/v1', 'security.istio.io/v1', 'flagger.app/v1beta1']);
const PROTO_MESSAGE = {
  'models.config': 'tensorflow.serving.ModelServerConfig',
  'monitoring.config': 'tensorflow.serving.MonitoringConfig',
  'batching.config': 'tensorflow.serving.BatchingParameters',
} as const;

test('every example compiles without errors or warnings', () => {
  assert.ok(exampleFiles.length >= 8, `only ${exampleFiles.length} example files`);
  for (const file of exampleFiles) {
    const result = compile([read(file)]);
    assert.equal(result.diagnostics, [], relative(root, file));
    assert.ok(result.objects.length > 5, relative(root, file));
  }
});

/**
 * TF Serving's maintainers publish `tensorflow/serving:X.Y.Z` and `X.Y.Z-gpu` (plus devel images no
 * one serves from), and no MKL or other CPU-optimised build (tensorflow/serving#1271). An example
 * may also name an image on a registry that is plainly the reader's own.
 */
const PUBLISHED_TF_SERVING = /^(docker\.io\/)?tensorflow\/serving:\d+\.\d+\.\d+(-gpu)?$/;
const OWN_REGISTRY = /^[a-z0-9.-]+\.(example|example\.com|example\.org|internal|local)(:\d+)?\//;
/** Every mention of a TF Serving image in the text (comments and prose too), and every version's image. */
function servingImages(text: string, specs: unknown[]): string[] {
  const mentioned = [...text.matchAll(/[\w.:/-]*tensorflow\/serving(?!#)[\w.:@-]*/g)].map((m) => m[0]);
  const written = specs.flatMap((doc) => ((doc as any)?.spec?.versions ?? []).map((v: any) => v.image).filter((i: unknown) => typeof i === 'string'));
  return [...mentioned, ...written];
}

test('examples and the README name only published TF Serving images, or images on the reader\'s own registry', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const readmeSpecs = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].flatMap((m) => parseAllDocuments(m[1]!).map((d) => d.toJS()));
  const sources = [
    { name: 'README.md', images: servingImages(readme, readmeSpecs) },
    ...exampleFiles.map((file) => {
      const text = readFileSync(file, 'utf8');
      return { name: relative(root, file), images: servingImages(text, parseAllDocuments(text).map((d) => d.toJS())) };
    }),
  ];
  const bad = sources.flatMap(({ name, images }) => images.filter((i) => !PUBLISHED_TF_SERVING.test(i) && !OWN_REGISTRY.test(i)).map((i) => `${name}: ${i}`));
  assert.equal(bad, []);
  assert.ok(sources.reduce((n, s) => n + s.images.length, 0) > 5, 'the scan found the images');
  // The rule itself: what it lets through and what it refuses.
  assert.ok(['tensorflow/serving:2.20.0', 'tensorflow/serving:2.20.0-gpu'].every((i) => PUBLISHED_TF_SERVING.test(i)));
  assert.ok(['tensorflow/serving:2.20.0-mkl', 'tensorflow/serving:latest', 'tensorflow/serving'].every((i) => !PUBLISHED_TF_SERVING.test(i) && !OWN_REGISTRY.test(i)));
  assert.ok(OWN_REGISTRY.test('registry.example.com/tf-serving-mkl:2.20.0'));
});

test('every emitted object is valid against the upstream schemas, on current API versions', () => {
  const conformance = loadConformance();
  const problems = corpus.flatMap(({ name, objects }) => [
    ...objects.flatMap((o) => conformance.validate(o)).map((p) => `${name}: ${p}`),
    ...objects.filter((o) => !CURRENT.has(o.apiVersion)).map((o) => `${name}: ${o.kind} uses ${o.apiVersion}`),
  ]);
  assert.equal(problems, []);
});

test('every cross-reference resolves inside the stream', () => {
  assert.equal(corpus.flatMap(({ name, objects }) => referenceProblems(objects).map((p) => `${name}: ${p}`)), []);
});

test('every object and pod carries its spec instance label and namespace, and no ApplySet label (prune-ready)', () => {
  assert.equal(corpus.flatMap(({ name, objects }) => pruneProblems(objects).map((p) => `${name}: ${p}`)), []);
});

test('the instance value is NAME.NAMESPACE, shortened with a hash when it would pass 63 characters', () => {
  assert.is(instanceOf('resnet', 'models'), 'resnet.models');
  const long = instanceOf('a'.repeat(40), 'b'.repeat(40));
  assert.ok(long.length <= 63 && /^[a-z0-9][-a-z0-9.]*[a-z0-9]$/.test(long), long);
  assert.is.not(long, instanceOf('a'.repeat(40), 'b'.repeat(41)));
  // Neither a name nor a namespace holds a dot, so the dot separates them unambiguously.
  assert.is.not(instanceOf('a-b', 'c'), instanceOf('a', 'b-c'));
});

test('pod templates meet the restricted profile, with requests, limits and probes; no credential is inlined', () => {
  assert.equal(corpus.flatMap(({ name, objects }) => podProblems(objects).map((p) => `${name}: ${p}`)), []);
  assert.equal(corpus.flatMap(({ name, objects }) => credentialsIn(objects).map((p) => `${name}: ${p}`)), []);
});

test('TF Serving config files parse as their protobuf messages', () => {
  if (!protocAvailable) {
    console.log('  (protoc not installed: TF Serving config files not parsed; .ci/run installs it)');
    return;
  }
  const seen = new Set<string>();
  for (const { name, objects } of corpus) {
    for (const o of objects) {
      if (o.kind !== 'ConfigMap') continue;
      for (const [file, text] of Object.entries(o.data ?? {})) {
        if (seen.has(text)) continue;
        seen.add(text);
        const message = PROTO_MESSAGE[file as keyof typeof PROTO_MESSAGE];
        assert.ok(message, `${name}: unexpected config file ${file}`);
        assert.is(checkTextProto(text, message), undefined, `${name}: ${o.metadata.name}/${file}`);
      }
    }
  }
  assert.ok(seen.size > 5);
});

test('examples with more than one replica get a disruption budget and spread their pods', () => {
  for (const { name, objects } of corpus) {
    for (const d of objects.filter((o) => o.kind === 'Deployment') as any[]) {
      const replicas = d.spec.replicas ?? 2;
      if (replicas < 2) continue;
      assert.ok(d.spec.template.spec.topologySpreadConstraints?.length, `${name}: ${d.metadata.name} is not spread`);
      assert.ok(objects.some((o) => o.kind === 'PodDisruptionBudget'), `${name}: no PodDisruptionBudget`);
    }
  }
});

test('manual mode secures the mesh: PeerAuthentication STRICT, ISTIO_MUTUAL, AuthorizationPolicy', () => {
  for (const file of exampleFiles) {
    const objects = compile([read(file)]).objects as any[];
    for (const dr of objects.filter((o) => o.kind === 'DestinationRule')) {
      assert.is(dr.spec.trafficPolicy.tls.mode, 'ISTIO_MUTUAL', file);
      const ns = dr.metadata.namespace;
      assert.ok(objects.some((o) => o.kind === 'PeerAuthentication' && o.metadata.namespace === ns && o.spec.mtls.mode === 'STRICT'), file);
      assert.ok(objects.some((o) => o.kind === 'AuthorizationPolicy' && o.metadata.namespace === ns), file);
    }
  }
});

test('2-canary: the 70/30 split of the walkthrough', () => {
  const objects = compile([read(join(root, 'examples/resnet/2-canary.yaml'))]).objects as any[];
  const kinds = (kind: string) => objects.filter((o) => o.kind === kind);
  assert.is(kinds('ServiceEntry').length, 1);
  assert.is(kinds('Gateway').length, 1);
  const [vs] = kinds('VirtualService');
  for (const route of vs.spec.http) {
    assert.equal(route.route.map((r: any) => [r.destination.subset, r.weight]), [['v1', 70], ['v2', 30]]);
  }
  assert.equal(kinds('DestinationRule')[0].spec.subsets.map((s: any) => s.name), ['v1', 'v2']);
  const deployments = kinds('Deployment');
  assert.equal(deployments.map((d) => d.spec.template.metadata.labels.version), ['v1', 'v2']);
  const [service] = kinds('Service');
  assert.equal(service.spec.selector, { app: 'resnet-serving' });
  for (const d of deployments) assert.ok(Object.entries(service.spec.selector).every(([k, v]) => d.spec.template.metadata.labels[k] === v));
  const pinned = kinds('ConfigMap').map((c) => /versions: (\d+)/.exec(c.data['models.config'])?.[1]);
  assert.equal(pinned, ['1', '2']);
  // v2 is the same published image as v1, on the larger cpu-optimised profile.
  assert.is(deployments[1].spec.template.spec.containers[0].image, 'tensorflow/serving:2.20.0');
  assert.is(deployments[1].spec.template.spec.containers[0].resources.limits.cpu, '4');
});

test('4-flagger: a Canary on the emitted Deployment, thresholds from the SLOs, no routing objects for the host but the REST route to the primary', () => {
  const objects = compile([read(join(root, 'examples/resnet/4-flagger.yaml'))]).objects as any[];
  const [canary] = objects.filter((o) => o.kind === 'Canary');
  assert.ok(objects.some((o) => o.kind === 'Deployment' && o.metadata.name === canary.spec.targetRef.name));
  const ranges = Object.fromEntries(canary.spec.analysis.metrics.map((m: any) => [m.name, m.thresholdRange]));
  assert.equal(ranges, { 'grpc-success-rate': { min: 99 }, 'latency-p99': { max: 500 } });
  for (const kind of ['Service', 'DestinationRule']) assert.not.ok(objects.some((o) => o.kind === kind), kind);
  assert.equal(objects.filter((o) => o.kind === 'VirtualService').map((o) => o.metadata.name), ['resnet-serving-primary-route']);
});

test('the same input gives the same bytes, whatever the order of its keys', () => {
  for (const file of exampleFiles) {
    const input = read(file);
    const once = toYaml(compile([input]).objects);
    assert.is(toYaml(compile([input]).objects), once);
    const shuffled = parseAllDocuments(input.text).map((d) => stringify(reverseKeys(d.toJS()))).join('---\n');
    assert.is(toYaml(compile([{ file: input.file, text: shuffled }]).objects), once, file);
  }
});

test('changing one version\'s model config changes the pod template of that Deployment only', () => {
  const input = read(join(root, 'examples/resnet/2-canary.yaml'));
  const before = compile([input]).objects as any[];
  const after = compile([{ ...input, text: input.text.replace('modelVersion: 2', 'modelVersion: 3') }]).objects as any[];
  const templates = (objects: any[]) => Object.fromEntries(objects.filter((o) => o.kind === 'Deployment').map((d) => [d.metadata.name, JSON.stringify(d.spec.template)]));
  const [b, a] = [templates(before), templates(after)];
  assert.is(a['resnet-serving-v1'], b['resnet-serving-v1']);
  assert.is.not(a['resnet-serving-v2'], b['resnet-serving-v2']);
});

test('the stream checks above can fail', () => {
  const objects = structuredClone(compile([read(join(root, 'examples/resnet/2-canary.yaml'))]).objects) as any[];
  objects.find((o) => o.kind === 'VirtualService').spec.http[0].route[0].destination.subset = 'v9';
  objects.find((o) => o.kind === 'Deployment').spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation = true;
  objects.find((o) => o.kind === 'ConfigMap').data.note = 'AKIAIOSFODNN7EXAMPLE';
  assert.ok(referenceProblems(objects).some((p) => p.includes('subset v9')));
  assert.ok(podProblems(objects).some((p) => p.includes('privilege escalation')));
  assert.is(credentialsIn(objects).length, 1);
});

function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
  return value;
}

test.run();
