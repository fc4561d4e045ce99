#!/usr/bin/env node
// Starts servec. A CommonJS script (bin/package.json says so): an ES module entry costs Node's ESM
// loader, a few ms of a run that is mostly start-up. Most of a short run is start-up, so this file runs
//   dist/servec.cjs, the whole CLI bundled into one script by scripts/build.mjs, compiled through
//   vm.Script with a V8 code cache (bytecode of every function a build ran last time), so neither the
//   ~130 modules nor their functions are read, parsed or compiled again;
// and falls back to the tsc output dist/src/cli/main.js when the bundle is missing, older than the
// tsc output it was made from (e.g. after a plain `tsc`), or fails to load. The cache is best effort:
// it lives in node_modules/.cache/servec (or $XDG_CACHE_HOME/servec, ~/.cache/servec), is keyed by
// Node's version and flags and by the bundle's identity, holds its data twice, compared before use
// (see codeCache), and any problem with it is ignored.
// What a short run costs here is mostly memory first touched (a page fault each, ~20 us on these
// machines) and code that runs once: so output goes out through fs.writeSync (see writer), and
// nothing is loaded that a build does not use (no node:crypto, zlib, stream, net or tty).
// Why not Node's own mechanisms (measured in BENCHMARKS.md): module.enableCompileCache() (Node >= 22.1)
// stores the code cache made when the file is compiled, i.e. the top level only (42 KiB against 430 KiB
// here), so every function a build runs is still compiled lazily: a third more instructions than this
// cache on Node 24. A startup snapshot (node --build-snapshot) needs `node --snapshot-blob` on the
// command line, so a second process, and deserializing it alone cost more than this whole loader.
//   SERVEC_CODE_CACHE=0   do not read or write the code cache
//   SERVEC_CACHE_DIR=DIR  keep the code cache in DIR
//   SERVEC_BUNDLE=0       run dist/src/cli/main.js instead of the bundle
// Builtins come from require(): in a CommonJS script that is the builtin itself, with no ESM facade.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const io = {
  stdout: writer(1, () => process.stdout),
  stderr: writer(2, () => process.stderr),
  env: process.env,
  // A getter: creating process.stderr costs ~1 ms, and only runs with diagnostics need it.
  get stderrIsTTY() {
    return process.stderr.isTTY === true;
  },
};
const argv = process.argv.slice(2);
const dist = path.join(__dirname, '..', 'dist');
/** CommonJS's wrapper, as Node writes it around a module (the bundle is a CommonJS module). */
const WRAP_HEAD = '(function (exports, require, module, __filename, __dirname) {';
const WRAP_TAIL = '\n})';

const fast = process.env.SERVEC_BUNDLE === '0' ? undefined : loadBundle();
const main = fast ? Promise.resolve(fast.main) : import('../dist/src/cli/main.js').then((module) => module.main);
main
  .then((run) => run(argv, io))
  .then((code) => {
    process.exitCode = code;
    fast?.saveCache(code);
    // Done: end now rather than after one more turn of the event loop, in which V8 runs the
    // young-generation collection it scheduled during the build (~3 ms of a 145 ms run, for
    // nothing). Not while output still waits in a stream (see writer): that must drain first.
    if (!io.stdout.streaming() && !io.stderr.streaming()) process.exit(code);
  });

/**
 * Writes to file descriptor 1 or 2 with fs.writeSync. Output is written in pieces of about 64 Ki
 * characters at the end of a run, and creating process.stdout just for them loads net, stream and tty
 * (or fs streams, for a file): ~10 M instructions, 2% of node -e 0. Each piece is encoded into one
 * reused buffer: a fresh Buffer per piece is fresh memory, a page fault per 4 KiB, and the output of
 * a large build is tens of MB. Three cases need care:
 * - EAGAIN: the descriptor is non-blocking (a pipe or terminal that another program, or a stream in
 *   this process, put in that mode) and full: the rest of the run writes through the stream, which
 *   waits for the reader; what was written stays written, so the output is neither lost nor doubled.
 * - EPIPE, or ECONNRESET when the other end is a socket (Node's child_process pipes are socket pairs):
 *   the reader has gone (`servec build | head -1`): the rest of the output is dropped quietly
 *   and the command ends with its own exit status, as it would have had the reader taken it all.
 * - A partial write (a signal, a pipe between reads): the loop writes the rest.
 * Any other error (ENOSPC on a redirected file...) is thrown to the command, as process.stdout did.
 */
