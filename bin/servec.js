#!/usr/bin/env node
// Starts servec. Most of a short run is start-up, so this file takes a fast path:
//   dist/servec.cjs, the whole CLI bundled into one script by scripts/build.mjs, compiled through
//   vm.Script with a V8 code cache (bytecode of everything a build ran last time), so neither the
//   ~120 modules nor their functions are read, parsed or compiled again;
// and falls back to the tsc output dist/src/cli/main.js when the bundle is missing, older than the
// tsc output it was made from (e.g. after a plain `tsc`), or fails to load. The cache is best effort:
// it lives in node_modules/.cache/servec (or $XDG_CACHE_HOME/servec, ~/.cache/servec), is keyed by
// the bundle's hash and Node's version, carries a checksum, and any problem with it is ignored.
//   SERVEC_CODE_CACHE=0   do not read or write the code cache
//   SERVEC_CACHE_DIR=DIR  keep the code cache in DIR
//   SERVEC_BUNDLE=0       run dist/src/cli/main.js instead of the bundle
// Builtins come from process.getBuiltinModule, not `import`: the ESM facade of node:fs alone loads
// fs/promises, streams and readline, a few ms of start-up.

const builtin =
  typeof process.getBuiltinModule === 'function'
    ? (name) => process.getBuiltinModule(name)
    : ((require) => (name) => require(name))((await import('node:module')).createRequire(import.meta.url));

const io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  // A getter: creating process.stderr costs ~1 ms, and only runs with diagnostics need it.
  get stderrIsTTY() {
    return process.stderr.isTTY === true;
  },
};
const argv = process.argv.slice(2);

const fast = process.env.SERVEC_BUNDLE === '0' ? undefined : loadBundle();
const main = fast?.main ?? (await import('../dist/src/cli/main.js')).main;
const code = await main(argv, io);
process.exitCode = code;
fast?.saveCache(code);

