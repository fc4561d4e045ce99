import type { Check } from './context.js';

const LIMIT = 63;
const TF_SERVING_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Names derived by adding suffixes still fit a DNS label; the model name fits TF Serving's config and URLs. */
export const names: Check = ({ model, report }) => {
  const derived: Array<[string, Array<string | number>]> = [
    [model.gateway.name, ['metadata', 'name']],
    [model.names.serviceEntry, ['metadata', 'name']],
  ];
  if (model.mode === 'flagger') {
    derived.push([`${model.name}-primary`, ['metadata', 'name']], [`${model.name}-canary`, ['metadata', 'name']]);
    for (const check of model.flagger!.checks) if (check.template) derived.push([check.template.name, ['metadata', 'name']]);
  } else {
    for (const v of model.versions) derived.push([v.deployment, ['spec', 'versions', v.index, 'name']]);
  }
  const reported = new Set<string>();
  for (const [name, path] of derived) {
    if (name.length <= LIMIT || reported.has(path.join('.'))) continue;
    reported.add(path.join('.'));
    report('SV206', `the derived name "${name}" is ${name.length} characters, more than the ${LIMIT} Kubernetes allows`, path, {
      hint: `shorten metadata.name${path[0] === 'spec' ? ' or the version name' : ''} by ${name.length - LIMIT} characters`,
    });
  }
  if (!TF_SERVING_NAME.test(model.modelName) || model.modelName.length > 128) {
    report('SV213', `the model name "${model.modelName}" cannot go into TF Serving's config and request paths`, ['spec', 'model', 'name'], {
      hint: 'use letters, digits, "_", "." and "-", starting with a letter or digit',
    });
  }
};
