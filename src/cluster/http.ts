import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Connection } from './kubeconfig.js';
import { ClusterError, CLUSTER_EXIT } from './errors.js';

export interface Request {
  method: 'GET' | 'PATCH' | 'DELETE' | 'POST' | 'PUT';
  path: string;
  query?: Record<string, string>;
  /** Sent as written: objects go out exactly as compiled. */
  body?: string;
  contentType?: string;
}

export interface Response {
  status: number;
  /** The parsed JSON body (a Kubernetes object, list or Status), or undefined. */
  body: any;
}

/** Sends one request to the API server. Transport failures become ClusterErrors; HTTP statuses are returned. */
export type Send = (request: Request) => Promise<Response>;

const TIMEOUT_MS = 30_000;

export function sender(connection: Connection): Send {
  const { server, options } = connection;
  const request = server.protocol === 'http:' ? httpRequest : httpsRequest;
  const base = server.pathname.replace(/\/$/, '');
  return (req) =>
    new Promise((resolve, reject) => {
      const query = req.query && Object.keys(req.query).length > 0 ? `?${new URLSearchParams(req.query)}` : '';
      const headers: Record<string, string> = { ...(options.headers as Record<string, string>), Accept: 'application/json' };
      if (req.contentType) headers['Content-Type'] = req.contentType;
      const outgoing = request(
        {
          ...options,
          protocol: server.protocol,
          hostname: server.hostname.replace(/^\[|\]$/g, ''),
          port: server.port || undefined,
          method: req.method,
          path: `${base}${req.path}${query}`,
          headers,
          timeout: TIMEOUT_MS,
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown;
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              body = { message: text.slice(0, 200) };
            }
            resolve({ status: incoming.statusCode ?? 0, body });
          });
          incoming.on('error', (error) => reject(unreachable(server, error)));
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
      outgoing.on('error', (error) => reject(unreachable(server, error)));
      outgoing.end(req.body);
    });
}

function unreachable(server: URL, error: Error & { code?: string }): ClusterError {
  const reason = error.code === 'ECONNREFUSED' ? 'connection refused' : error.code === 'ENOTFOUND' ? 'host not found' : error.message;
  return new ClusterError(`cannot reach the API server at ${server.origin}: ${reason}`, CLUSTER_EXIT.unreachable, 'check the kubeconfig context (kubectl config current-context) and the network');
}

/** Turns an error status into a ClusterError naming what was being done. */
export function failure(response: Response, doing: string): ClusterError {
  const message = response.body?.message ?? `HTTP ${response.status}`;
  if (response.status === 401) return new ClusterError(`${doing}: the API server refused the credentials (401 Unauthorized)`, CLUSTER_EXIT.unauthorized, 'the token or certificate has expired or is wrong: log in again (or refresh the kubeconfig)');
  if (response.status === 403) return new ClusterError(`${doing}: forbidden (403): ${message}`, CLUSTER_EXIT.unauthorized, 'ask for RBAC rights on this namespace and kind');
  if (response.status === 409 && response.body?.reason === 'Conflict') {
    const managers = (response.body?.details?.causes ?? []).map((cause: { message?: string; field?: string }) => `  ${cause.field ?? ''}: ${cause.message ?? ''}`).join('\n');
    return new ClusterError(`${doing}: another field manager owns fields servec sets:\n${managers || `  ${message}`}`, CLUSTER_EXIT.conflict, 'stop the other writer (or let it own the field and remove it from the spec); --force-conflicts takes the fields over');
  }
  return new ClusterError(`${doing}: ${message} (HTTP ${response.status})`, CLUSTER_EXIT.partial);
}
