// A real Inspecta server for the JavaScript sync tests: the Go binary built
// from this repository, on a SQLite file in a temporary folder, on a free
// port of 127.0.0.1. Not a test itself (node --test runs it and finds none).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
let built = null;

/** buildServer builds ./cmd/inspecta once per process (Go's cache makes it quick after `go test`), unless INSPECTA_BIN names one. */
function buildServer() {
  if (!built && process.env.INSPECTA_BIN) built = process.env.INSPECTA_BIN; // a binary built already
  if (!built) {
    const dir = mkdtempSync(join(tmpdir(), 'inspecta-bin-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    built = join(dir, 'inspecta');
    execFileSync('go', ['build', '-o', built, './cmd/inspecta'], { cwd: repo, stdio: ['ignore', 'inherit', 'inherit'] });
  }
  return built;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** waitFor polls fn until it returns true or the deadline passes. */
export async function waitFor(what, fn, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await fn().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const PASSWORD = 'a-long-test-password';

/**
 * startServer builds and starts a server with an administrator, returning
 * { url, admin (token), createUser, patchUser, revoke, stop }.
 */
export async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'inspecta-js-'));
  const bin = buildServer();
  const db = join(dir, 'inspecta.db');
  execFileSync(bin, ['user', 'add', '--db', db, '--username', 'admin', '--role', 'admin', '--password-stdin'], { input: `${PASSWORD}\n`, stdio: ['pipe', 'ignore', 'inherit'] });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let proc;
  let exited = false;
  const start = async () => {
    exited = false;
    proc = spawn(bin, ['serve', '--db', db, '--addr', `127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', process.env.INSPECTA_TEST_SERVER_LOG ? 'inherit' : 'ignore'] });
    proc.on('exit', () => { exited = true; });
    await waitFor('the server', async () => {
      if (exited) throw new Error('the server exited');
      return (await fetch(`${url}/healthz`)).ok;
    });
  };
  const halt = async () => {
    if (exited) return;
    const gone = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await gone;
  };
  await start();
  const call = async (token, method, path, body) => {
    const resp = await fetch(url + path, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
    const data = await resp.json().catch(() => null);
    if (!resp.ok) throw new Error(`${method} ${path}: ${resp.status} ${JSON.stringify(data)}`);
    return data;
  };
  const login = async (username, device = 'test') => {
    const resp = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD, device_name: device }) });
    if (!resp.ok) throw new Error(`login ${username}: ${resp.status}`);
    return resp.json();
  };
  const admin = (await login('admin')).token;
  return {
    url,
    db,
    login,
    call,
    /** createUser makes a member or coordinator of region KZ-KAR (by default). */
    async createUser(username, role = 'member', region = 'KZ-KAR') {
      return (await call(admin, 'POST', '/api/v1/users', { username, name: `Test ${username}`, role, region, password: PASSWORD })).user;
    },
    patchUser: (id, patch) => call(admin, 'PATCH', `/api/v1/users/${id}`, patch),
    /** approve approves a visit as the desk does: with the digest of the publication check it was shown. */
    async approve(token, visitId) {
      const check = await call(token, 'GET', `/api/v1/visits/${visitId}/publication-check`);
      return call(token, 'POST', `/api/v1/visits/${visitId}/approve`, { publication_check: check.digest });
    },
    revoke: (deviceId) => call(admin, 'POST', `/api/v1/devices/${deviceId}/revoke`, {}),
    /** backup writes a consistent copy of the database (inspecta backup) and returns its path. */
    backup(name) {
      const out = join(dir, name);
      execFileSync(bin, ['backup', '--db', db, '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
      return out;
    },
    /** restore stops the server, restores the copy (inspecta restore) and starts it again on the same port. */
    async restore(from) {
      await halt();
      execFileSync(bin, ['restore', '--db', db, '--from', from], { stdio: ['ignore', 'ignore', 'inherit'] });
      await start();
    },
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
