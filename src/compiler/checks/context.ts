import type { Code } from '../../diagnostics/diagnostic.js';
import type { Model } from '../model.js';
import type { SpecPath } from '../parse.js';
import type { ModelService } from '../spec.gen.js';

/** What a semantic check sees: the spec as written, its normalized model, and a way to report into the file. */
export interface CheckContext {
  spec: ModelService;
  model: Model;
  report(code: Code, message: string, path: SpecPath, options?: { hint?: string; at?: 'key' | 'value' }): void;
}

export type Check = (ctx: CheckContext) => void;
