import type { RequestOptions } from 'node:https';
import { ClusterError, CLUSTER_EXIT } from './errors.js';

/** Where the API server is and how to reach it: everything a request needs besides its path. */
export interface Connection {
  server: URL;
  /** TLS material, headers (bearer tokens, exec plugin output) and agent, from the kubeconfig. */
  options: RequestOptions;
  /** The kubeconfig context's namespace, used for specs that do not name one (they always do today). */
  namespace: string;
  context: string;
}

/**
 * Reads the kubeconfig as kubectl does ($KUBECONFIG, ~/.kube/config, or the in-cluster service
 * account) with @kubernetes/client-node's KubeConfig, which handles every auth method a kubeconfig
 * allows (exec plugins, tokens, token files, client certificates, auth providers). Only KubeConfig is
 * used: requests go through node:https with the objects as compiled, never through the client's
 * typed models, which drop fields they do not know.
 *
 * The import path is rewritten by scripts/build.mjs to dist/kubeconfig.cjs, a bundle of this one
 * module (~200 KB, loads in ~0.1 s instead of the package's ~0.7 s), so an installed servec does not
 * need the 58 MB package at all: it is a build-time dependency (types for the emitters, this bundle).
 */
export async function connect(env: Record<string, string | undefined>, contextName?: string): Promise<Connection> {
  let KubeConfig: typeof import('@kubernetes/client-node/dist/config.js').KubeConfig;
  try {
    ({ KubeConfig } = await import('@kubernetes/client-node/dist/config.js'));
  } catch {
    // Installed servec ships dist/kubeconfig.cjs only; the package is a build-time dependency.
    throw new ClusterError('cannot load the kubeconfig reader (dist/kubeconfig.cjs is missing or older than dist/)', CLUSTER_EXIT.usage, 'run npm run build in the servec checkout');
  }
  const config = new KubeConfig();
  try {
    config.loadFromDefault();
  } catch (error) {
    throw new ClusterError(`cannot read the kubeconfig: ${(error as Error).message}`, CLUSTER_EXIT.unreachable, 'set KUBECONFIG or run inside a pod with a service account');
  }
  if (contextName) {
    if (!config.getContextObject(contextName)) throw new ClusterError(`the kubeconfig has no context "${contextName}"`, CLUSTER_EXIT.usage);
    config.setCurrentContext(contextName);
  }
  const cluster = config.getCurrentCluster();
  if (!cluster?.server) {
    const where = env.KUBECONFIG ?? '~/.kube/config';
    throw new ClusterError(`no cluster configured (read ${where})`, CLUSTER_EXIT.unreachable, 'point KUBECONFIG at a kubeconfig, or pass --context');
  }
  const options: RequestOptions = {};
  try {
    await config.applyToHTTPSOptions(options);
  } catch (error) {
    throw new ClusterError(`cannot get credentials for context "${config.getCurrentContext()}": ${(error as Error).message}`, CLUSTER_EXIT.unauthorized, 'check the user entry of the kubeconfig (an exec plugin that fails, an expired token file?)');
  }
  const context = config.getContextObject(config.getCurrentContext());
  return { server: new URL(cluster.server), options, namespace: context?.namespace ?? 'default', context: config.getCurrentContext() };
}
