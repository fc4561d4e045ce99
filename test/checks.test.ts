/** Each semantic check on tiny plans: what it reports, and where. Goldens show the same end to end. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CHECKS } from '../src/checks/index.js';
import { gateway } from '../src/checks/gateway.js';
import { names } from '../src/checks/names.js';
import { autoscaling, images, ports, resources } from '../src/checks/resources.js';
import { rollout } from '../src/checks/rollout.js';
import { slo } from '../src/checks/slo.js';
import { storage } from '../src/checks/storage.js';
import { traffic } from '../src/checks/traffic.js';
import { versions } from '../src/checks/versions.js';
import type { Check } from '../src/checks/context.js';
import type { ServicePlan } from '../src/plan/index.js';
import { normalize } from '../src/compiler/normalize.js';
import { minimalSpec, planOf, reports, type SpecPatch } from './helpers/plan.js';

/** A plan for a service called `name`. */
function named(name: string, patch: SpecPatch = {}): ServicePlan {
  const spec = minimalSpec(patch);
  spec.metadata.name = name;
  return normalize(spec);
}

const flagger = { rollout: { strategy: 'flagger' as const }, slo: { successRate: 99 }, gateway: { hosts: ['resnet.example.com'] } };
const two = [{ name: 'v1', modelVersion: 1 }, { name: 'v2', modelVersion: 2 }];

