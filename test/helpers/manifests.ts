/**
 * Whole-stream properties of emitted manifests that no single schema can check: cross-references
 * resolve inside the stream, pod templates meet the "restricted" Pod Security Standard, and no
 * credential value appears anywhere.
 */
import type { K8sObject } from '../../src/emitters/index.js';
import { inlineCredential } from '../../src/compiler/secrets.js';

type Any = Record<string, any>;

const key = (o: Any) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;

function matches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

function podTemplates(objects: readonly K8sObject[]): Array<{ owner: string; namespace: string; labels: Record<string, string>; spec: Any }> {
  return objects
    .filter((o) => o.kind === 'Deployment')
    .map((o) => {
      const d = o as Any;
      return { owner: key(o), namespace: o.metadata.namespace!, labels: d.spec.template.metadata.labels, spec: d.spec.template.spec };
    });
}

export function referenceProblems(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  const ids = new Set(objects.map(key));
  const has = (kind: string, namespace: string, name: string) => ids.has(`${kind}/${namespace}/${name}`);
  const pods = podTemplates(objects);
  const podsIn = (namespace: string, selector: Record<string, string>) => pods.filter((p) => p.namespace === namespace && matches(selector, p.labels));
  for (const o of objects as unknown as Any[]) {
    const ns = o.metadata.namespace;
    const where = key(o);
    switch (o.kind) {
      case 'Deployment': {
        if (!matches(o.spec.selector.matchLabels, o.spec.template.metadata.labels)) problems.push(`${where}: selector does not match its pod labels`);
        const spec = o.spec.template.spec;
        if (!has('ServiceAccount', ns, spec.serviceAccountName)) problems.push(`${where}: ServiceAccount ${spec.serviceAccountName} is not emitted`);
        for (const v of spec.volumes ?? []) {
          if (v.configMap && !has('ConfigMap', ns, v.configMap.name)) problems.push(`${where}: ConfigMap ${v.configMap.name} is not emitted`);
        }
        const volumes = new Set((spec.volumes ?? []).map((v: Any) => v.name));
        for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
          for (const m of c.volumeMounts ?? []) if (!volumes.has(m.name)) problems.push(`${where}: mount ${m.name} has no volume`);
        }
        break;
      }
      case 'Service':
        if (podsIn(ns, o.spec.selector).length === 0) problems.push(`${where}: selector matches no pods`);
        break;
      case 'DestinationRule':
        for (const s of o.spec.subsets) if (podsIn(ns, { app: o.metadata.name, ...s.labels }).length === 0) problems.push(`${where}: subset ${s.name} matches no pods`);
        if (!objects.some((x) => x.kind === 'Service' && `${x.metadata.name}.${x.metadata.namespace}.svc.cluster.local` === o.spec.host)) {
          problems.push(`${where}: host ${o.spec.host} is no emitted Service`);
        }
        break;
      case 'VirtualService':
        for (const g of o.spec.gateways) {
          if (g === 'mesh') continue;
          const [gns, gname] = g.includes('/') ? g.split('/') : [ns, g];
          // A shared Gateway in another namespace (gateway.ref) belongs to the cluster, not to the build.
          const shared = gns !== ns && !objects.some((x) => x.kind === 'Gateway' && x.metadata.namespace === gns);
          if (!shared && !has('Gateway', gns, gname)) problems.push(`${where}: gateway ${g} is not emitted`);
        }
        for (const route of o.spec.http) {
          for (const r of route.route) {
            const flagger = flaggerPorts(objects as unknown as Any[], r.destination.host);
            if (flagger) {
              // A Service Flagger creates from a Canary of the stream: it carries the target's container ports.
              if (!flagger.includes(r.destination.port?.number)) problems.push(`${where}: port ${r.destination.port?.number} is not on Flagger's ${r.destination.host}`);
              continue;
            }
            const dr = (objects as unknown as Any[]).find((x) => x.kind === 'DestinationRule' && x.spec.host === r.destination.host);
            if (!dr?.spec.subsets.some((s: Any) => s.name === r.destination.subset)) problems.push(`${where}: subset ${r.destination.subset} is not defined`);
            const svc = (objects as unknown as Any[]).find((x) => x.kind === 'Service' && `${x.metadata.name}.${x.metadata.namespace}.svc.cluster.local` === r.destination.host);
            if (!svc?.spec.ports.some((p: Any) => p.port === r.destination.port.number)) problems.push(`${where}: port ${r.destination.port.number} is not a Service port`);
          }
          const total = route.route.reduce((sum: number, r: Any) => sum + (r.weight ?? (route.route.length === 1 ? 100 : 0)), 0);
          if (total !== 100) problems.push(`${where}: route ${route.name} weights add up to ${total}`);
        }
        break;
      case 'Canary': {
        if (!has('Deployment', ns, o.spec.targetRef.name)) problems.push(`${where}: target Deployment ${o.spec.targetRef.name} is not emitted`);
        if (o.spec.autoscalerRef && !has('HorizontalPodAutoscaler', ns, o.spec.autoscalerRef.name)) problems.push(`${where}: autoscaler is not emitted`);
        for (const g of o.spec.service.gateways) {
          const [gns, gname] = g.split('/');
          if (g !== 'mesh' && !has('Gateway', gns, gname)) problems.push(`${where}: gateway ${g} is not emitted`);
        }
        for (const m of o.spec.analysis.metrics) {
          if (m.templateRef && !has('MetricTemplate', m.templateRef.namespace, m.templateRef.name)) problems.push(`${where}: MetricTemplate ${m.templateRef.name} is not emitted`);
        }
        const target = (objects as unknown as Any[]).find((x) => x.kind === 'Deployment' && x.metadata.name === o.spec.targetRef.name);
        const ports = target?.spec.template.spec.containers.flatMap((c: Any) => c.ports.map((p: Any) => p.containerPort)) ?? [];
        if (!ports.includes(o.spec.service.targetPort)) problems.push(`${where}: targetPort ${o.spec.service.targetPort} is not a container port`);
        break;
      }
      case 'HorizontalPodAutoscaler':
        if (!has('Deployment', ns, o.spec.scaleTargetRef.name)) problems.push(`${where}: scale target is not emitted`);
        break;
      case 'PodDisruptionBudget': {
        const flaggerPrimary = o.metadata.name.endsWith('-primary');
        if (!flaggerPrimary && podsIn(ns, o.spec.selector.matchLabels).length === 0) problems.push(`${where}: selector matches no pods`);
        break;
      }
      case 'PeerAuthentication':
      case 'AuthorizationPolicy':
        if (podsIn(ns, o.spec.selector.matchLabels).length === 0) problems.push(`${where}: selector matches no pods`);
        break;
    }
  }
  return problems;
}

