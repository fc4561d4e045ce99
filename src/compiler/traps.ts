import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import { formatPath } from '../diagnostics/path.js';
import { locate } from './locate.js';
import type { ParsedDoc, PathSegment } from './parse.js';
import { credentialField, inlineCredential } from './secrets.js';
import type { DiagnosticSink } from '../diagnostics/sink.js';

/**
 * Checks on the document as written, before the schema: values whose meaning YAML changes
 * silently, and credentials, which must never reach a manifest whatever field holds them.
 */

/** Plain words YAML 1.1 reads as booleans (the fast reader leaves documents holding them to the yaml path). */
export const YAML11_BOOLEAN = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

const secretHint =
  'put the value in a Secret (kubectl create secret generic NAME --from-literal=...) and reference it with spec.storage.credentials.secret: {name, accessKeyIdKey, secretAccessKeyKey}, or use spec.storage.credentials.serviceAccount.roleArn (IRSA)';

/** Credential values anywhere in the document, whatever field holds them, and credential-named fields. */
export function inlineSecrets(parsed: ParsedDoc, sink: DiagnosticSink): string[] {
  const found: string[] = [];
  const flag = (path: PathSegment[], message: string, want: 'key' | 'value') => {
    const id = formatPath(path);
    found.push(id);
    sink.at(parsed.source, 'SV214', message, locate(parsed, path, want), { path, hint: secretHint });
  };
  // Paths are kept as links to the parent and made into arrays only for a finding: most values have none.
  const stack: Array<[unknown, PathLink | undefined]> = [[parsed.data, undefined]];
  while (stack.length > 0) {
    const [value, link] = stack.pop()!;
    if (typeof value === 'string') {
      const why = inlineCredential(value);
      if (why) flag(pathOf(link), `this value ${why}; servec never puts credentials into manifests`, 'value');
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) stack.push([value[i], { parent: link, segment: i }]);
    } else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        const why = inlineCredential(key);
        const child = { parent: link, segment: key };
        if (credentialField(key)) flag(pathOf(child), `"${key}" would put a credential into the spec`, 'key');
        else if (why) flag(pathOf(child), `this key ${why}; servec never puts credentials into manifests`, 'key');
        else stack.push([item, child]);
      }
    }
  }
  return found;
}

interface PathLink {
  parent: PathLink | undefined;
  segment: PathSegment;
}

function pathOf(link: PathLink | undefined): PathSegment[] {
  const path: PathSegment[] = [];
  for (let at = link; at; at = at.parent) path.push(at.segment);
  return path.reverse();
}

/** Plain `yes`, `no`, `on`, `off` mean true/false to YAML 1.1 tools (kubectl) but text to YAML 1.2. */
export function booleanWords(parsed: ParsedDoc, sink: DiagnosticSink): string[] {
  const found: string[] = [];
  if (!parsed.mayHoldBooleanWords) return found;
  const stack: Array<[unknown, PathSegment[]]> = [[parsed.doc.contents, []]];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isPair(pair) && isScalar(pair.key)) stack.push([pair.value, [...path, String(pair.key.value)]]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => stack.push([item, [...path, i]]));
    } else if (isScalar(node) && !isAlias(node) && node.type === 'PLAIN' && typeof node.value === 'string' && YAML11_BOOLEAN.test(node.value)) {
      const id = formatPath(path);
      found.push(id);
      sink.at(parsed.source, 'SV109', `\`${node.value}\` is a boolean to YAML 1.1 tools such as kubectl, but text to servec`, locate(parsed, path), {
        path,
        hint: `write true or false for a yes/no setting, or quote it ("${node.value}") if you mean the word`,
      });
    }
  }
  return found;
}

