/**
 * The layering of src/ (ARCHITECTURE.md, "What may import what"), read from the import statements
 * of the TypeScript sources, so that breaking a rule fails a test instead of only a review.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from './helpers/paths.js';

interface Import {
  /** The module as written. */
  specifier: string;
  /** src-relative path of the imported file, for our own modules. */
  target?: string;
  typeOnly: boolean;
  dynamic: boolean;
}

interface Module {
  /** src-relative path, e.g. compiler/index.ts. */
  file: string;
  folder: string;
  imports: Import[];
  text: string;
}

const src = path.join(repoRoot(), 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every import of a file: static, re-exports and import() calls, telling type-only ones apart. */
export function importsOf(file: string, text: string): Import[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: Import[] = [];
  const add = (specifier: string, typeOnly: boolean, dynamic: boolean) => {
    const own = specifier.startsWith('.') ? path.relative(src, path.resolve(path.dirname(file), specifier)).replace(/\.js$/, '.ts') : undefined;
    found.push({ specifier, ...(own !== undefined && { target: own.split(path.sep).join('/') }), typeOnly, dynamic });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.importClause?.isTypeOnly ?? false, false);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly, false);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteral(arg)) add(arg.text, false, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

const modules: Module[] = sourceFiles(src).map((full) => {
  const text = readFileSync(full, 'utf8');
  const file = path.relative(src, full).split(path.sep).join('/');
  return { file, folder: path.posix.dirname(file), imports: importsOf(full, text), text };
});

const inside = (file: string, ...folders: string[]) => folders.some((folder) => file === folder || file.startsWith(`${folder}/`));

/** Folders whose code may touch the outside world: files, processes, the network. */
const IO_FOLDERS = ['cli', 'cluster'];
const IO_MODULES = /^(node:)?(fs|fs\/promises|net|http|https|http2|tls|dgram|dns|child_process|worker_threads|cluster)$|^(chokidar|@kubernetes\/client-node)$/;

/**
 * The layer a file belongs to for the cycle rule: its folder, except that the CLI is one layer (its
 * entry loads commands/ lazily and commands use the CLI's shared helpers; test/cli-layering.test.ts
 * holds the order inside it).
 */
const layerOf = (file: string) => (inside(file, 'cli') ? 'cli' : path.posix.dirname(file));

/** Folder dependency cycles, each as a list of folders (strongly connected components of size > 1). */
function folderCycles(): string[][] {
  const edges = new Map<string, Set<string>>();
  for (const m of modules) {
    const from = layerOf(m.file);
    for (const i of m.imports) {
      if (!i.target) continue;
      const to = layerOf(i.target);
      if (to !== from) (edges.get(from) ?? edges.set(from, new Set()).get(from)!).add(to);
    }
  }
  // Tarjan's algorithm.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;
  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) component.push(w);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const folder of new Set(modules.map((m) => layerOf(m.file)))) if (!index.has(folder)) connect(folder);
  return cycles;
}

/** Every import of our own modules that breaks `allowed`, as "from -> to" lines. */
function violations(from: (m: Module) => boolean, allowed: (target: string, m: Module) => boolean): string[] {
  return modules
    .filter(from)
    .flatMap((m) => m.imports.filter((i) => i.target !== undefined && !allowed(i.target, m)).map((i) => `${m.file} -> ${i.target}`));
}

test('the import parser reads static, type-only, re-exported and dynamic imports', () => {
  const imports = importsOf(path.join(src, 'x/a.ts'), [
    "import { a } from './b.js';",
    "import type { C } from '../plan/index.js';",
    "export { d } from 'yaml';",
    "const e = await import('./e.js');",
  ].join('\n'));
  assert.equal(imports, [
    { specifier: './b.js', target: 'x/b.ts', typeOnly: false, dynamic: false },
    { specifier: '../plan/index.js', target: 'plan/index.ts', typeOnly: true, dynamic: false },
    { specifier: 'yaml', typeOnly: false, dynamic: false },
    { specifier: './e.js', target: 'x/e.ts', typeOnly: false, dynamic: true },
  ]);
});

