/**
 * A small Kubernetes API server on loopback, for testing the cluster commands without a cluster.
 * It implements only the documented behaviour those commands rely on:
 *  - discovery: GET /api/v1 and /apis/GROUP/VERSION list the resources served (a group can be left
 *    out to play "CRD not installed");
 *  - server-side apply: PATCH with application/apply-patch+yaml and ?fieldManager=; creates (201) or
 *    updates (200); a field set to a different value than the live one while another manager owns it
 *    is a 409 with details.causes[].type FieldManagerConflict, unless force=true (which takes the
 *    field over); fields the manager applied before and no longer sends are removed when nobody
 *    else owns them; ?dryRun=All computes the result and stores nothing;
 *  - GET one object, GET a collection with labelSelector (equality terms only), DELETE with
 *    propagationPolicy (Background and Foreground both delete dependents by ownerReference uid);
 *  - bearer-token authentication (401) and per-path refusals (403), to play expired credentials.
 * It also plays two controllers:
 *  - the Deployment controller: a Deployment reports all its replicas updated, ready and available
 *    `readyAfterMs` after its spec last changed (status is computed when read);
 *  - Flagger (v1.44, pkg/controller/scheduler.go): for a new Canary, creates `T-primary` (owned by the
 *    Canary), the `-primary`/`-canary` Services and DestinationRules; once the primary is ready, points
 *    the apex Service at it, scales the target to 0 and takes over the apex VirtualService (all as
 *    non-apply updates by manager `flagger`, as Flagger does), then reports phase Initialized.
 *
 * What it does NOT model (a test that depends on these is testing this server, not servec):
 *  - merging inside fields: ownership is per field at depth 2 (`spec.replicas`, `spec.template`,
 *    `spec.http`, `data.KEY`, `metadata.labels.KEY`); list-type=map merges, associative lists and
 *    managedFields[].fieldsV1 has the API's shape but stops at that depth;
 *  - defaulting, admission (webhooks, validation, immutability of immutable ConfigMaps), conversion
 *    between versions, the status subresource, resourceVersion preconditions, watches, pods,
 *    Endpoints objects (readiness is per Deployment), garbage collection delays, finalizers;
 *  - set-based label selectors, field selectors, pagination, namespaces as objects.
 * It records every request (method, path, query, content type, parsed body) for exact-request tests,
 * and checks after every change that each host the routing sends traffic to has a ready endpoint.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Obj = Record<string, any>;

export interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  body: any;
}

export interface FakeOptions {
  /** Groups (e.g. 'flagger.app') not served, as when a CRD is not installed. */
  missingGroups?: string[];
  /** When set, requests must carry `Authorization: Bearer <token>`. */
  token?: string;
  /** Paths (prefix match) answered with 403. */
  forbidden?: string[];
  readyAfterMs?: number;
  /** Drop the connection of the Nth apply PATCH (1-based), as a network cut or a killed process would. */
  dropApply?: number;
  /** Play Flagger. */
  flagger?: boolean;
}

const RESOURCES: Record<string, { kind: string; name: string; namespaced: boolean }[]> = {
  v1: [
    { kind: 'ServiceAccount', name: 'serviceaccounts', namespaced: true },
    { kind: 'ConfigMap', name: 'configmaps', namespaced: true },
    { kind: 'Secret', name: 'secrets', namespaced: true },
    { kind: 'Service', name: 'services', namespaced: true },
    { kind: 'Namespace', name: 'namespaces', namespaced: false },
  ],
  'apps/v1': [{ kind: 'Deployment', name: 'deployments', namespaced: true }],
  'policy/v1': [{ kind: 'PodDisruptionBudget', name: 'poddisruptionbudgets', namespaced: true }],
  'autoscaling/v2': [{ kind: 'HorizontalPodAutoscaler', name: 'horizontalpodautoscalers', namespaced: true }],
  'networking.istio.io/v1': [
    { kind: 'ServiceEntry', name: 'serviceentries', namespaced: true },
    { kind: 'Gateway', name: 'gateways', namespaced: true },
    { kind: 'DestinationRule', name: 'destinationrules', namespaced: true },
    { kind: 'VirtualService', name: 'virtualservices', namespaced: true },
  ],
  'security.istio.io/v1': [
    { kind: 'PeerAuthentication', name: 'peerauthentications', namespaced: true },
    { kind: 'AuthorizationPolicy', name: 'authorizationpolicies', namespaced: true },
  ],
  'flagger.app/v1beta1': [
    { kind: 'Canary', name: 'canaries', namespaced: true },
    { kind: 'MetricTemplate', name: 'metrictemplates', namespaced: true },
  ],
};

