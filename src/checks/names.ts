import type { SpecPath } from '../plan/index.js';
import type { Check } from './context.js';

const LIMIT = 63;
const TF_SERVING_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Names derived by adding suffixes still fit a DNS label; the model name fits TF Serving's config and URLs. */
export const names: Check = ({ plan, report }) => {
  const derived: Array<[string, SpecPath]> = [
    [plan.gateway.name, plan.origin.path],
    [plan.names.serviceEntry, plan.origin.path],
  ];
  if (plan.flagger) {
    derived.push([plan.names.flaggerPrimary, plan.origin.path], [plan.names.flaggerCanary, plan.origin.path]);
    for (const check of plan.flagger.checks) if (check.template) derived.push([check.template.name, plan.origin.path]);
  } else {
    for (const v of plan.versions) derived.push([v.deployment, [...v.origin.path, 'name']]);
  }
  const reported = new Set<string>();
  for (const [name, path] of derived) {
    if (name.length <= LIMIT || reported.has(path.join('.'))) continue;
    reported.add(path.join('.'));
    report('SV206', `the derived name "${name}" is ${name.length} characters, more than the ${LIMIT} Kubernetes allows`, path, {
      hint: `shorten metadata.name${path[0] === 'spec' ? ' or the version name' : ''} by ${name.length - LIMIT} characters`,
    });
  }
  const model = plan.model;
  if (!TF_SERVING_NAME.test(model.name) || model.name.length > 128) {
    report('SV213', `the model name "${model.name}" cannot go into TF Serving's config and request paths`, model.origin.path, {
      hint: 'use letters, digits, "_", "." and "-", starting with a letter or digit',
    });
  }
};