test('no two folders of src/ import each other, directly or through others', () => {
  assert.equal(folderCycles(), []);
});

test("the plan's types sit at the bottom: src/plan imports nothing of ours", () => {
  assert.equal(violations((m) => inside(m.file, 'plan'), (target) => inside(target, 'plan')), []);
});

test('diagnostics import only the plan and themselves', () => {
  assert.equal(violations((m) => inside(m.file, 'diagnostics'), (target) => inside(target, 'diagnostics', 'plan')), []);
});

test('checks read the plan and report diagnostics, nothing else', () => {
  assert.equal(violations((m) => inside(m.file, 'checks'), (target) => inside(target, 'checks', 'plan', 'diagnostics')), []);
});

test('no emitter imports another emitter; emitters read only the plan and their shared helpers', () => {
  const emitterFile = (m: Module) => inside(m.file, 'emitters') && m.folder !== 'emitters' && !inside(m.file, 'emitters/shared');
  assert.equal(violations(emitterFile, (target) => inside(target, 'plan', 'emitters/shared')), []);
  assert.equal(violations((m) => inside(m.file, 'emitters/shared'), (target) => inside(target, 'plan', 'emitters/shared')), []);
});

test('transition plans read the behaviour model and objects only (pure, reusable by the cluster commands)', () => {
  assert.equal(violations((m) => inside(m.file, 'transition'), (target) => inside(target, 'transition', 'behaviour')), []);
});

test('only the CLI reaches the driver (compiler/index.ts); the stages never import it', () => {
  assert.equal(violations((m) => !inside(m.file, ...IO_FOLDERS), (target) => target !== 'compiler/index.ts'), []);
});

test('no file, process or network use outside src/cli (and src/cluster)', () => {
  const found: string[] = [];
  for (const m of modules) {
    if (inside(m.file, ...IO_FOLDERS)) continue;
    for (const i of m.imports) if (IO_MODULES.test(i.specifier) && !i.typeOnly) found.push(`${m.file} imports ${i.specifier}`);
    for (const name of globalsUsed(m.file, m.text)) found.push(`${m.file} uses ${name}`);
  }
  assert.equal(found, []);
});

test("servec build's start-up reaches neither chokidar nor the Kubernetes client", async () => {
  const graph = (await import(pathToFileURL(path.join(repoRoot(), 'scripts/startup-graph.mjs')).href)) as {
    startupGraph(inputs: unknown): { eager: Set<string>; problems: string[] };
  };
  const meta = JSON.parse(readFileSync(path.join(repoRoot(), 'dist/servec.meta.json'), 'utf8')) as { inputs: unknown };
  const { eager, problems } = graph.startupGraph(meta.inputs);
  assert.ok(eager.size > 10, 'the start-up graph was read');
  assert.equal(problems, []);
});

/** Globals that reach the outside world (environment, clock, network), used as values in a file. */
const IO_GLOBALS = new Set(['process', 'fetch', 'WebSocket', 'XMLHttpRequest', 'Date', 'performance', 'setTimeout', 'setInterval']);

function globalsUsed(file: string, text: string): string[] {
  const found = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && IO_GLOBALS.has(node.text)) {
      const parent = node.parent;
      const isMemberName = ts.isPropertyAccessExpression(parent) && parent.name === node;
      const isDeclaredName = (ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent) || ts.isMethodDeclaration(parent)) && parent.name === node;
      // `x instanceof Date` or a type annotation reads no clock.
      const isTypeOnly = ts.isTypeReferenceNode(parent) || (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword);
      if (!isMemberName && !isDeclaredName && !isTypeOnly) found.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true));
  return [...found];
}

test('the globals rule sees process, fetch and the clock, but not names that only look like them', () => {
  assert.equal(globalsUsed('a.ts', 'const a = process.env.X; const b = Date.now(); void fetch("u");').sort(), ['Date', 'fetch', 'process']);
  assert.equal(globalsUsed('a.ts', 'const a = { process: 1 }; a.process; const m = "process"; if (x instanceof Date) {}; let d: Date;'), []);
});

test.run();
