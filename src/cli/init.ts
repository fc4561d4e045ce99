import { existsSync, writeFileSync } from 'node:fs';
import { EXIT, type Io } from './main.js';
import { UsageError } from './inputs.js';

/** A commented starter spec that passes `servec validate` as it is. */
export const STARTER = `# yaml-language-server: $schema=https://servec.dev/schema/v1alpha1/serving.schema.json
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
  slo:
    successRate: 99
    latency: {percentile: 99, maxMs: 500}
`;

export function init(paths: string[], io: Io): number {
  if (paths.length > 1) throw new UsageError('init takes at most one file name');
  const file = paths[0];
  if (!file) {
    io.stdout(STARTER);
    return EXIT.ok;
  }
  if (existsSync(file)) throw new UsageError(`${file} already exists; servec init does not overwrite files`);
  writeFileSync(file, STARTER, { flag: 'wx' });
  io.stderr(`wrote ${file}; check it with: servec validate ${file}\n`);
  return EXIT.ok;
}
