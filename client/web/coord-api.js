// The desk's requests: unlike the field app's sync these go straight to the
// server with the signed-in user's token, and a refusal keeps its whole JSON
// body (an approval's open items). Reports are fetched the same way, because
// a plain link cannot carry the token, and handed to the browser as a file.
import { h } from './dom.js';
import { t } from './i18n.js';
import { fileNameFrom } from './coord-format.js';
import { refusalText } from './refusals.js';

/** DeskError is an API refusal with its whole JSON body (an approval's open items). */
export class DeskError extends Error {
  constructor(status, body) {
    const err = (body && body.error) || {};
    super(err.message || (status === 0 ? t('offline_desk') : `HTTP ${status}`));
    this.status = status;
    this.code = err.code || (status === 0 ? 'offline' : 'http');
    this.field = err.field || '';
    this.body = body || {};
  }
}

/**
 * deskErrorText says why a desk request failed, in the user's language: no
 * connection, a sign-in the server no longer accepts, or the refusal's code
 * in words (refusals.js; params fill its blanks). Never the server's English.
 */
export function deskErrorText(e, params) {
  if (e.status === 0) return t('offline_desk');
  if (e.status === 401) return t('desk_signed_out');
  return refusalText(e, params);
}

async function request(store, method, path, body) {
  const headers = { Accept: 'application/json', Authorization: `Bearer ${store.session.token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let resp;
  try {
    resp = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch (e) {
    throw new DeskError(0, null);
  }
  return resp;
}

/** deskApi calls the JSON API as the signed-in user; a refusal throws a DeskError. */
export async function deskApi(store, method, path, body) {
  const resp = await request(store, method, path, body);
  if (resp.status === 204) return null;
  const data = await resp.json().catch(() => null);
  if (!resp.ok) throw new DeskError(resp.status, data);
  return data;
}

/**
 * fetchReport downloads a report with the user's token (a plain link cannot
 * carry it) and returns {blob, name}: the blob typed as the server sent it
 * (application/pdf, text/csv), the name from Content-Disposition.
 */
export async function fetchReport(store, path) {
  const resp = await request(store, 'GET', path);
  if (!resp.ok) throw new DeskError(resp.status, await resp.json().catch(() => null));
  const blob = await resp.blob();
  const fallback = path.replace(/^.*\/(report\.\w+)\?.*$/, '$1');
  return { blob, name: fileNameFrom(resp.headers.get('Content-Disposition'), fallback) };
}

/** downloadReport fetches a report and hands it to the browser as a file download; returns {name, size, type}. */
export async function downloadReport(store, path) {
  const { blob, name } = await fetchReport(store, path);
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, class: 'hidden-link' });
  document.body.append(a);
  a.click();
  a.remove();
  // The download has taken its copy by then; the URL would only hold memory.
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  return { name, size: blob.size, type: blob.type };
}

