// Section (d): `servec watch SPEC --out-dir DIR` save→output latency. Each round rewrites the spec with a
// new image tag for every version and measures from the write until a Deployment file in DIR holds it.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { root } from './proc.mjs';

const BASE_IMAGE = 'image: tensorflow/serving:2.20.0\n';

/** Every file under dir (recursively), as paths. */
function files(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...files(path));
    else out.push(path);
  }
  return out;
}

const read = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};

/** Polls every ~1 ms until test() holds; returns false after timeoutMs. */
async function until(test, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  while (!test()) {
    if (performance.now() > deadline) return false;
    await sleep(1);
  }
  return true;
}

/**
 * Returns { samples: number[] } or { unavailable: reason }. extraArgs: e.g. ['--debounce', '0'].
 */
export async function watchLatency(workDir, { rounds = 20, extraArgs = [], pauseMs = 250 } = {}) {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const spec = join(workDir, 'serving.yaml');
  const outDir = join(workDir, 'out');
  const template = readFileSync(join(root, 'examples/resnet/2-canary.yaml'), 'utf8');
  if (!template.includes(BASE_IMAGE)) return { unavailable: `examples/resnet/2-canary.yaml has no "${BASE_IMAGE.trim()}" line to edit` };
  writeFileSync(spec, template);

  let stderr = '';
  let exited;
  const child = spawn(process.execPath, [join(root, 'bin/servec.js'), 'watch', spec, '--out-dir', outDir, ...extraArgs], {
    cwd: workDir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr.setEncoding('utf8').on('data', (text) => (stderr += text));
  const done = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exited = { code, signal }))));
  const stop = async () => {
    if (!exited) child.kill('SIGTERM');
    await Promise.race([done, sleep(3000)]);
    if (!exited) child.kill('SIGKILL');
  };
  const why = () => (exited ? `servec watch exited with ${exited.code ?? exited.signal}: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : `no output (${stderr.trim().split('\n').pop() ?? ''})`);

  try {
    // The initial build: find the Deployment that runs the edited image.
    let target;
    const found = await until(() => {
      if (exited) return true;
      try {
        statSync(outDir);
      } catch {
        return false;
      }
      target = files(outDir).find((f) => /serving:2\.20\.0$/m.test(read(f)) && /kind: Deployment/.test(read(f)));
      return target !== undefined;
    }, 15_000);
    if (!found || exited || !target) return { unavailable: why() };
    await sleep(pauseMs);

    const samples = [];
    for (let k = 1; k <= rounds; k++) {
      const marker = `serving:2.20.0-b${k}z\n`;
      // Every version's image: the Deployment found first may be any of them.
      const text = template.replaceAll(BASE_IMAGE, `image: tensorflow/serving:2.20.0-b${k}z\n`);
      const started = performance.now();
      writeFileSync(spec, text);
      const ok = await until(() => exited !== undefined || read(target).includes(marker), 10_000);
      if (!ok || exited) return { unavailable: `round ${k}: ${why()}` };
      samples.push(performance.now() - started);
      await sleep(pauseMs); // let the watcher go idle, so rounds do not merge
    }
    return { samples };
  } finally {
    await stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}
