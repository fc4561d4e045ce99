import type { Labels, Names, ServicePlan, SpecPath } from '../plan/index.js';
import type { Check } from './context.js';

const TF_SERVING_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * Kubernetes' limits by what a name is used as: a Service name is a DNS-1035 label (63), a label
 * value has at most 63 characters, and most object names (Deployment, ConfigMap, every Istio and
 * Flagger resource) are DNS-1123 subdomains of up to 253.
 */
const LIMITS = {
  service: { max: 63, rule: 'a Service name is a DNS-1035 label of at most 63 characters' },
  label: { max: 63, rule: 'a label value has at most 63 characters' },
  object: { max: 253, rule: 'an object name has at most 253 characters' },
} as const;
type Use = keyof typeof LIMITS;

/** What each entry of the plan's names becomes. Names added later default to an object name. */
const NAMED: Partial<Record<keyof Names, { what: string; use: Use }>> = {
  service: { what: 'the Service', use: 'service' },
  flaggerPrimary: { what: "Flagger's primary Service", use: 'service' },
  flaggerCanary: { what: "Flagger's canary Service", use: 'service' },
  serviceAccount: { what: 'the ServiceAccount', use: 'object' },
  virtualService: { what: 'the VirtualService', use: 'object' },
  destinationRule: { what: 'the DestinationRule', use: 'object' },
  serviceEntry: { what: 'the ServiceEntry', use: 'object' },
  peerAuthentication: { what: 'the PeerAuthentication', use: 'object' },
  authorizationPolicy: { what: 'the AuthorizationPolicy', use: 'object' },
  canary: { what: 'the Canary', use: 'object' },
};
const NOT_NAMES = new Set<string>(['serviceHost']);

interface Derived {
  value: string;
  what: string;
  use: Use;
  path: SpecPath;
}

/**
 * Every name and label value servec derives fits where Kubernetes puts it, and the model name fits
 * TF Serving's config and URLs. One report per place in the spec: the overflow that needs the most
 * characters cut (cutting that many fixes the others).
 */
export const names: Check = ({ plan, report }) => {
  const worst = new Map<string, Derived>();
  for (const d of tooLong(plan)) {
    const over = d.value.length - LIMITS[d.use].max;
    const key = d.path.join('.');
    const seen = worst.get(key);
    if (!seen || over > seen.value.length - LIMITS[seen.use].max) worst.set(key, d);
  }
  for (const d of worst.values()) {
    const { max, rule } = LIMITS[d.use];
    const over = d.value.length - max;
    const field = d.path[0] === 'metadata' ? 'metadata.name' : 'the version name';
    report('SV206', `${d.what} "${d.value}" would be ${d.value.length} characters: ${rule}`, d.path, {
      hint: `shorten ${field} by ${over} character${over === 1 ? '' : 's'}`,
    });
  }
  const model = plan.model;
  if (!TF_SERVING_NAME.test(model.name) || model.name.length > 128) {
    report('SV213', `the model name "${model.name}" cannot go into TF Serving's config and request paths`, model.origin.path, {
      hint: 'use letters, digits, "_", "." and "-", starting with a letter or digit',
    });
  }
};

/**
 * Each name and label value of the plan that is longer than its use allows, what it is used as, and the
 * spec field it grows with. Values that fit are skipped before any text about them is made: nearly all
 * of them do, and a build checks every spec.
 */
function tooLong(plan: ServicePlan): Derived[] {
  const top = plan.origin.path;
  const out: Derived[] = [];
  const fits = (value: string, use: Use) => value.length <= LIMITS[use].max;
  for (const [key, value] of Object.entries(plan.names) as Array<[keyof Names, string]>) {
    if (NOT_NAMES.has(key) || (!plan.flagger && (key === 'flaggerPrimary' || key === 'flaggerCanary'))) continue;
    const named = NAMED[key] ?? { what: 'the object', use: 'object' as const };
    if (!fits(value, named.use)) out.push({ value, path: top, ...named });
  }
  if (!fits(plan.gateway.name, 'object')) out.push({ value: plan.gateway.name, what: 'the Gateway', use: 'object', path: top });
  for (const check of plan.flagger?.checks ?? []) {
    if (check.template && !fits(check.template.name, 'object')) out.push({ value: check.template.name, what: 'the MetricTemplate', use: 'object', path: top });
  }
  const labels = (map: Labels, whose: () => string, path: (value: string) => SpecPath) => {
    for (const key in map) {
      const value = map[key]!;
      if (!fits(value, 'label')) out.push({ value, what: `the label ${key} on ${whose()}`, use: 'label', path: path(value) });
    }
  };
  const everyObject = () => 'every object';
  const everyPod = () => 'every pod';
  labels(plan.labels, everyObject, () => top);
  labels(plan.selectors.pods, everyPod, () => top);
  labels(plan.selectors.service, everyPod, () => top);
  for (const v of plan.versions) {
    const own = [...v.origin.path, 'name'];
    // A value grows with the version name when it ends with it (NAME-VERSION); otherwise with metadata.name.
    const grows = (value: string) => (value === v.name || value.endsWith(`-${v.name}`) ? own : top);
    if (!fits(v.deployment, 'object')) out.push({ value: v.deployment, what: 'the Deployment', use: 'object', path: grows(v.deployment) });
    if (!fits(v.configMap, 'object')) out.push({ value: v.configMap, what: 'the ConfigMap', use: 'object', path: grows(v.deployment) });
    const pods = () => `version "${v.name}"'s pods`;
    const serving = plan.flagger ? () => "Flagger's primary pods" : pods;
    labels(v.selector, pods, grows);
    labels(v.subset, pods, grows);
    labels(v.serving.labels, serving, grows);
    labels(v.serving.selector, serving, grows);
  }
  return out;
}