/** The checks of the Pod Security Standard "restricted" profile, plus servec's own production rules. */
export function podProblems(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  for (const pod of podTemplates(objects)) {
    const spec = pod.spec;
    const say = (what: string) => problems.push(`${pod.owner}: ${what}`);
    if (spec.hostNetwork || spec.hostPID || spec.hostIPC) say('uses host namespaces');
    for (const v of spec.volumes ?? []) {
      const allowed = ['configMap', 'emptyDir', 'secret', 'projected', 'persistentVolumeClaim', 'downwardAPI', 'csi', 'ephemeral'];
      if (!Object.keys(v).filter((k) => k !== 'name').every((k) => allowed.includes(k))) say(`volume ${v.name} has a restricted type`);
    }
    if (spec.securityContext?.seccompProfile?.type !== 'RuntimeDefault') say('pod seccompProfile is not RuntimeDefault');
    for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
      const sc = c.securityContext ?? {};
      const name = `container ${c.name}`;
      if (sc.privileged) say(`${name} is privileged`);
      if (sc.allowPrivilegeEscalation !== false) say(`${name} allows privilege escalation`);
      if (!(sc.capabilities?.drop ?? []).includes('ALL')) say(`${name} does not drop ALL capabilities`);
      if ((sc.capabilities?.add ?? []).some((cap: string) => cap !== 'NET_BIND_SERVICE')) say(`${name} adds capabilities`);
      if ((sc.runAsNonRoot ?? spec.securityContext?.runAsNonRoot) !== true) say(`${name} may run as root`);
      if ((sc.runAsUser ?? spec.securityContext?.runAsUser) === 0) say(`${name} runs as UID 0`);
      if (sc.readOnlyRootFilesystem !== true) say(`${name} has a writable root filesystem`);
      if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory || !c.resources?.limits?.cpu || !c.resources?.limits?.memory) {
        say(`${name} lacks requests or limits`);
      }
      for (const env of c.env ?? []) {
        if (/KEY|SECRET|TOKEN|PASSWORD/.test(env.name) && env.value !== undefined) say(`${name} has ${env.name} as a literal value`);
      }
    }
    for (const c of spec.containers) {
      if (!c.readinessProbe || !c.startupProbe || !c.livenessProbe) say(`container ${c.name} lacks readiness, startup or liveness probes`);
    }
  }
  return problems;
}

