import type { Check } from './context.js';
import { autoscaling, images, ports, resources } from './resources.js';
import { names } from './names.js';
import { rollout } from './rollout.js';
import { slo } from './slo.js';
import { storage } from './storage.js';
import { traffic } from './traffic.js';
import { versions } from './versions.js';

/** Every semantic check, run in this order on each valid spec. */
export const CHECKS: readonly Check[] = [names, storage, versions, traffic, rollout, slo, resources, autoscaling, images, ports];

export type { CheckContext } from './context.js';
