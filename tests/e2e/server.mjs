#!/usr/bin/env node
// Loopback server for the simulated LibraryH3lp web client (tests/fixtures/webclient).
// Node 20, no dependencies.
//
//   node tests/e2e/server.mjs [--port 8443] [--host 127.0.0.1] [--tls-cert C --tls-key K]
//                             [--csp strict|wasm|none] [--page webclient|recom]
//                             [--root DIR] [--quiet]
//
// - HTTPS when --tls-cert and --tls-key are given, else HTTP.
// - Serves a fixture folder (--page: tests/fixtures/webclient by default, or
//   tests/fixtures/recom) at the real path /webclient/ (index.html), also at
//   /webclient/client; /webclient and / redirect to /webclient/.
// - --csp strict: Content-Security-Policy without 'wasm-unsafe-eval' (the hard case);
//   --csp wasm: the same plus 'wasm-unsafe-eval'; --csp none (default): no header.
// - Stub of the public presence endpoint: GET /presence/jid/{queue}/{domain}/text answers
//   a word (default "unavailable"); POST /__stub/presence {"queue": "word", ...} sets it;
//   GET /__stub/presence shows the map; POST /__stub/reset forgets everything set.
// - Prints "REQ <method> <path>" for every request and "LISTENING <port>" when ready.
//
// import { startServer } from './server.mjs';
//   const srv = await startServer({ port: 0, csp: 'strict' });  // srv.port, srv.url, srv.close()

import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The simulated web clients, by name: each folder is served at /webclient/. */
export const FIXTURES = {
  webclient: path.resolve(HERE, '../fixtures/webclient'),
  recom: path.resolve(HERE, '../fixtures/recom'),
};
export const FIXTURE_ROOT = FIXTURES.webclient;

export const CSP = {
  strict: "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'",
  wasm: "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'",
  none: null,
};

export const PRESENCE_WORDS = ['chat', 'available', 'dnd', 'away', 'xa', 'unavailable'];

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.md': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Starts the server. Options: port (0 = any free port), host ('127.0.0.1'), tlsCert/tlsKey
 * (file paths) or cert/key (PEM text), csp ('strict' | 'wasm' | 'none'), page (which
 * simulated web client, a name of FIXTURES: 'webclient' by default, or 'recom'), root
 * (any folder served at /webclient/ instead), presence ({queue: word}), log (function for
 * each output line; default stdout; false = silent).
 * Returns { port, url, requests, presence, setPresence(map), close() }.
 */
