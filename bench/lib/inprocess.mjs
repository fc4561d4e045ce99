// Section (c), run in its own process (`node --expose-gc inprocess.mjs N ROUNDS`): warm, in-process
// compile() and serialization throughput over N generated specs. Prints one JSON line.
import { compile } from '../../dist/src/compiler/index.js';
import { toYaml } from '../../dist/src/compiler/serialize.js';
import { stringify } from 'yaml';
import { specText } from './generate.mjs';

const n = Number(process.argv[2] ?? 1000);
const rounds = Number(process.argv[3] ?? 5);
const inputs = Array.from({ length: n }, (_, i) => ({ file: `spec-${i}.yaml`, bytes: Buffer.from(specText(i)) }));
const gc = globalThis.gc ?? (() => {});

function time(fn) {
  gc();
  const started = performance.now();
  const value = fn();
  return { ms: performance.now() - started, value };
}

const samples = { compile: [], serialize: [], yaml: [] };
let objects = [];
let bytes = 0;
for (let round = -2; round < rounds; round++) { // two warm-up rounds
  const compiled = time(() => compile(inputs));
  if (!compiled.value.ok) throw new Error(`generated specs do not compile: ${compiled.value.diagnostics[0]?.message}`);
  objects = compiled.value.objects;
  const serialized = time(() => toYaml(objects));
  const yamlText = time(() => objects.map((o) => stringify(o)).join('---\n'));
  bytes = serialized.value.length;
  if (round < 0) continue;
  samples.compile.push(compiled.ms);
  samples.serialize.push(serialized.ms);
  samples.yaml.push(yamlText.ms);
}
process.stdout.write(`${JSON.stringify({ n, objects: objects.length, bytes, samples })}\n`);