/** [case, check, plan, expected [code, path] pairs (and label paths when given)]. */
const CASES: Array<[string, Check, ServicePlan, Array<[string, string, string[]?]>]> = [
  ['names: a minimal spec is fine', names, planOf(), []],
  ['names: the longest names fit a manual rollout (a Deployment name allows 253)', names, named('n'.repeat(63), { versions: [{ name: 'v'.repeat(63), modelVersion: 1 }] }), []],
  ['names: a 55-character name fits a flagger rollout', names, named('n'.repeat(55), flagger), []],
  ['names: from 56 characters Flagger\'s primary Service overflows', names, named('n'.repeat(56), flagger), [['SV206', 'metadata.name']]],
  ['names: a label value over 63 characters', names, planOf({}, (p) => (p.versions[0]!.selector = { app: 'x'.repeat(64) })), [['SV206', 'metadata.name']]],
  ['names: a model name TF Serving cannot take', names, planOf({ model: { name: 'a b' } }), [['SV213', 'spec.model.name']]],
  ['storage: a usable URI', storage, planOf(), []],
  ['storage: a URI that is not s3://', storage, planOf({ storage: { uri: 'gs://bucket/x' } }), [['SV208', 'spec.storage.uri']]],
  ['storage: native access with a new image', storage, planOf({ storage: { uri: 's3://ml-models/resnet', access: 'native' } }), [['SV217', 'spec.storage.access']]],
  ['storage: native access with a 2.6 image', storage, planOf({ storage: { uri: 's3://ml-models/resnet', access: 'native' }, versions: [{ name: 'v1', modelVersion: 1, image: 'tensorflow/serving:2.6.0' }] }), []],
  ['storage: meshBypass always to an in-cluster store', storage, planOf({ storage: { uri: 's3://ml-models/x', endpoint: 'minio.storage.svc:9000', tls: false, meshBypass: 'always' } }), [['SV311', 'spec.storage.meshBypass']]],
  ['storage: meshBypass always to AWS', storage, planOf({ storage: { uri: 's3://ml-models/x', meshBypass: 'always' } }), []],
  ['versions: unique names and model versions', versions, planOf({ versions: two, traffic: { v1: 100, v2: 0 } }), []],
  ['versions: a name used twice, labelled at the first', versions, planOf({ versions: [two[0]!, { name: 'v1', modelVersion: 2 }] }), [['SV203', 'spec.versions.1.name', ['spec.versions.0.name']]]],
  ['versions: a model version served twice', versions, planOf({ versions: [two[0]!, { name: 'v2', modelVersion: 1 }] }), [['SV204', 'spec.versions.1.modelVersion', ['spec.versions.0.modelVersion']]]],
  ['versions: the same model version on a new image is a canary', versions, planOf({ versions: [two[0]!, { name: 'v2', modelVersion: 1, image: 'tensorflow/serving:2.20.0-gpu' }] }), []],
  ['versions: the same model version on another profile is a canary', versions, planOf({ profiles: { big: { cpu: 8 } }, versions: [two[0]!, { name: 'v2', modelVersion: 1, profile: 'big' }] }), []],
  ['versions: the built-in default profile needs no definition', versions, planOf({ versions: [{ name: 'v1', modelVersion: 1, profile: 'default' }] }), []],
  ['versions: an undefined profile', versions, planOf({ versions: [{ name: 'v1', modelVersion: 1, profile: 'gpu' }] }), [['SV212', 'spec.versions.0.profile']]],
  ['versions: flagger runs one version', versions, planOf({ ...flagger, versions: two }), [['SV207', 'spec.versions']]],
  ['traffic: one version needs no split', traffic, planOf(), []],
  ['traffic: two versions without a split', traffic, planOf({ versions: two }), [['SV215', 'spec.versions']]],
  ['traffic: weights that add up to 90, each labelled', traffic, planOf({ versions: two, traffic: { v1: 70, v2: 20 } }), [['SV201', 'spec.traffic', ['spec.traffic.v1', 'spec.traffic.v2']]]],
  ['traffic: a weight for an unknown version', traffic, planOf({ traffic: { v1: 100, v9: 0 } }), [['SV202', 'spec.traffic.v9']]],
  ['traffic: weights in a flagger rollout', traffic, planOf({ ...flagger, traffic: { v1: 100 } }), [['SV205', 'spec.traffic']]],
  ['rollout: a manual rollout with flagger settings', rollout, planOf({ rollout: { flagger: { threshold: 5 } } }), [['SV218', 'spec.rollout.flagger']]],
  ['rollout: the schema defaults (10 of 50) fit', rollout, planOf(flagger), []],
  ['rollout: a written stepWeight above the default maxWeight', rollout, planOf({ ...flagger, rollout: { strategy: 'flagger', flagger: { stepWeight: 60 } } }), [['SV218', 'spec.rollout.flagger.stepWeight']]],
  ['rollout: a written maxWeight below the default stepWeight', rollout, planOf({ ...flagger, rollout: { strategy: 'flagger', flagger: { maxWeight: 5 } } }), [['SV218', 'spec.rollout.flagger.maxWeight']]],
  ['rollout: stepWeights beside stepWeight', rollout, planOf({ ...flagger, rollout: { strategy: 'flagger', flagger: { stepWeights: [10, 50], stepWeight: 5 } } }), [['SV218', 'spec.rollout.flagger.stepWeights']]],
  ['rollout: the canary measures a protocol not exposed', rollout, planOf({ ...flagger, protocols: ['rest'], rollout: { strategy: 'flagger', flagger: { protocol: 'grpc' } } }), [['SV211', 'spec.rollout.flagger.protocol']]],
  ['rollout: no SLOs', rollout, planOf({ rollout: { strategy: 'flagger' }, gateway: { hosts: ['resnet.example.com'] } }), [['SV303', 'spec.rollout']]],
  ['rollout: a wildcard domain is a concrete enough host', rollout, planOf({ ...flagger, gateway: { hosts: ['*.example.com'] } }), []],
  ['rollout: a gRPC load test servec builds, without protos', rollout, planOf({ ...flagger, rollout: { strategy: 'flagger', flagger: { loadTest: { request: '{}' } } } }), [['SV241', 'spec.rollout.flagger.loadTest']]],
  ['rollout: a gRPC load test with request and protos', rollout, planOf({ ...flagger, rollout: { strategy: 'flagger', flagger: { loadTest: { request: '{}', protoset: '/p' } } } }), []],
  ['rollout: a load-test request that is not JSON', rollout, planOf({ ...flagger, protocols: ['rest'], rollout: { strategy: 'flagger', flagger: { loadTest: { request: 'x: 1' } } } }), [['SV242', 'spec.rollout.flagger.loadTest.request']]],
  ['rollout: request and requestFile both', rollout, planOf({ ...flagger, protocols: ['rest'], rollout: { strategy: 'flagger', flagger: { loadTest: { request: '{}', requestFile: '/r.json' } } } }), [['SV218', 'spec.rollout.flagger.loadTest.requestFile']]],
  ['rollout: a load test without a request asks only for the status', rollout, planOf({ ...flagger, protocols: ['rest'], rollout: { strategy: 'flagger', flagger: { loadTest: {} } } }), [['SV320', 'spec.rollout.flagger.loadTest']]],
  ['rollout: a ghz command without -d', rollout, planOf({ ...flagger, rollout: { strategy: 'flagger', flagger: { loadTest: { command: 'ghz --insecure m-canary.models:8500' } } } }), [['SV321', 'spec.rollout.flagger.loadTest.command']]],
  ['rollout: a ghz command with -D', rollout, planOf({ ...flagger, rollout: { strategy: 'flagger', flagger: { loadTest: { command: 'ghz -D /r.json m-canary.models:8500' } } } }), []],
  ['rollout: a progress deadline shorter than download and startup', rollout, planOf({ ...flagger, rollout: { strategy: 'flagger', flagger: { progressDeadlineSeconds: 899 } } }), [['SV243', 'spec.rollout.flagger.progressDeadlineSeconds']]],
  ['rollout: a progress deadline of download plus startup', rollout, planOf({ ...flagger, rollout: { strategy: 'flagger', flagger: { progressDeadlineSeconds: 900 } } }), []],
  ['rollout: a shorter startup budget allows a shorter deadline', rollout, planOf({ ...flagger, profiles: { default: { startupSeconds: 120 } }, rollout: { strategy: 'flagger', flagger: { progressDeadlineSeconds: 420 } } }), []],
  ['rollout: REST with the built-in success rate', rollout, planOf({ ...flagger, protocols: ['rest'], rollout: { strategy: 'flagger', flagger: { metrics: 'flagger-builtin' } } }), [['SV322', 'spec.rollout.flagger.metrics']]],
  ['rollout: REST with servec\'s success rate', rollout, planOf({ ...flagger, protocols: ['rest'] }), []],
  ['rollout: a REST load test on a gRPC canary', rollout, planOf({ ...flagger, rollout: { strategy: 'flagger', flagger: { loadTest: { command: 'hey -z 1m http://resnet-canary.models:8501/v1/models/resnet' } } } }), [['SV323', 'spec.rollout.flagger.loadTest.command']]],
  ['rollout: a REST load test on a REST canary', rollout, planOf({ ...flagger, rollout: { strategy: 'flagger', flagger: { protocol: 'rest', loadTest: { command: 'hey -z 1m http://resnet-canary.models:8501/v1/models/resnet' } } } }), []],
  ['rollout: gRPC with the built-in success rate', rollout, planOf({ ...flagger, rollout: { strategy: 'flagger', flagger: { metrics: 'flagger-builtin' } } }), [['SV304', 'spec.rollout.flagger.metrics']]],
  ['slo: no SLOs in a manual rollout', slo, planOf(), []],
  ['slo: SLOs in a manual rollout have no effect', slo, planOf({ slo: { successRate: 99 } }), [['SV305', 'spec.slo']]],
  ['slo: SLOs in a flagger rollout judge it', slo, planOf(flagger), []],
  ['resources: the default profile has two replicas', resources, planOf(), []],
  ['resources: a GPU profile with a CPU image', resources, planOf({ profiles: { gpu: { gpu: 1 } }, versions: [{ name: 'v1', modelVersion: 1, profile: 'gpu' }] }), [['SV209', 'spec.versions.0.image']]],
  ['resources: a GPU image without a GPU', resources, planOf({ versions: [{ name: 'v1', modelVersion: 1, image: 'tensorflow/serving:2.20.0-gpu' }] }), [['SV210', 'spec.versions.0.image']]],
  ['resources: an unknown profile is SV212\'s alone, whatever the image', resources, planOf({ versions: [{ name: 'v1', modelVersion: 1, profile: 'gpu-large', image: 'tensorflow/serving:2.20.0-gpu' }] }), []],
  ['resources: a single replica, once per profile', resources, planOf({ profiles: { one: { replicas: 1 } }, versions: two.map((v) => ({ ...v, profile: 'one' })), traffic: { v1: 100, v2: 0 } }), [['SV302', 'spec.profiles.one.replicas']]],
  ['autoscaling: max below the default replicas', autoscaling, planOf({ profiles: { small: { autoscaling: { maxReplicas: 1 } } } }), [['SV220', 'spec.profiles.small.autoscaling.maxReplicas']]],
  ['autoscaling: max at the replicas', autoscaling, planOf({ profiles: { small: { replicas: 3, autoscaling: { maxReplicas: 3 } } } }), []],
  ['images: the default images are servec\'s to pin', images, planOf(), []],
  ['images: an untagged image', images, planOf({ versions: [{ name: 'v1', modelVersion: 1, image: 'tensorflow/serving' }] }), [['SV301', 'spec.versions.0.image']]],
  ['images: a latest downloader', images, planOf({ storage: { uri: 's3://ml-models/resnet', downloaderImage: 'amazon/aws-cli:latest' } }), [['SV301', 'spec.storage.downloaderImage']]],
  ['images: a digest pins whatever the tag', images, planOf({ versions: [{ name: 'v1', modelVersion: 1, image: `tensorflow/serving:latest@sha256:${'a'.repeat(64)}` }] }), []],
  ['gateway: the defaults make a reachable plain-text server', gateway, planOf(), []],
  ['gateway: a shared gateway with a port of its own', gateway, planOf({ gateway: { ref: 'istio-ingress/public', port: 8080, selector: { app: 'gw' } } }),
    [['SV230', 'spec.gateway.port', ['spec.gateway.ref']], ['SV230', 'spec.gateway.selector', ['spec.gateway.ref']]]],
  ['gateway: a shared gateway with hosts and an identity', gateway, planOf({ gateway: { ref: 'istio-ingress/public', hosts: ['m.example.com'], serviceAccount: 'istio-ingress/gw' } }), []],
  ['gateway: a certificate on a GRPC port', gateway, planOf({ gateway: { port: 443, protocol: 'GRPC', tlsSecret: 'cert' } }), [['SV231', 'spec.gateway.protocol', ['spec.gateway.tlsSecret']]]],
  ['gateway: HTTPS without a certificate', gateway, planOf({ gateway: { port: 443, protocol: 'HTTPS' } }), [['SV231', 'spec.gateway.protocol']]],
  ['gateway: a certificate makes the port HTTPS', gateway, planOf({ gateway: { port: 443, tlsSecret: 'cert' } }), []],
  ['gateway: port 31400 is not on the Helm gateway\'s Service', gateway, planOf({ gateway: { port: 31400 } }), [['SV310', 'spec.gateway.port']]],
  ['gateway: nor on the istioctl default profile\'s', gateway, planOf({ gateway: { port: 31400, install: 'istioctl' } }), [['SV310', 'spec.gateway.port']]],
  ['gateway: a selector of the user\'s brings a Service of theirs', gateway, planOf({ gateway: { port: 31400, selector: { app: 'gw' } } }), []],
  ['gateway: a flagger rollout on every host', gateway, planOf({ ...flagger, gateway: {} }), [['SV233', 'spec.gateway.hosts']]],
  ['gateway: a flagger rollout with a written catch-all host', gateway, planOf({ ...flagger, gateway: { hosts: ['*'] } }), [['SV233', 'spec.gateway.hosts']]],
  ['gateway: a flagger rollout with hosts of its own', gateway, planOf({ ...flagger, gateway: { hosts: ['resnet.example.com', '*.models.example.com'] } }), []],
  ['ports: distinct ports', ports, planOf(), []],
  ['ports: one port for both', ports, planOf({ ports: { grpc: 9000, rest: 9000 } }), [['SV219', 'spec.ports.rest']]],
];

for (const [name, check, plan, expected] of CASES) {
  test(name, () => {
    const got = reports(check, plan).map((r) => (expected.some((e) => e[2]) ? [r.code, r.path, r.labels] : [r.code, r.path]));
    assert.equal(got, expected);
  });
}

test('every check in CHECKS has cases here', () => {
  const tested = new Set(CASES.map(([, check]) => check));
  assert.equal(CHECKS.filter((check) => !tested.has(check)).length, 0);
});

test.run();
