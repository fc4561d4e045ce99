/**
 * Checks protobuf text format with protobuf's own parser: `protoc --encode=<message>` reads
 * text format on stdin and fails with the parser's error when the text does not fit the
 * message (unknown field, wrong value type, bad syntax). The .proto files are trimmed copies
 * of TF Serving's config messages under test/fixtures/proto/ (see the README there).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './paths.js';

export type TextProtoMessage =
  | 'tensorflow.serving.ModelServerConfig'
  | 'tensorflow.serving.MonitoringConfig'
  | 'tensorflow.serving.BatchingParameters';

/** The fixture (relative to test/fixtures/proto) that defines each message. */
const PROTO_FILES: Record<TextProtoMessage, string> = {
  'tensorflow.serving.ModelServerConfig': 'tensorflow_serving/config/model_server_config.proto',
  'tensorflow.serving.MonitoringConfig': 'tensorflow_serving/config/monitoring_config.proto',
  'tensorflow.serving.BatchingParameters': 'tensorflow_serving/servables/tensorflow/session_bundle_config.proto',
};

/** Whether `protoc` is on PATH (Debian/Ubuntu: `apt-get install protobuf-compiler`). */
export const protocAvailable: boolean = spawnSync('protoc', ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * undefined when `text` parses as `message`, else protoc's error, e.g.
 * `input:1:34: Message type "tensorflow.serving.ModelConfig" has no field named "nmae".`
 * google/protobuf/*.proto (wrappers, any) are found through protoc's own include directory.
 */
export function checkTextProto(text: string, message: TextProtoMessage): string | undefined {
  if (!protocAvailable) throw new Error('protoc is not installed (apt-get install protobuf-compiler)');
  const protoDir = path.join(repoRoot(), 'test', 'fixtures', 'proto');
  const result = spawnSync('protoc', [`--encode=${message}`, '-I', protoDir, PROTO_FILES[message]], {
    cwd: protoDir,
    input: text, // stdout gets the binary encoding, which is not needed
  });
  if (result.error) throw result.error;
  if (result.status === 0) return undefined;
  const stderr = result.stderr.toString('utf8').trim();
  return stderr.replace(/\n?Failed to parse input\.$/, '') || `protoc exited with ${result.status}`;
}
