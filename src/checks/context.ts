import type { Code } from '../diagnostics/diagnostic.js';
import type { ServicePlan, SpecPath } from '../plan/index.js';

/**
 * What a semantic check sees: the service plan, and a way to report into the user's file. A check
 * names the place by its spec path (an element's origin); the driver finds it in the file.
 */
export interface CheckContext {
  plan: ServicePlan;
  report(code: Code, message: string, path: SpecPath, options?: ReportOptions): void;
}

export interface ReportOptions {
  hint?: string;
  /** Point at the key rather than the value. */
  at?: 'key' | 'value';
  /** Secondary places that explain the problem, each with what it contributes. */
  labels?: Array<{ path: SpecPath; message: string; at?: 'key' | 'value' }>;
}

export type Check = (ctx: CheckContext) => void;
