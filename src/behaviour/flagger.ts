/**
 * What Flagger creates from a Canary, as plain objects, so the rest of the model treats Flagger mode
 * like any other set of objects. Follows fluxcd/flagger's Istio router (`pkg/router/istio.go`) and
 * Kubernetes router: Services NAME (apex, selects the primary), NAME-primary and NAME-canary; a primary
 * copy of the target with its selector label suffixed `-primary`; one DestinationRule per Service
 * NAME-primary / NAME-canary carrying `service.trafficPolicy`; a VirtualService NAME with
 * `service.hosts` plus NAME, `service.gateways` plus `mesh` only when no gateway is listed, and one HTTP
 * route with weights (100 - w, w). `portDiscovery` adds the target's other container ports to the
 * Services only; with a first gateway that is not `mesh` it pins every destination to `service.port`.
 */
import { replicasOf } from './pods.js';
import type { KObject } from './types.js';

type Any = Record<string, any>;

/** The label Flagger rewrites on the primary: the first of its default selector labels the target uses. */
const SELECTOR_LABELS = ['app', 'name', 'app.kubernetes.io/name'];

export interface FlaggerRoles {
  /** `namespace/deployment` → role. */
  roles: Map<string, 'primary' | 'canary'>;
  /** `namespace/service` of each Canary's apex Service. */
  apexServices: string[];
}

/** Returns the objects of a cluster where Flagger has reconciled every Canary at `weight`. */
export function withFlagger(objects: readonly KObject[], weight: number): { objects: KObject[] } & FlaggerRoles {
  const out: KObject[] = [];
  const roles = new Map<string, 'primary' | 'canary'>();
  const apexServices: string[] = [];
  const canaries = objects.filter((o) => o.kind === 'Canary') as Any[];
  const targets = new Map<string, Any>();
  for (const c of canaries) targets.set(`${c.metadata.namespace}/${c.spec.targetRef.name}`, c);
  for (const o of objects) {
    const canary = o.kind === 'Deployment' ? targets.get(`${o.metadata.namespace}/${o.metadata.name}`) : undefined;
    if (!canary) {
      out.push(o);
      continue;
    }
    const d = o as KObject & Any;
    const ns = d.metadata.namespace as string;
    const replicas = replicasOf(d, objects);
    const label = SELECTOR_LABELS.find((l) => d.spec.selector?.matchLabels?.[l] !== undefined) ?? 'app';
    const primaryName = `${d.metadata.name}-primary`;
    const primaryLabels = { ...d.spec.template.metadata.labels, [label]: primaryName };
    out.push({
      ...d,
      metadata: { ...d.metadata, name: primaryName },
      spec: {
        ...d.spec,
        replicas,
        selector: { matchLabels: { [label]: primaryName } },
        template: { ...d.spec.template, metadata: { ...d.spec.template.metadata, labels: primaryLabels } },
      },
    });
    // At rest Flagger scales the target (the canary) to zero; during an analysis it runs.
    out.push({ ...d, spec: { ...d.spec, replicas: weight > 0 ? replicas : 0 } });
    roles.set(`${ns}/${primaryName}`, 'primary');
    roles.set(`${ns}/${d.metadata.name}`, 'canary');
    out.push(...flaggerObjects(canary, d, label, weight));
    apexServices.push(`${ns}/${apexOf(canary)}`);
  }
  return { objects: out, roles, apexServices };
}

/** The name of the Service and VirtualService Flagger adopts for a Canary: spec.service.name, else the target's name. */
export function apexOf(canary: KObject | Any): string {
  const spec = (canary as Any).spec ?? {};
  return spec.service?.name ?? spec.targetRef?.name ?? canary.metadata.name;
}

function flaggerObjects(canary: Any, target: Any, label: string, weight: number): KObject[] {
  const ns = canary.metadata.namespace as string;
  const svc = canary.spec.service as Any;
  const apex = (svc.name ?? target.metadata.name) as string;
  const targetName = target.metadata.name as string;
  const ports: Any[] = [
    { name: svc.portName ?? 'http', port: svc.port, targetPort: svc.targetPort ?? svc.port, protocol: 'TCP', ...(svc.appProtocol && { appProtocol: svc.appProtocol }) },
  ];
  if (svc.portDiscovery) {
    // pkg/canary/util.go (getPorts): every other container port, named like the container port
    // (`tcp-CONTAINER-INDEX` when it has no name), without appProtocol.
    for (const c of target.spec.template.spec.containers as Any[]) {
      (c.ports ?? []).forEach((p: Any, i: number) => {
        if (p.containerPort !== ports[0]?.targetPort && p.containerPort !== svc.port) {
          ports.push({ name: p.name ?? `tcp-${c.name}-${i}`, port: p.containerPort, targetPort: p.containerPort, protocol: 'TCP' });
        }
      });
    }
  }
  const service = (name: string, selectorValue: string): KObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns },
    spec: { selector: { [label]: selectorValue }, ports },
  });
  const rule = (host: string): KObject => ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: host, namespace: ns },
    spec: { host, ...(svc.trafficPolicy && { trafficPolicy: svc.trafficPolicy }) },
  });
  const gateways: string[] = [...(svc.gateways ?? [])];
  if (gateways.length === 0) gateways.push('mesh');
  const hosts: string[] = [...(svc.hosts ?? [])];
  if (!hosts.includes(apex)) hosts.push(apex);
  const pin = svc.portDiscovery && (svc.gateways ?? []).length > 0 && svc.gateways[0] !== 'mesh';
  const destination = (host: string) => ({ host, ...(pin && { port: { number: svc.port } }) });
  return [
    service(apex, `${targetName}-primary`),
    service(`${apex}-primary`, `${targetName}-primary`),
    service(`${apex}-canary`, targetName),
    rule(`${apex}-primary`),
    rule(`${apex}-canary`),
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: apex, namespace: ns },
      spec: {
        hosts,
        gateways,
        http: [
          {
            ...(svc.match && { match: svc.match }),
            route: [
              { destination: destination(`${apex}-primary`), weight: 100 - weight },
              { destination: destination(`${apex}-canary`), weight },
            ],
          },
        ],
      },
    },
  ];
}
