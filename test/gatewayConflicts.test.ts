/** The cross-spec gateway check: pairs of specs in one build, and what each pair gets. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compile } from '../src/compiler/index.js';

interface Options {
  name?: string;
  namespace?: string;
  model?: string;
  protocols?: string;
  gateway?: string;
  flagger?: boolean;
}

const spec = (o: Options) => `apiVersion: servec.dev/v1alpha1
kind: ModelService
metadata: {name: ${o.name ?? 'resnet'}, namespace: ${o.namespace ?? 'models'}}
spec:
  storage: {uri: s3://ml-models/x}
  versions: [{name: v1, modelVersion: 1}]
${o.model ? `  model: {name: ${o.model}}\n` : ''}${o.protocols ? `  protocols: ${o.protocols}\n` : ''}${o.gateway ? `  gateway: ${o.gateway}\n` : ''}${o.flagger ? '  rollout: {strategy: flagger}\n  slo: {successRate: 99}\n' : ''}`;

const codes = (a: Options, b: Options) =>
  compile([
    { file: 'a.yaml', text: spec(a) },
    { file: 'b.yaml', text: spec({ name: 'inception', ...b }) },
  ]).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file} ${d.code} ${d.path}${d.labels?.length ? ` <- ${d.labels[0]!.file}` : ''}`);

const shared = (hosts: string) => `{ref: istio-ingress/public, hosts: [${hosts}]}`;
const both = ['a.yaml SV232 metadata.name <- b.yaml', 'b.yaml SV232 metadata.name <- a.yaml'];
const bothHosts = ['a.yaml SV232 spec.gateway.hosts <- b.yaml', 'b.yaml SV232 spec.gateway.hosts <- a.yaml'];

const CASES: Array<[string, Options, Options, string[]]> = [
  ['own Gateways, both for every host on port 80', {}, {}, both],
  ['own Gateways with hosts of their own', { gateway: '{hosts: [a.example.com]}' }, { gateway: '{hosts: [b.example.com]}' }, []],
  ['own Gateways where a wildcard covers the other host', { gateway: '{hosts: ["*.example.com"]}' }, { gateway: '{hosts: [b.example.com]}' }, bothHosts],
  ['own Gateways on different ports', { gateway: '{port: 80}' }, { gateway: '{port: 443, tlsSecret: cert}' }, []],
  ['own Gateways on different gateway installs', {}, { gateway: '{install: istioctl}' }, []],
  ['a shared host, REST only, distinct models', { protocols: '[rest]', gateway: shared('m.example.com') }, { protocols: '[rest]', gateway: shared('m.example.com') }, []],
  ['a shared host, REST only, one model name', { protocols: '[rest]', gateway: shared('m.example.com') }, { protocols: '[rest]', model: 'resnet', gateway: shared('m.example.com') }, bothHosts],
  ['a shared host, both gRPC', { gateway: shared('m.example.com') }, { gateway: shared('m.example.com') }, bothHosts],
  ['one gRPC, one REST on a shared host', { protocols: '[grpc]', gateway: shared('m.example.com') }, { protocols: '[rest]', gateway: shared('m.example.com') }, []],
  ['a Flagger route takes every request of its host', { protocols: '[rest]', flagger: true, gateway: shared('m.example.com') }, { protocols: '[rest]', gateway: shared('m.example.com') }, bothHosts],
  ['a shared Gateway, distinct hosts', { gateway: shared('a.example.com') }, { gateway: shared('b.example.com') }, []],
  ['the same service twice is a duplicate, not a collision', {}, { name: 'resnet' }, ['b.yaml SV216 metadata.name <- a.yaml']],
];

for (const [name, a, b, expected] of CASES) test(name, () => assert.equal(codes(a, b), expected));

test.run();
