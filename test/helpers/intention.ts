/**
 * What a ModelService spec means, read from the spec YAML itself (defaults from the schema), never from
 * servec's own model: the reference the behaviour tests compare the running system with.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from './paths.js';

type Any = Record<string, any>;

const schema = JSON.parse(readFileSync(join(repoRoot(), 'schema', 'serving.schema.json'), 'utf8'));
const defs = schema.definitions;

/** The schema's default for `definitions.<def>.properties.<field>`. */
const dflt = (def: string, field: string) => defs[def].properties[field].default;

export interface Intention {
  name: string;
  namespace: string;
  mode: 'manual' | 'flagger';
  /** The TF Serving model name (REST paths carry it). */
  model: string;
  protocols: Array<'grpc' | 'rest'>;
  ports: { grpc: number; rest: number };
  gateway: {
    host: string;
    port: number;
    /** The install the spec targets (its selector and identity are the defaults). */
    install: 'helm' | 'istioctl';
    selector?: Record<string, string>;
    serviceAccount?: string;
    /** A shared Gateway the routes attach to, namespace/name. */
    ref?: string;
  };
  /** Manual mode: `model N image I` → percent, versions at 0 or absent left out. */
  split: Record<string, number>;
  /**
   * Flagger mode: the API Flagger routes and measures. The other exposed API is served by the primary
   * alone, at rest and during an analysis (Flagger routes one port per Canary).
   */
  canaried: 'grpc' | 'rest';
  /** Flagger mode: the weight Flagger moves to the canary at the first step. */
  stepWeight: number;
  callers: string[];
  authorization: boolean;
  mtls: boolean;
  loadTest: boolean;
  /** The load tester's identity (namespace/serviceaccount). */
  loadTester: string;
}

export const versionKey = (modelVersion: number | string, image: string) => `model ${modelVersion} image ${image}`;

export function intentions(texts: string[]): Intention[] {
  return texts
    .flatMap((t) => parseAllDocuments(t).map((d) => d.toJS() as Any))
    .filter((d) => d?.kind === 'ModelService')
    .map((d) => {
      const spec = d.spec as Any;
      const flagger = spec.rollout?.strategy === 'flagger';
      const versions: Any[] = spec.versions;
      const traffic: Record<string, number> = spec.traffic ?? (versions.length === 1 ? { [versions[0]!.name]: 100 } : {});
      const split: Record<string, number> = {};
      for (const v of versions) {
        const percent = traffic[v.name] ?? 0;
        // Two versions may run the same model on the same image (on different profiles): their shares add up.
        const key = versionKey(v.modelVersion, v.image ?? dflt('version', 'image'));
        if (percent > 0) split[key] = (split[key] ?? 0) + percent;
      }
      const host = (spec.gateway?.hosts ?? dflt('gateway', 'hosts'))[0] as string;
      const f = spec.rollout?.flagger ?? {};
      const protocols: Array<'grpc' | 'rest'> = spec.protocols ?? schema.properties.spec.properties.protocols.default;
      return {
        name: d.metadata.name,
        namespace: d.metadata.namespace ?? schema.properties.metadata.properties.namespace.default,
        mode: flagger ? 'flagger' : 'manual',
        model: spec.model?.name ?? d.metadata.name,
        protocols,
        canaried: f.protocol ?? (protocols.includes('grpc') ? 'grpc' : 'rest'),
        ports: { grpc: spec.ports?.grpc ?? dflt('ports', 'grpc'), rest: spec.ports?.rest ?? dflt('ports', 'rest') },
        gateway: {
          host: host === '*' ? `${d.metadata.name}.example.com` : host.replace(/^\*\./, 'any.'),
          port: spec.gateway?.port ?? dflt('gateway', 'port'),
          install: spec.gateway?.install ?? dflt('gateway', 'install'),
          selector: spec.gateway?.selector,
          serviceAccount: spec.gateway?.serviceAccount,
          ref: spec.gateway?.ref,
        },
        split,
        stepWeight: f.stepWeights?.[0] ?? f.stepWeight ?? dflt('flagger', 'stepWeight'),
        callers: spec.security?.callers ?? dflt('security', 'callers'),
        authorization: spec.security?.authorization ?? dflt('security', 'authorization'),
        mtls: spec.security?.mtls ?? dflt('security', 'mtls'),
        loadTest: flagger && f.loadTest !== undefined,
        loadTester: f.loadTest?.identity ?? defs.flagger.properties.loadTest.properties.identity.default,
      } satisfies Intention;
    });
}