/** Every string in the stream that looks like a credential value. */
export function credentialsIn(objects: readonly K8sObject[]): string[] {
  const found: string[] = [];
  const visit = (value: unknown, path: string): void => {
    if (typeof value === 'string') {
      const why = inlineCredential(value);
      if (why) found.push(`${path}: ${why}`);
    } else if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${path}[${i}]`));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, `${path}.${k}`);
  };
  objects.forEach((o) => visit(o, key(o)));
  return found;
}

/** The ports of a Service Flagger creates (NAME-primary, NAME-canary) from a Canary of the stream with portDiscovery, by host. */
function flaggerPorts(objects: readonly Any[], host: string): number[] | undefined {
  for (const c of objects.filter((o) => o.kind === 'Canary')) {
    const ns = c.metadata.namespace;
    const apex = c.spec.service.name ?? c.spec.targetRef.name;
    if (![`${apex}-primary`, `${apex}-canary`].some((n) => `${n}.${ns}.svc.cluster.local` === host)) continue;
    const target = objects.find((o) => o.kind === 'Deployment' && o.metadata.namespace === ns && o.metadata.name === c.spec.targetRef.name);
    const discovered = c.spec.service.portDiscovery ? (target?.spec.template.spec.containers ?? []).flatMap((x: Any) => (x.ports ?? []).map((p: Any) => p.containerPort)) : [];
    return [c.spec.service.port, ...discovered];
  }
  return undefined;
}

const INSTANCE = 'app.kubernetes.io/instance';
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * What ApplySet pruning (and any inventory keyed on the instance label) needs of a stream: every
 * object, and every pod template, carries one instance value per spec that is a valid label value;
 * every object names its namespace; nothing carries kubectl's applyset labels or is a parent.
 */
export function pruneProblems(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  const instances = new Set<string>();
  for (const o of objects as unknown as Any[]) {
    const where = key(o);
    const labelSets: Array<[string, Record<string, string> | undefined]> = [[where, o.metadata.labels]];
    if (o.spec?.template?.metadata) labelSets.push([`${where} pod template`, o.spec.template.metadata.labels]);
    for (const [at, labels] of labelSets) {
      const instance = labels?.[INSTANCE];
      if (!instance) problems.push(`${at}: no ${INSTANCE} label`);
      else if (instance.length > 63 || !LABEL_VALUE.test(instance)) problems.push(`${at}: ${INSTANCE}=${instance} is not a label value`);
      else instances.add(`${o.metadata.namespace}|${instance}`);
      for (const k of Object.keys(labels ?? {})) if (/^applyset\.(kubernetes\.io|k8s\.io)\//.test(k)) problems.push(`${at}: carries ${k}`);
    }
    if (!o.metadata.namespace) problems.push(`${where}: no namespace`);
    for (const k of Object.keys(o.metadata.annotations ?? {})) if (k.startsWith('applyset.')) problems.push(`${where}: carries annotation ${k}`);
  }
  const specs = new Set(objects.map((o) => `${o.metadata.namespace}|${(o.metadata.labels ?? {})['app.kubernetes.io/name']}`));
  if (instances.size !== specs.size) problems.push(`${instances.size} instance values for ${specs.size} specs`);
  return problems;
}
