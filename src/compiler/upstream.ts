/**
 * The only places servec reads the *text* of an upstream library's error (yaml's, ajv's): codes and
 * types are used wherever a library offers them; where it offers only a message, the reading is
 * here, and test/upstream.test.ts fails when a new version words it differently.
 */
import type { ErrorObject } from 'ajv';

/** yaml reports a document nested past the JavaScript stack as a stack overflow message. */
export function yamlStackOverflow(message: string): boolean {
  return /call stack/i.test(message);
}

/** yaml's messages are sentences ending with the position; keep the first line, as a clause. */
export function yamlClause(message: string): string {
  return lowerFirst((message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, ''));
}

/** The alias name of yaml's "Unresolved alias" error (thrown by toJS), when it is one. */
export function unresolvedAlias(message: string): string | undefined {
  return /^Unresolved alias[^:]*: (.*)$/.exec(message)?.[1];
}

/** What ajv says about a keyword servec has no wording of its own for. */
export function ajvClause(error: ErrorObject): string {
  return error.message ?? 'is not valid';
}

export function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