/** The bundled CLI, or undefined when it cannot be used (the caller then runs the tsc output). */
function loadBundle() {
  try {
    const fs = builtin('node:fs');
    const path = builtin('node:path');
    const dist = path.join(path.dirname(builtin('node:url').fileURLToPath(import.meta.url)), '..', 'dist');
    const bundle = path.join(dist, 'servec.cjs');
    const built = fs.statSync(bundle).mtimeMs;
    // Stale when any tsc output the bundle was made from is newer (somebody ran tsc, or tsc --watch).
    // Only a checkout (it has tsconfig.json) can be stale: an installed package is never recompiled,
    // and npm's install gives its files arbitrary modification times.
    if (fs.existsSync(path.join(dist, '..', 'tsconfig.json'))) {
      for (const input of JSON.parse(fs.readFileSync(path.join(dist, 'servec.inputs.json'), 'utf8'))) {
        const stat = fs.statSync(path.join(dist, input), { throwIfNoEntry: false });
        if (stat && stat.mtimeMs > built) return undefined;
      }
    }
    const bytes = fs.readFileSync(bundle); // ASCII: esbuild escapes the rest, and scripts/build.mjs checks
    const cache = process.env.SERVEC_CODE_CACHE === '0' ? undefined : codeCache(fs, path, dist, bytes);
    const cached = cache?.read();
    const vm = builtin('node:vm');
    const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${bytes.toString('latin1')}\n})`, {
      filename: bundle,
      cachedData: cached?.data,
    });
    const module = { exports: {} };
    let resolve;
    const require = (id) => builtin(id) ?? (resolve ??= builtin('node:module').createRequire(bundle))(id); // chokidar
    script.runInThisContext().call(module.exports, module.exports, require, module, bundle, dist);
    if (typeof module.exports.main !== 'function') return undefined;
    const fresh = cached === undefined || script.cachedDataRejected === true;
    return {
      main: module.exports.main,
      saveCache(exitCode) {
        if (!cache) return;
        // Functions compiled during this run are in the cache too: a successful build caches the most.
        const level = argv[0] === 'build' && exitCode === 0 ? 2 : argv[0] === 'build' || argv[0] === 'validate' ? 1 : 0;
        try {
          if (fresh || level > cached.level) cache.write(() => script.createCachedData(), level);
        } catch {}
      },
    };
  } catch {
    return undefined;
  }
}

/**
 * Code cache files: "SVCC", a level byte (how much of servec the run that made it used), 3 spare bytes,
 * the SHA-1 of the payload, then V8's cached data. The file name holds the bundle's hash, Node's
 * version and architecture, and a hash of Node's flags (V8 rejects data made under other flags, and
 * sets cachedDataRejected). The checksum matters: release builds of V8 do not verify cached data, and
 * corrupt data makes V8 abort the process (seen: "Fatal error ... unreachable code" in the deserializer).
 */
function codeCache(fs, path, dist, bundleBytes) {
  const crypto = builtin('node:crypto');
  const sha1 = (data) => crypto.createHash('sha1').update(data).digest();
  const env = process.env;
  const dirs = [];
  if (env.SERVEC_CACHE_DIR) dirs.push(env.SERVEC_CACHE_DIR);
  else {
    const pkg = path.dirname(dist);
    // Installed as a dependency: the project's node_modules/.cache; a checkout: its own node_modules/.cache.
    const modules = path.basename(path.dirname(pkg)) === 'node_modules' ? path.dirname(pkg) : path.join(pkg, 'node_modules');
    if (fs.existsSync(modules)) dirs.push(path.join(modules, '.cache', 'servec'));
    const home = env.XDG_CACHE_HOME || (env.HOME ? path.join(env.HOME, '.cache') : undefined);
    if (home) dirs.push(path.join(home, 'servec'));
  }
  // V8 refuses data made under other flags: runs with other flags get their own file instead of taking turns.
  const flags = sha1(`${process.execArgv.join(' ')}\0${env.NODE_OPTIONS ?? ''}`).toString('hex').slice(0, 8);
  const name = `servec-${sha1(bundleBytes).toString('hex').slice(0, 20)}-${process.version}-${process.arch}-${flags}.bin`;
  const MAGIC = 0x43435653; // "SVCC" little-endian
  return {
    read() {
      for (const dir of dirs) {
        let file;
        try {
          file = fs.readFileSync(path.join(dir, name));
        } catch {
          continue;
        }
        if (file.length < 28 || file.readUInt32LE(0) !== MAGIC) continue;
        const data = file.subarray(28);
        if (!sha1(data).equals(file.subarray(8, 28))) continue;
        return { data, level: file[4] };
      }
      return undefined;
    },
    write(create, level) {
      for (const dir of dirs) {
        const target = path.join(dir, name);
        const tmp = `${target}.${process.pid}.tmp`;
        let fd;
        try {
          mkdirs(dir, 0);
          fd = fs.openSync(tmp, 'wx'); // check the directory is writable before serializing
        } catch {
          continue;
        }
        try {
          const data = create();
          const header = Buffer.alloc(28);
          header.writeUInt32LE(MAGIC, 0);
          header[4] = level;
          sha1(data).copy(header, 8);
          fs.writeFileSync(fd, Buffer.concat([header, data]));
          fs.closeSync(fd);
          fd = undefined;
          fs.renameSync(tmp, target);
        } catch {
          try {
            if (fd !== undefined) fs.closeSync(fd);
            fs.rmSync(tmp, { force: true });
          } catch {}
          continue;
        }
        try {
          prune(dir, name);
        } catch {}
        return;
      }
    },
  };

  /** mkdir -p, by hand: Node 20's mkdirSync(..., { recursive: true }) never returns for a path under /proc. */
  function mkdirs(dir, depth) {
    try {
      fs.mkdirSync(dir);
    } catch (error) {
      if (error?.code === 'EEXIST') return;
      const parent = path.dirname(dir);
      if (error?.code !== 'ENOENT' || parent === dir || depth > 16) throw error;
      mkdirs(parent, depth + 1);
      fs.mkdirSync(dir);
    }
  }

  /** Keeps the 8 newest cache files (older bundles, other Node versions) in the directory. */
  function prune(dir, keep) {
    const files = fs
      .readdirSync(dir)
      .filter((file) => /^servec-.*\.bin(\.\d+\.tmp)?$/.test(file) && file !== keep)
      .map((file) => ({ file, mtime: fs.statSync(path.join(dir, file), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const { file } of files.slice(7)) fs.rmSync(path.join(dir, file), { force: true });
  }
}

