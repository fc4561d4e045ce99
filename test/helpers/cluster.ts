import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { FakeApiServer, type FakeOptions } from './apiserver.js';

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** A running fake API server and a kubeconfig file for it; process.env.KUBECONFIG points at it while in use. */
export async function fakeCluster(options: FakeOptions = {}, token?: string): Promise<{ server: FakeApiServer; kubeconfig: string }> {
  const server = await new FakeApiServer(options).start();
  const dir = mkdtempSync(join(tmpdir(), 'servec-kube-'));
  const kubeconfig = join(dir, 'config');
  writeFileSync(kubeconfig, server.kubeconfig(token));
  return { server, kubeconfig };
}

/** Runs a servec command in this process (the fake server shares its event loop). */
export async function run(argv: string[], kubeconfig: string, env: Record<string, string> = {}): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const previous = process.env.KUBECONFIG;
  process.env.KUBECONFIG = kubeconfig;
  try {
    const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: { SERVEC_POLL_MS: '10', ...env }, stderrIsTTY: false });
    return { code, stdout, stderr };
  } finally {
    if (previous === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = previous;
  }
}
