// The device's data key and the PIN that guards it.
//
// A random 256-bit data key seals every row the app keeps (store.js passes
// each row through a codec made here). The data key itself is kept only
// wrapped: sealed with a key derived from the PIN by WebCrypto's PBKDF2-SHA-256
// (600,000 iterations, a random salt). Unwrapping proves the PIN (the tag must
// match); the data key then lives in this page's memory until the app locks,
// which reloads the page. Changing the PIN wraps the same data key again, so
// no row is rewritten.
import * as aead from './aead.js';

export const PIN_ITERATIONS = 600000;
export const PIN_MIN_DIGITS = 6;
export const PIN_MAX_DIGITS = 32;
// The tests may lower the count for speed (node unit tests only); a lock made
// with fewer iterations than this is refused.
const MIN_ITERATIONS = 1000;

const enc = new TextEncoder();
const dec = new TextDecoder();
const BYTES = '$bytes'; // how a Uint8Array (a packed batch, store.js) is written in the sealed JSON

function toBase64(b) {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode.apply(null, b.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const replacer = (k, v) => (v instanceof Uint8Array ? { [BYTES]: toBase64(v) } : v);
const reviver = (k, v) => (v && typeof v === 'object' && typeof v[BYTES] === 'string' && Object.keys(v).length === 1 ? fromBase64(v[BYTES]) : v);

/** validPin says whether pin is acceptable: digits only, at least six. */
export function validPin(pin) {
  return typeof pin === 'string' && new RegExp(`^[0-9]{${PIN_MIN_DIGITS},${PIN_MAX_DIGITS}}$`).test(pin);
}

function random(n) {
  return crypto.getRandomValues(new Uint8Array(n));
}

/** deriveKey derives the 32-byte key-wrapping key from a PIN (PBKDF2-SHA-256). */
export async function deriveKey(pin, salt, iterations) {
  if (!(iterations >= MIN_ITERATIONS)) throw new Error(`vault: ${iterations} PBKDF2 iterations is too few`);
  const base = await crypto.subtle.importKey('raw', enc.encode(pin), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, base, 256);
  return new Uint8Array(bits);
}

const WRAP_AAD = enc.encode('inspecta data key v1');

/**
 * newLock makes a data key and its lock record for pin: what the device
 * keeps in clear (salt, count, wrapped key, failures). Returns { lock, key }.
 */
export async function newLock(pin, iterations = PIN_ITERATIONS) {
  return wrapKey(random(32), pin, iterations);
}

/** rewrap returns a lock record for the same data key under a new PIN. */
export function rewrap(key, pin, iterations = PIN_ITERATIONS) {
  return wrapKey(key, pin, iterations);
}

async function wrapKey(key, pin, iterations) {
  if (!validPin(pin)) throw new Error('vault: the PIN must be at least six digits');
  const salt = random(16);
  const nonce = random(12);
  const kek = await deriveKey(pin, salt, iterations);
  const wrapped = aead.seal(kek, nonce, key, WRAP_AAD);
  kek.fill(0);
  return { lock: { v: 1, kdf: 'PBKDF2-SHA-256', iterations, salt, nonce, wrapped, failures: 0 }, key };
}

/** unwrap returns the data key if pin opens the lock, else null. */
export async function unwrap(lock, pin) {
  if (!lock || lock.v !== 1 || lock.kdf !== 'PBKDF2-SHA-256') throw new Error('vault: unknown lock record');
  const kek = await deriveKey(pin, lock.salt, lock.iterations);
  const key = aead.open(kek, lock.nonce, lock.wrapped, WRAP_AAD);
  kek.fill(0);
  return key;
}

/**
 * makeCodec returns the codec store.js applies to rows. clear[store] lists
 * the fields that stay readable (keys and index fields: random ids and a type
 * name); clearMeta the settings rows that stay whole (the language, the lock).
 * Everything else goes, as JSON, into one sealed field `$`: a 12-byte nonce,
 * the ciphertext and the tag, bound to the store's name. A row without `$`
 * (written before the PIN was set) is read as it is.
 */
export function makeCodec(key, clear, clearMeta) {
  const keep = Object.fromEntries(Object.entries(clear).map(([k, v]) => [k, new Set(v)]));
  const keepMeta = new Set(clearMeta);
  const aad = Object.fromEntries(Object.keys(clear).map((k) => [k, enc.encode(k)]));
  return {
    sealed: true,
    seal(store, row) {
      if (!keep[store]) throw new Error(`vault: store.js's CLEAR lists no fields for the store ${store}`);
      if (!row || (store === 'meta' && keepMeta.has(row.k))) return row;
      const out = {};
      const secret = {};
      for (const [k, v] of Object.entries(row)) {
        if (keep[store].has(k)) out[k] = v;
        else secret[k] = v;
      }
      const nonce = random(12);
      const body = aead.seal(key, nonce, enc.encode(JSON.stringify(secret, replacer)), aad[store]);
      out.$ = new Uint8Array(12 + body.length);
      out.$.set(nonce, 0);
      out.$.set(body, 12);
      return out;
    },
    unseal(store, row) {
      if (!row || !(row.$ instanceof Uint8Array)) return row;
      const { $, ...out } = row;
      const plain = aead.open(key, $.subarray(0, 12), $.subarray(12), aad[store]);
      if (!plain) throw new Error(`vault: a row of ${store} does not open with this key`);
      return Object.assign(out, JSON.parse(dec.decode(plain), reviver));
    },
  };
}
