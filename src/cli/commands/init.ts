/** `servec init [FILE]`: a commented starter spec, and the JSON Schema beside it for the editor. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { schema } from '../../compiler/validate.js';
import { EXIT, fsReason, UsageError, type Io } from '../io.js';
import type { Args } from '../options.js';

/** The schema file init writes beside the spec; the starter's first line points editors at it. */
export const SCHEMA_FILE = 'serving.schema.json';

/** A commented starter spec that passes `servec validate` as it is. */
export const STARTER = `# yaml-language-server: $schema=./${SCHEMA_FILE}
# (servec init writes that file; elsewhere: servec schema > ${SCHEMA_FILE})
# A servec ModelService: compile it with \`servec build serving.yaml | kubectl apply -f -\`.
apiVersion: servec.dev/v1alpha1
kind: ModelService
metadata:
  name: my-model            # names the Service, the Deployments (my-model-v1) and every other object
  namespace: default
spec:
  model:
    name: my_model          # TF Serving model name: /v1/models/my_model, gRPC ModelSpec.name
  storage:
    uri: s3://my-bucket/my_model   # each version is an integer directory below: .../1/saved_model.pb
    region: us-east-1
    credentials:
      secret:               # a Secret you create; servec never takes key values
        name: s3-credentials
        accessKeyIdKey: AWS_ACCESS_KEY_ID
        secretAccessKeyKey: AWS_SECRET_ACCESS_KEY
  versions:
    - name: v1
      modelVersion: 1
      image: tensorflow/serving:2.20.0
  # A canary: add a second version and split the traffic (the weights add up to 100).
  #   - name: v2
  #     modelVersion: 2
  #     image: tensorflow/serving:2.20.0
  # traffic: {v1: 90, v2: 10}
  # Automated rollouts: Flagger shifts traffic step by step while the SLOs hold (slo is read only then).
  # rollout: {strategy: flagger}
  # slo:
  #   successRate: 99         # percent
  #   latency: {percentile: 99, maxMs: 500}
`;

export function run({ positionals }: Args, io: Io): number {
  if (positionals.length > 1) throw new UsageError('init takes at most one file name');
  const file = positionals[0];
  if (!file) {
    io.stdout(STARTER);
    return EXIT.ok;
  }
  if (existsSync(file)) throw new UsageError(`${file} already exists; servec init does not overwrite files`);
  write(file, STARTER);
  const schemaFile = join(dirname(file), SCHEMA_FILE);
  const schemaText = `${JSON.stringify(schema, null, 2)}\n`;
  // An older copy is refreshed; a file of the same name that is not ours is left alone.
  const existing = readOrUndefined(schemaFile);
  const ours = existing === undefined || existing === schemaText || /"\$id":\s*"https:\/\/servec\.dev\/schema\//.test(existing);
  if (ours && existing !== schemaText) {
    try {
      writeFileSync(schemaFile, schemaText);
    } catch (error) {
      throw new UsageError(`wrote ${file}, but ${schemaFile}: cannot write: ${fsReason(error)}`);
    }
  }
  const note = ours ? ` and ${schemaFile} (for editors)` : `; ${schemaFile} is not servec's schema, replace it with: servec schema > ${schemaFile}`;
  io.stderr(`wrote ${file}${note}; check it with: servec validate ${file}\n`);
  return EXIT.ok;
}

/** Creates a file; a missing directory or no permission is the user's to fix (exit 2), not a bug. */
function write(file: string, text: string): void {
  try {
    writeFileSync(file, text, { flag: 'wx' });
  } catch (error) {
    throw new UsageError(`${file}: cannot write: ${fsReason(error)}`);
  }
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