const SCRATCH_CHARS = 1 << 20;
function writer(fd, stream) {
  let mode = 'sync'; // then 'stream' (after EAGAIN) or 'closed' (after EPIPE)
  const gone = (error) => error?.code === 'EPIPE' || error?.code === 'ECONNRESET';
  const fallBack = (rest) => {
    mode = 'stream';
    const out = stream();
    out.on('error', (error) => {
      mode = 'closed';
      if (gone(error)) return;
      process.exitCode ||= 70;
      try {
        fs.writeSync(2, `servec: cannot write to ${fd === 1 ? 'standard output' : 'standard error'}: ${error?.message}\n`);
      } catch {}
    });
    out.write(rest);
  };
  let scratch;
  const write = (text) => {
    if (mode === 'closed' || text.length === 0) return;
    if (mode === 'stream') return void stream().write(text);
    // UTF-8 takes at most 3 bytes per UTF-16 code unit. The buffer grows to the longest piece (the
    // CLI writes pieces of 64 Ki characters and a little more); texts past SCRATCH_CHARS get their own.
    let bytes;
    if (text.length <= SCRATCH_CHARS) {
      if (scratch === undefined || scratch.length < 3 * text.length) scratch = Buffer.allocUnsafeSlow(3 * Math.max(text.length, 1024));
      bytes = scratch.subarray(0, scratch.utf8Write(text, 0));
    } else bytes = Buffer.from(text, 'utf8');
    for (let offset = 0; offset < bytes.length; ) {
      try {
        offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
      } catch (error) {
        if (error?.code === 'EAGAIN') return fallBack(Buffer.from(bytes.subarray(offset))); // a copy: the stream writes it later
        if (gone(error)) return void (mode = 'closed');
        if (error?.code !== 'EINTR') throw error;
      }
    }
  };
  /** Whether output went to the stream, which may still hold some of it. */
  write.streaming = () => mode === 'stream';
  return write;
}

