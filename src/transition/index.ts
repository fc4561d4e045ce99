/**
 * `servec plan OLD NEW`, the pure part: what changes between two states of a spec, in the domain's
 * words. Traffic per caller class before and after (the behaviour model), objects created, changed
 * and deleted, the transitions that need an order, and the safe sequence of steps. No I/O.
 */
import type { KObject } from '../behaviour/index.js';
import { classify, describeTransition, type Transition } from './classify.js';
import { describeRef, diffObjects, type ObjectChanges } from './objects.js';
import { safeSequence, type Step } from './steps.js';
import { trafficChanges, type CallerTraffic, type Portion } from './traffic.js';

// What plan's callers and tests use; the cluster code imports the modules themselves.
export { classify, type Transition } from './classify.js';
export { diffObjects, type ObjectChanges, type Ref } from './objects.js';
export { safeSequence, type Step } from './steps.js';
export { type CallerTraffic, type Portion } from './traffic.js';

export interface TransitionPlan {
  objects: ObjectChanges;
  traffic: CallerTraffic[];
  transitions: Transition[];
  steps: Step[];
}

export function planTransition(before: readonly KObject[], after: readonly KObject[]): TransitionPlan {
  const objects = diffObjects(before, after);
  const traffic = trafficChanges(before, after);
  const transitions = classify(before, after, traffic);
  return { objects, traffic, transitions, steps: safeSequence(objects, transitions, before, after) };
}

/** True when applying NEW over OLD changes anything. */
export const hasChanges = (plan: TransitionPlan) => plan.objects.created.length + plan.objects.changed.length + plan.objects.deleted.length > 0;

const portionText = (p: Portion) =>
  'deployment' in p ? `${p.percent}% ${p.deployment}${p.role ? ` [${p.role}]` : ''} (model ${p.models.join(',') || '?'})` : `${p.percent}% refused (${p.refused})`;
const portionsText = (ps: readonly Portion[]) => (ps.length ? ps.map(portionText).join(', ') : 'no such caller');

/** The plan as text: summary, traffic, objects, then the steps. */
export function formatPlan(plan: TransitionPlan): string {
  const { created, changed, deleted, unchanged } = plan.objects;
  if (!hasChanges(plan)) return `No changes (${unchanged} objects unchanged).\n`;
  const lines: string[] = [`Plan: ${created.length} to create, ${changed.length} to change, ${deleted.length} to delete (${unchanged} unchanged).`];
  if (plan.transitions.length) lines.push('', 'Transitions that need an order:', ...plan.transitions.map((t) => `  ${describeTransition(t)}`));
  lines.push('', 'Traffic (assumed: the namespaces have sidecars, the gateway exposes its ports, Flagger at rest):');
  let service = '';
  for (const t of plan.traffic) {
    if (t.service !== service) lines.push(`  ${(service = t.service)}`);
    const same = portionsText(t.before) === portionsText(t.after);
    lines.push(`    ${t.caller}`, same ? `      unchanged: ${portionsText(t.after)}` : `      before: ${portionsText(t.before)}\n      after:  ${portionsText(t.after)}`);
  }
  lines.push('', 'Objects:');
  for (const [sign, refs] of [['+', created], ['~', changed], ['-', deleted]] as const) for (const r of refs) lines.push(`  ${sign} ${describeRef(r)}`);
  lines.push('', 'Steps:');
  plan.steps.forEach((s, i) => {
    lines.push(`  ${i + 1}. ${s.action} ${s.text}`);
    if (s.objects?.length && s.action !== 'wait' && s.action !== 'check' && s.action !== 'suspend') for (const r of s.objects) lines.push(`       ${describeRef(r)}`);
  });
  return `${lines.join('\n')}\n`;
}