export async function startServer(opts = {}) {
  const host = opts.host || '127.0.0.1';
  if (opts.page && !Object.hasOwn(FIXTURES, opts.page)) throw new Error(`unknown --page ${opts.page} (${Object.keys(FIXTURES).join(', ')})`);
  const root = path.resolve(opts.root || FIXTURES[opts.page || 'webclient']);
  const cspName = opts.csp || 'none';
  if (!(cspName in CSP)) throw new Error(`unknown --csp ${cspName} (strict, wasm, none)`);
  const csp = CSP[cspName];
  const log = opts.log === false ? () => {} : (opts.log || ((line) => process.stdout.write(line + '\n')));
  const presence = new Map(Object.entries(opts.presence || {}));
  const requests = [];

  let tls = null;
  if (opts.cert && opts.key) tls = { cert: opts.cert, key: opts.key };
  else if (opts.tlsCert || opts.tlsKey) {
    if (!opts.tlsCert || !opts.tlsKey) throw new Error('--tls-cert and --tls-key go together');
    tls = { cert: fs.readFileSync(opts.tlsCert), key: fs.readFileSync(opts.tlsKey) };
  }

  function send(res, status, body, headers = {}) {
    const buf = Buffer.isBuffer(body) ? body : Buffer.from(String(body));
    res.writeHead(status, {
      'Content-Length': buf.length,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...headers,
    });
    res.end(buf);
  }

  function serveFile(res, file, method) {
    let data;
    try {
      data = fs.readFileSync(file);
    } catch {
      return send(res, 404, 'not found\n', { 'Content-Type': 'text/plain; charset=utf-8' });
    }
    const headers = { 'Content-Type': TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream' };
    if (csp) headers['Content-Security-Policy'] = csp;
    if (method === 'HEAD') {
      res.writeHead(200, { ...headers, 'Content-Length': data.length, 'Cache-Control': 'no-store' });
      return res.end();
    }
    send(res, 200, data, headers);
  }

  function readBody(req, limit = 64 * 1024) {
    return new Promise((resolve, reject) => {
      let size = 0;
      const chunks = [];
      req.on('data', (c) => {
        size += c.length;
        if (size > limit) { reject(new Error('body too large')); req.destroy(); return; }
        chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  }

  async function handle(req, res) {
    const method = req.method || 'GET';
    const rawPath = req.url || '/';
    requests.push({ method, path: rawPath });
    log(`REQ ${method} ${rawPath}`);

    let url;
    try {
      url = new URL(rawPath, 'http://fixture.invalid');
    } catch {
      return send(res, 400, 'bad request\n');
    }
    let p;
    try {
      p = decodeURIComponent(url.pathname);
    } catch {
      return send(res, 400, 'bad request\n');
    }

    // Presence stub, as on https://ca.libraryh3lp.com/presence/jid/{queue}/{domain}/text
    const pm = /^\/presence\/jid\/([^/]+)\/([^/]+)\/text\/?$/.exec(p);
    if (pm && (method === 'GET' || method === 'HEAD')) {
      const word = presence.get(pm[1]) || 'unavailable';
      return send(res, 200, method === 'HEAD' ? '' : word, {
        'Content-Type': 'text/plain; charset=utf-8',
        'Access-Control-Allow-Origin': '*',
      });
    }
    if (p === '/__stub/presence') {
      if (method === 'GET') return send(res, 200, JSON.stringify(Object.fromEntries(presence)), { 'Content-Type': 'application/json' });
      if (method === 'POST') {
        let body;
        try {
          body = JSON.parse(await readBody(req));
        } catch {
          return send(res, 400, 'expected JSON {"queue": "word"}\n');
        }
        if (!body || typeof body !== 'object' || Array.isArray(body)) return send(res, 400, 'expected JSON {"queue": "word"}\n');
        for (const [q, w] of Object.entries(body)) presence.set(q, String(w));
        return send(res, 200, JSON.stringify(Object.fromEntries(presence)), { 'Content-Type': 'application/json' });
      }
    }
    if (p === '/__stub/reset' && method === 'POST') {
      presence.clear();
      for (const [q, w] of Object.entries(opts.presence || {})) presence.set(q, w);
      return send(res, 200, '{}', { 'Content-Type': 'application/json' });
    }

    if (method !== 'GET' && method !== 'HEAD') return send(res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });

    if (p === '/' || p === '/webclient') return send(res, 302, '', { Location: '/webclient/' + url.search });
    if (p === '/webclient/client/') return send(res, 302, '', { Location: '/webclient/client' + url.search });
    if (p === '/favicon.ico') return send(res, 204, '');
    if (p === '/webclient/' || p === '/webclient/client') return serveFile(res, path.join(root, 'index.html'), method);
    if (p.startsWith('/webclient/')) {
      const rel = p.slice('/webclient/'.length);
      const file = path.resolve(root, rel);
      if (!file.startsWith(root + path.sep) || rel.includes('\0')) return send(res, 404, 'not found\n');
      return serveFile(res, file, method);
    }
    return send(res, 404, 'not found\n', { 'Content-Type': 'text/plain; charset=utf-8' });
  }

  const listener = (req, res) => {
    handle(req, res).catch((err) => {
      try { send(res, 500, 'server error\n'); } catch { /* already sent */ }
      log(`ERR ${err && err.message}`);
    });
  };
  const server = tls ? https.createServer(tls, listener) : http.createServer(listener);
  const sockets = new Set();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => { server.off('error', reject); resolve(); });
  });
  const port = server.address().port;
  log(`LISTENING ${port}`);

  return {
    port,
    url: `${tls ? 'https' : 'http'}://${host}:${port}`,
    requests,
    presence,
    setPresence(map) { for (const [q, w] of Object.entries(map)) presence.set(q, String(w)); },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const take = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--port': out.port = Number(take()); break;
      case '--host': out.host = take(); break;
      case '--tls-cert': out.tlsCert = take(); break;
      case '--tls-key': out.tlsKey = take(); break;
      case '--csp': out.csp = take(); break;
      case '--root': out.root = take(); break;
      case '--page': out.page = take(); break;
      case '--quiet': out.log = false; break;
      case '-h': case '--help':
        process.stdout.write('usage: node tests/e2e/server.mjs [--port 8443] [--host 127.0.0.1] [--tls-cert C --tls-key K] [--csp strict|wasm|none] [--page webclient|recom] [--root DIR] [--quiet]\n');
        process.exit(0);
        break;
      default: throw new Error(`unknown argument ${a}`);
    }
  }
  if (out.port === undefined) out.port = 8443;
  if (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535) throw new Error('--port must be 0..65535');
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`server.mjs: ${err.message}\n`);
    process.exit(2);
  }
  const quiet = opts.log === false;
  if (quiet) opts.log = (line) => { if (line.startsWith('LISTENING')) process.stdout.write(line + '\n'); };
  const srv = await startServer(opts).catch((err) => {
    process.stderr.write(`server.mjs: ${err.message}\n`);
    process.exit(1);
  });
  const stop = () => srv.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
