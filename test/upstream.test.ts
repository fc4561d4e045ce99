/** The readings of upstream error messages (src/compiler/upstream.ts), against what the pinned libraries say. */
import { parseAllDocuments, parseDocument } from 'yaml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ajvClause, unresolvedAlias, yamlClause, yamlStackOverflow } from '../src/compiler/upstream.js';

test("yaml's syntax error becomes a clause without its position", () => {
  const [doc] = parseAllDocuments('a: "unterminated\n', { prettyErrors: false });
  const error = doc && 'errors' in doc ? doc.errors[0] : undefined;
  assert.ok(error, 'yaml reports the unterminated string');
  const clause = yamlClause(error.message);
  assert.ok(/^[a-z]/.test(clause), clause);
  assert.not.match(clause, /line \d+, column \d+/);
});

test("yaml's unresolved alias names the alias", () => {
  const doc = parseDocument('a: *missing\n', { prettyErrors: false });
  let message = '';
  try {
    doc.toJS();
  } catch (error) {
    message = (error as Error).message;
  }
  assert.is(unresolvedAlias(message), 'missing');
  assert.is(unresolvedAlias('Something else'), undefined);
});

test("yaml's stack overflow on a deeply nested flow collection is recognised", () => {
  const [doc] = parseAllDocuments(`${'['.repeat(50000)}${']'.repeat(50000)}`, { prettyErrors: false });
  const message = doc && 'errors' in doc ? (doc.errors[0]?.message ?? '') : '';
  assert.ok(yamlStackOverflow(message), `unexpected message: ${message}`);
  assert.not.ok(yamlStackOverflow('Unexpected flow-seq-end'));
});

test("ajv's own message is the fallback clause", () => {
  const error = { instancePath: '', schemaPath: '#/x', keyword: 'dependentRequired', params: {}, message: 'must have property b' };
  assert.is(ajvClause(error), 'must have property b');
  assert.is(ajvClause({ ...error, message: undefined }), 'is not valid');
});

test.run();