const clone = <T>(value: T): T => (value === undefined ? value : JSON.parse(JSON.stringify(value)));
const equal = (a: unknown, b: unknown) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
function sortKeys(value: any): any {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
  return value;
}
const isMap = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The fields an applied object sets, at the granularity this server models. */
function fieldPaths(object: Obj): string[] {
  const paths: string[] = [];
  for (const [key, value] of Object.entries(object)) {
    if (key === 'apiVersion' || key === 'kind' || key === 'status') continue;
    if (key === 'metadata') {
      for (const sub of ['labels', 'annotations']) for (const k of Object.keys(value[sub] ?? {})) paths.push(`metadata.${sub}.${k}`);
      if (value.ownerReferences) paths.push('metadata.ownerReferences');
      continue;
    }
    if (isMap(value)) for (const k of Object.keys(value)) paths.push(`${key}.${k}`);
    else paths.push(key);
  }
  return paths;
}
/** A path is `field`, `field.KEY` or `metadata.labels.KEY` (KEY may itself hold dots: `models.config`, `app.kubernetes.io/name`). */
function split(path: string): [string, string | undefined, string | undefined] {
  const [a, ...rest] = path.split('.');
  if (a === 'metadata' && rest[0] !== 'ownerReferences') return [a, rest[0], rest.slice(1).join('.')];
  return [a!, rest.length > 0 ? rest.join('.') : undefined, undefined];
}
function getPath(object: Obj, path: string): unknown {
  const [a, b, key] = split(path);
  if (key !== undefined) return object.metadata?.[b!]?.[key];
  return b === undefined ? object[a] : object[a]?.[b];
}
function setPath(object: Obj, path: string, value: unknown): void {
  const [a, b, key] = split(path);
  if (key !== undefined) (object.metadata[b!] ??= {})[key] = value;
  else if (b === undefined) object[a] = value;
  else (object[a] ??= {})[b] = value;
}
function deletePath(object: Obj, path: string): void {
  const [a, b, key] = split(path);
  if (key !== undefined) {
    if (object.metadata[b!]) delete object.metadata[b!][key];
  } else if (b === undefined) delete object[a];
  else if (isMap(object[a])) {
    delete object[a][b];
    if (Object.keys(object[a]).length === 0) delete object[a];
  }
}

interface Stored {
  object: Obj;
  /** manager → { operation, paths } */
  owners: Map<string, { operation: 'Apply' | 'Update'; paths: Set<string> }>;
  specChangedAt: number;
  /** The Deployment had ready pods before its last change (old pods keep serving during a rollout). */
  wasReady?: boolean;
}

export class FakeApiServer {
  readonly requests: Recorded[] = [];
  readonly violations: string[] = [];
  private readonly store = new Map<string, Stored>();
  private readonly served = new Set<string>();
  private server!: Server;
  private timer: NodeJS.Timeout | undefined;
  private applies = 0;
  private version = 1;
  private readonly hostsSeenReady = new Set<string>();
  url = '';