/** The bundled CLI, or undefined when it cannot be used (the caller then runs the tsc output). */
function loadBundle() {
  try {
    const bundle = path.join(dist, 'servec.cjs');
    const fd = fs.openSync(bundle, 'r');
    let source;
    let cache;
    let cached;
    try {
      const identity = fs.fstatSync(fd);
      if (stale(identity.mtimeMs)) return undefined;
      cache = process.env.SERVEC_CODE_CACHE === '0' ? undefined : codeCache(identity);
      // One buffer for the bundle, then for the cache file: every page of fresh memory costs a page
      // fault, and those are much of what a short run spends.
      const buffer = Buffer.allocUnsafeSlow(Math.max(WRAP_HEAD.length + identity.size + WRAP_TAIL.length, cache?.size ?? 0));
      buffer.latin1Write(WRAP_HEAD, 0);
      readFully(fd, buffer, WRAP_HEAD.length, identity.size);
      // Rewritten while it was read (a build running now): what was read may be neither version.
      const after = fs.fstatSync(fd);
      if (after.ctimeMs !== identity.ctimeMs || after.size !== identity.size) return undefined;
      buffer.latin1Write(WRAP_TAIL, WRAP_HEAD.length + identity.size);
      // ASCII (esbuild escapes the rest, and scripts/build.mjs checks), so Latin-1, the cheapest decoding;
      // the wrapper is written around it in the buffer, so the string is made once and never concatenated.
      source = buffer.latin1Slice(0, WRAP_HEAD.length + identity.size + WRAP_TAIL.length);
      cached = cache?.read(buffer);
    } finally {
      fs.closeSync(fd);
    }
    const vm = require('node:vm');
    const script = new vm.Script(source, { filename: bundle, cachedData: cached?.data });
    const module = { exports: {} };
    script.runInThisContext().call(module.exports, module.exports, require, module, bundle, dist); // chokidar: resolved from bin/, as from dist/
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
 * Whether the bundle is older than a tsc output it was made from (somebody ran tsc, or tsc --watch).
 * Only a checkout (it has tsconfig.json) can be stale: an installed package is never recompiled, and
 * npm's install gives its files arbitrary modification times. tsc rewrites dist/.tsbuildinfo after
 * every emit (tsconfig.json sets incremental), so one stat answers; without that file, every input is
 * looked at (~100 stats, 2% of a short run).
 */
function stale(built) {
  if (!fs.existsSync(path.join(dist, '..', 'tsconfig.json'))) return false;
  const info = fs.statSync(path.join(dist, '.tsbuildinfo'), { throwIfNoEntry: false });
  if (info) return info.mtimeMs > built;
  const prefix = dist + path.sep; // the inputs are plain relative paths: no path.join per file
  for (const input of JSON.parse(fs.readFileSync(path.join(dist, 'servec.inputs.json'), 'utf8'))) {
    const stat = fs.statSync(prefix + input, { throwIfNoEntry: false });
    if (stat && stat.mtimeMs > built) return true;
  }
  return false;
}

/** Reads `length` bytes of the file from its start into buffer[offset...]; throws on a short file. */
function readFully(fd, buffer, offset, length) {
  for (let done = 0; done < length; ) {
    const read = fs.readSync(fd, buffer, offset + done, length - done, done);
    if (read === 0) throw new Error('file shorter than its size');
    done += read;
  }
}

/**
 * Code cache files, all numbers little-endian: "SVC3", a level byte (how much of servec the run that
 * made it used), 3 spare bytes, the length of V8's cached data (u32), 4 spare bytes; then the identity
 * of the bundle it was made from (size, modification and change times, inode and device, as doubles);
 * then, at offset 64 (8-aligned: V8 copies cached data that is not), the data, twice.
 * The file name holds the bundle's size, Node's version and architecture, and a hash of Node's flags
 * (V8 rejects data made under other flags, and sets cachedDataRejected), so that runs with other
 * flags or another Node keep files of their own instead of taking turns.
 * - The bundle's identity: V8 checks only the source's length, and bytecode run against other source
 *   does anything. Any write to the bundle changes its change time, which no program can set, and a
 *   new file has a new inode; checked with the fstat of the open bundle (fresh even on NFS).
 * - The second copy of the data, compared with Buffer.equals (a memcmp): release builds of V8 do not
 *   verify cached data, and corrupt data makes V8 abort the process (seen: "Fatal error ... unreachable
 *   code" in the deserializer), so truncation or damage must be caught first. A copy rather than a
 *   checksum: CRC-32 needs node:zlib, whose module and the streams it loads cost more than reading
 *   the copy, and a checksum in JavaScript runs cold, in the interpreter: several ms for 0.5 MB.
 *   It guards against truncation and damage, not against somebody who can write the cache directory.
 */
function codeCache(bundle) {
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
  const flags = fnv1a(`${process.execArgv.join(' ')}\0${env.NODE_OPTIONS ?? ''}`);
  const name = `servec-${bundle.size}-${process.version}-${process.arch}-${flags}.bin`;
  const MAGIC = 0x33435653; // "SVC3" little-endian
  const HEADER = 64;
  const identity = [bundle.size, bundle.mtimeMs, bundle.ctimeMs, bundle.ino, bundle.dev];
  // The first cache file there is, opened now: its size decides how large a buffer loadBundle reads into.
  let found;
  for (const dir of dirs) {
    try {
      const fd = fs.openSync(path.join(dir, name), 'r');
      found = { fd, size: fs.fstatSync(fd).size };
      break;
    } catch {}
  }
  return {
    size: found?.size,
    /** The cached data, read into `buffer` (its start), or undefined; closes the file. */
    read(buffer) {
      if (!found) return undefined;
      try {
        const { fd, size } = found;
        if (size < HEADER) return undefined;
        readFully(fd, buffer, 0, size);
        if (buffer.readUInt32LE(0) !== MAGIC) return undefined;
        const length = buffer.readUInt32LE(8);
        if (length === 0 || size !== HEADER + 2 * length) return undefined;
        for (let i = 0; i < identity.length; i++) if (buffer.readDoubleLE(16 + 8 * i) !== identity[i]) return undefined;
        const data = buffer.subarray(HEADER, HEADER + length);
        if (!data.equals(buffer.subarray(HEADER + length, size))) return undefined;
        return { data, level: buffer[4] };
      } catch {
        return undefined;
      } finally {
        try {
          fs.closeSync(found.fd);
        } catch {}
      }
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
          const header = Buffer.alloc(HEADER);
          header.writeUInt32LE(MAGIC, 0);
          header[4] = level;
          header.writeUInt32LE(data.length, 8);
          identity.forEach((value, i) => header.writeDoubleLE(value, 16 + 8 * i));
          fs.writeFileSync(fd, Buffer.concat([header, data, data]));
          fs.closeSync(fd);
          fd = undefined;
          fs.renameSync(tmp, target);
        } catch {
          try {
            if (fd !== undefined) fs.closeSync(fd);
            fs.unlinkSync(tmp);
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
    for (const { file } of files.slice(7)) fs.unlinkSync(path.join(dir, file));
  }
}

/** FNV-1a, 32 bits, as 8 hex digits: a short name for a short string (Node's flags). */
function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}