  constructor(readonly options: FakeOptions = {}) {
    for (const version of Object.keys(RESOURCES)) if (!options.missingGroups?.includes(version.split('/')[0]!)) this.served.add(version);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.timer = setInterval(() => this.tick(), 5);
    return this;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** A kubeconfig pointing at this server (plain HTTP on loopback, so TLS verification is off). */
  kubeconfig(token = this.options.token ?? 'test-token'): string {
    return `apiVersion: v1
kind: Config
clusters: [{name: fake, cluster: {server: "${this.url}", insecure-skip-tls-verify: true}}]
users: [{name: tester, user: {token: "${token}"}}]
contexts: [{name: fake, context: {cluster: fake, user: tester, namespace: default}}]
current-context: fake
`;
  }

  /** Live objects, sorted `Kind namespace/name`, status included as a reader would see it. */
  objects(): Obj[] {
    return [...this.store.values()].map((s) => this.withStatus(s)).sort((a, b) => label(a).localeCompare(label(b)));
  }
  names(): string[] {
    return this.objects().map(label);
  }
  find(kind: string, namespace: string, name: string): Obj | undefined {
    return this.objects().find((o) => o.kind === kind && o.metadata.namespace === namespace && o.metadata.name === name);
  }
  /** A non-apply write by another controller (takes ownership of the paths it changes). */
  update(kind: string, namespace: string, name: string, manager: string, change: (object: Obj) => void): void {
    const stored = [...this.store.values()].find((s) => s.object.kind === kind && s.object.metadata.namespace === namespace && s.object.metadata.name === name);
    if (!stored) throw new Error(`no ${kind} ${namespace}/${name}`);
    this.write(stored, manager, change);
  }
  /** Creates an object as another controller would (operation Update). */
  create(object: Obj, manager: string): void {
    const key = this.keyOf(object);
    const stored: Stored = { object: { metadata: {}, ...clone(object) }, owners: new Map(), specChangedAt: Date.now() };
    Object.assign(stored.object.metadata, { uid: randomUUID(), resourceVersion: String(this.version++), creationTimestamp: '2026-01-01T00:00:00Z', generation: 1 });
    stored.owners.set(manager, { operation: 'Update', paths: new Set(fieldPaths(object)) });
    this.store.set(key, stored);
    this.checkEndpoints();
  }

  private write(stored: Stored, manager: string, change: (object: Obj) => void): void {
    const before = clone(stored.object);
    change(stored.object);
    const changed = new Set([...fieldPaths(before), ...fieldPaths(stored.object)].filter((p) => !equal(getPath(before, p), getPath(stored.object, p))));
    for (const [other, entry] of stored.owners) if (other !== manager) for (const p of changed) entry.paths.delete(p);
    const own = stored.owners.get(manager) ?? { operation: 'Update' as const, paths: new Set<string>() };
    for (const p of changed) own.paths.add(p);
    stored.owners.set(manager, own);
    this.bump(stored, before);
    this.checkEndpoints();
  }

  private bump(stored: Stored, before: Obj): void {
    stored.object.metadata.resourceVersion = String(this.version++);
    if (!equal(before.spec, stored.object.spec) || !equal(before.data, stored.object.data)) {
      stored.object.metadata.generation = (stored.object.metadata.generation ?? 0) + 1;
      stored.specChangedAt = Date.now();
    }
  }

  private keyOf(object: Obj): string {
    return `${object.apiVersion.split('/').length > 1 ? object.apiVersion.split('/')[0] : ''}/${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    const query = Object.fromEntries(url.searchParams);
    let body: any;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    this.requests.push({ method: req.method!, path: url.pathname, query, contentType: req.headers['content-type'], body });
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    if (this.options.token && req.headers.authorization !== `Bearer ${this.options.token}`) return send(401, status(401, 'Unauthorized', 'Unauthorized'));
    if (this.options.forbidden?.some((p) => url.pathname.startsWith(p))) return send(403, status(403, 'Forbidden', `forbidden: User "tester" cannot access ${url.pathname}`));
    const discovery = /^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))$/.exec(url.pathname);
    if (req.method === 'GET' && discovery) {
      const version = discovery[1] ?? discovery[2]!;
      if (!this.served.has(version)) return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
      return send(200, { kind: 'APIResourceList', groupVersion: version, resources: RESOURCES[version]!.map((r) => ({ ...r, verbs: ['get', 'list', 'patch', 'delete'] })) });
    }
    const match = /^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?$/.exec(url.pathname);
    const version = match?.[1] ?? match?.[2];
    const resource = version && this.served.has(version) ? RESOURCES[version]!.find((r) => r.name === match![4]) : undefined;
    if (!match || !resource) return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
    const [namespace, name] = [match[3], match[5]];
    const key = `${version!.includes('/') ? version!.split('/')[0] : ''}/${resource.kind}/${namespace ?? ''}/${name}`;
    if (req.method === 'GET' && name) {
      const stored = this.store.get(key);
      return stored ? send(200, this.withStatus(stored)) : send(404, status(404, 'NotFound', `${resource.name} "${name}" not found`));
    }
    if (req.method === 'GET') {
      const terms = (query.labelSelector ?? '').split(',').filter(Boolean).map((t) => t.split('='));
      const items = [...this.store.values()]
        .filter((s) => s.object.kind === resource.kind && s.object.apiVersion.split('/')[0] === version!.split('/')[0] && (!namespace || s.object.metadata.namespace === namespace))
        .filter((s) => terms.every(([k, v]) => s.object.metadata.labels?.[k!] === v))
        .map((s) => this.withStatus(s));
      return send(200, { kind: `${resource.kind}List`, apiVersion: version, items });
    }
    if (req.method === 'DELETE' && name) {
      const stored = this.store.get(key);
      if (!stored) return send(404, status(404, 'NotFound', `${resource.name} "${name}" not found`));
      if (query.dryRun !== 'All') this.remove(key, query.propagationPolicy !== 'Orphan');
      return send(200, status(200, 'Success', 'deleted'));
    }
    if (req.method === 'PATCH' && name) {
      if (req.headers['content-type'] !== 'application/apply-patch+yaml') return send(415, status(415, 'UnsupportedMediaType', 'only server-side apply is modelled'));
      if (!query.fieldManager) return send(422, status(422, 'Invalid', 'fieldManager is required for apply patch'));
      this.applies++;
      if (this.options.dropApply === this.applies) {
        req.socket.destroy();
        return;
      }
      if (body?.metadata?.name !== name || (resource.namespaced && body?.metadata?.namespace && body.metadata.namespace !== namespace)) return send(400, status(400, 'BadRequest', 'name or namespace does not match the path'));
      const result = this.apply(key, body, query.fieldManager, query.force === 'true', query.dryRun === 'All');
      return send(result.code, result.payload);
    }
    return send(405, status(405, 'MethodNotAllowed', 'not modelled'));
  }

  private apply(key: string, body: Obj, manager: string, force: boolean, dryRun: boolean): { code: number; payload: unknown } {
    const existing = this.store.get(key);
    const stored: Stored = existing ? { object: clone(existing.object), owners: new Map([...existing.owners].map(([m, e]) => [m, { ...e, paths: new Set(e.paths) }])), specChangedAt: existing.specChangedAt, wasReady: existing.wasReady } : { object: { apiVersion: body.apiVersion, kind: body.kind, metadata: { name: body.metadata.name, namespace: body.metadata.namespace } }, owners: new Map(), specChangedAt: Date.now() };
    const before = clone(stored.object);
    const paths = fieldPaths(body);
    const conflicts: { type: string; message: string; field: string }[] = [];
    for (const p of paths) {
      if (equal(getPath(stored.object, p), getPath(body, p))) continue;
      for (const [other, entry] of stored.owners) if (other !== manager && entry.paths.has(p)) conflicts.push({ type: 'FieldManagerConflict', message: `conflict with "${other}"${entry.operation === 'Update' ? ' using v1' : ''}`, field: `.${p}` });
    }
    if (conflicts.length > 0 && !force) {
      return { code: 409, payload: { ...status(409, 'Conflict', `Apply failed with ${conflicts.length} conflict(s): ${conflicts.map((c) => `${c.message}: ${c.field}`).join(', ')}`), details: { name: body.metadata.name, kind: body.kind, causes: conflicts } } };
    }
    const previous = stored.owners.get(manager)?.paths ?? new Set<string>();
    for (const p of previous) {
      if (paths.includes(p)) continue;
      const others = [...stored.owners].some(([m, e]) => m !== manager && e.paths.has(p));
      if (!others) deletePath(stored.object, p);
    }
    for (const p of paths) {
      setPath(stored.object, p, clone(getPath(body, p)));
      for (const [other, entry] of stored.owners) if (other !== manager) entry.paths.delete(p);
    }
    stored.owners.set(manager, { operation: 'Apply', paths: new Set(paths) });
    if (!existing) Object.assign(stored.object.metadata, { uid: randomUUID(), creationTimestamp: '2026-01-01T00:00:00Z', generation: 1, resourceVersion: String(this.version++) });
    else if (!equal(before, stored.object)) this.bump(stored, before);
    if (!dryRun) {
      this.store.set(key, stored);
      this.checkEndpoints();
    }
    return { code: existing ? 200 : 201, payload: this.withStatus(stored) };
  }

  private remove(key: string, cascade: boolean): void {
    const stored = this.store.get(key);
    if (!stored) return;
    this.store.delete(key);
    if (cascade) for (const [k, s] of [...this.store]) if ((s.object.metadata.ownerReferences ?? []).some((o: Obj) => o.uid === stored.object.metadata.uid)) this.remove(k, true);
    this.checkEndpoints();
  }

  private withStatus(stored: Stored): Obj {
    const object = clone(stored.object);
    object.metadata.managedFields = [...stored.owners].map(([manager, e]) => ({ manager, operation: e.operation, fieldsType: 'FieldsV1', fieldsV1: fieldsV1(e.paths) }));
    if (object.kind === 'Deployment') object.status = this.deploymentStatus(stored);
    return object;
  }

  /**
   * A rolling update: new pods are ready `readyAfterMs` after the spec changed; until then the old
   * pods of a Deployment that was ready keep serving (counted in status.replicas, not updated).
   */
  private deploymentStatus(stored: Stored): Obj {
    const replicas = stored.object.spec?.replicas ?? 1;
    const done = Date.now() - stored.specChangedAt >= (this.options.readyAfterMs ?? 50);
    if (done) stored.wasReady = replicas > 0;
    const updated = done ? replicas : 0;
    const old = !done && stored.wasReady ? replicas : 0;
    return { observedGeneration: stored.object.metadata.generation, replicas: updated + old, updatedReplicas: updated, readyReplicas: updated + old, availableReplicas: updated + old };
  }

  private ready(deployment: Stored): boolean {
    const status = this.deploymentStatus(deployment);
    return status.readyReplicas > 0;
  }

  private tick(): void {
    if (this.options.flagger) this.playFlagger();
    this.checkEndpoints();
  }

  /** Flagger's first deploy of each Canary, in the order of its scheduler. */
  private playFlagger(): void {
    for (const stored of [...this.store.values()].filter((s) => s.object.kind === 'Canary')) {
      const canary = stored.object;
      const ns = canary.metadata.namespace;
      const target = canary.spec.targetRef.name as string;
      const apex = (canary.spec.service?.name ?? target) as string;
      const port = canary.spec.service.port;
      const owner = [{ apiVersion: 'flagger.app/v1beta1', kind: 'Canary', name: canary.metadata.name, uid: canary.metadata.uid, controller: true }];
      const get = (kind: string, name: string) => [...this.store.values()].find((s) => s.object.kind === kind && s.object.metadata.namespace === ns && s.object.metadata.name === name);
      const targetDeployment = get('Deployment', target);
      if (!targetDeployment) continue;
      if (!canary.status) {
        this.write(stored, 'flagger', (c) => (c.status = { phase: 'Initializing', canaryWeight: 0, failedChecks: 0, conditions: [{ type: 'Promoted', status: 'Unknown', reason: 'Initializing', lastTransitionTime: '2026-01-01T00:00:00Z' }] }));
        for (const [name, app] of [[`${apex}-canary`, target], [`${apex}-primary`, `${target}-primary`]] as const) {
          this.create({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, ownerReferences: owner }, spec: { selector: { app }, ports: [{ name: 'grpc', port, targetPort: port }] } }, 'flagger');
          this.create({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name, namespace: ns, ownerReferences: owner }, spec: { host: name } }, 'flagger');
        }
        const primary = clone(targetDeployment.object);
        primary.metadata = { name: `${target}-primary`, namespace: ns, labels: { ...primary.metadata.labels, app: `${target}-primary` }, annotations: primary.metadata.annotations, ownerReferences: owner };
        primary.spec.selector = { matchLabels: { app: `${target}-primary` } };
        primary.spec.template.metadata.labels = { ...primary.spec.template.metadata.labels, app: `${target}-primary` };
        this.create(primary, 'flagger');
        continue;
      }
      const primary = get('Deployment', `${target}-primary`);
      if (canary.status.phase !== 'Initializing' || !primary || !this.ready(primary)) continue;
      // "runs after the primary is ready to ensure zero downtime": Service, then scale-down, then routing.
      const service = get('Service', apex);
      if (service) this.write(service, 'flagger', (s) => (s.spec.selector = { app: `${target}-primary` }));
      else this.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: apex, namespace: ns, ownerReferences: owner }, spec: { selector: { app: `${target}-primary` }, ports: [{ name: 'grpc', port, targetPort: port }] } }, 'flagger');
      this.write(targetDeployment, 'flagger', (d) => (d.spec.replicas = 0));
      const http = [{ route: [{ destination: { host: `${apex}-primary` }, weight: 100 }, { destination: { host: `${apex}-canary` }, weight: 0 }] }];
      const vs = get('VirtualService', apex);
      if (vs) this.write(vs, 'flagger', (v) => (v.spec = { hosts: canary.spec.service.hosts, gateways: canary.spec.service.gateways, http }));
      else this.create({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: apex, namespace: ns, ownerReferences: owner }, spec: { hosts: canary.spec.service.hosts, gateways: canary.spec.service.gateways, http } }, 'flagger');
      this.write(stored, 'flagger', (c) => (c.status = { ...c.status, phase: 'Initialized', conditions: [{ type: 'Promoted', status: 'True', reason: 'Initialized', lastTransitionTime: '2026-01-01T00:01:00Z' }] }));
    }
  }

  /**
   * The zero-downtime invariant: every destination the routing sends traffic to (weight > 0) is a
   * Service whose selector, narrowed by the DestinationRule subset's labels, matches a ready
   * Deployment. Checked after every change, once the host has been served at least once (a new
 * service may start unready; a served one must never route any share of traffic to nothing).
   */
  private checkEndpoints(): void {
    for (const vs of [...this.store.values()].filter((s) => s.object.kind === 'VirtualService')) {
      const ns = vs.object.metadata.namespace;
      for (const route of (vs.object.spec?.http ?? []).flatMap((h: Obj) => h.route ?? [])) {
        if ((route.weight ?? 100) === 0) continue;
        const host = String(route.destination.host).split('.')[0]!;
        const id = `${ns}/${host}${route.destination.subset ? ` subset ${route.destination.subset}` : ''}`;
        const hostId = `${ns}/${host}`;
        const service = [...this.store.values()].find((s) => s.object.kind === 'Service' && s.object.metadata.namespace === ns && s.object.metadata.name === host);
        const rule = [...this.store.values()].find((s) => s.object.kind === 'DestinationRule' && s.object.metadata.namespace === ns && String(s.object.spec?.host).split('.')[0] === host && (s.object.spec?.subsets ?? []).some((x: Obj) => x.name === route.destination.subset));
        const subsetLabels = route.destination.subset ? rule?.object.spec.subsets.find((x: Obj) => x.name === route.destination.subset)?.labels : {};
        const selector = service && subsetLabels ? { ...service.object.spec.selector, ...subsetLabels } : undefined;
        const served =
          selector !== undefined &&
          [...this.store.values()].some(
            (d) => d.object.kind === 'Deployment' && d.object.metadata.namespace === ns && this.ready(d) && (d.object.spec.replicas ?? 1) > 0 && Object.entries(selector).every(([k, v]) => d.object.spec.template?.metadata?.labels?.[k] === v),
          );
        if (served) this.hostsSeenReady.add(hostId);
        else if (this.hostsSeenReady.has(hostId) && !this.violations.some((v) => v.startsWith(`${id}:`))) this.violations.push(`${id}: no ready endpoint (after request ${this.requests.length})`);
      }
    }
  }
}

/** The paths a manager owns in the API's FieldsV1 shape (`{"f:spec": {"f:replicas": {}}}`), at this server's granularity. */
function fieldsV1(paths: Set<string>): Obj {
  const out: Obj = {};
  for (const path of [...paths].sort()) {
    const [a, b, key] = split(path);
    const keys = key !== undefined ? [a, b!, key] : b === undefined ? [a] : [a, b];
    let node = out;
    for (const key of keys) node = node[`f:${key}`] ??= {};
  }
  return out;
}

function status(code: number, reason: string, message: string): Obj {
  return { kind: 'Status', apiVersion: 'v1', status: code < 400 ? 'Success' : 'Failure', code, reason, message };
}

function label(object: Obj): string {
  return `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`;
}
