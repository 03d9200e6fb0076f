// ChaCha20-Poly1305 (RFC 8439) for sealing rows on the device: a thin wrapper
// over the vendored @noble/ciphers (vendor/noble-ciphers/, see client/README.md),
// which is synchronous, so a row is sealed and opened inside its IndexedDB
// transaction (store.js). The key comes from WebCrypto (PBKDF2, vault.js).
// client/test/aead.test.js checks this wrapper against the RFC's vectors and
// against OpenSSL (node:crypto).

import { chacha20 as nobleChacha20, chacha20poly1305 } from './vendor/noble-ciphers/chacha.js';
import { poly1305 as noblePoly1305 } from './vendor/noble-ciphers/_poly1305.js';

const TAG = 16;

/** chacha20 XORs data with the keystream starting at block `counter` (RFC 8439 §2.4). */
export function chacha20(key, counter, nonce, data) {
  return nobleChacha20(key, nonce, data, undefined, counter);
}

/** poly1305 returns the 16-byte tag of msg under the one-time key (RFC 8439 §2.5). */
export function poly1305(key, msg) {
  return noblePoly1305(msg, key);
}

/** seal encrypts plaintext; returns ciphertext followed by the 16-byte tag. */
export function seal(key, nonce, plaintext, aad = new Uint8Array(0)) {
  check(key, nonce);
  return chacha20poly1305(key, nonce, aad).encrypt(plaintext);
}

/** open decrypts what seal made; null when the key, nonce, data or aad differ. */
export function open(key, nonce, sealed, aad = new Uint8Array(0)) {
  check(key, nonce);
  if (!(sealed instanceof Uint8Array)) throw new Error('aead: the sealed data must be a Uint8Array');
  if (sealed.length < TAG) return null;
  try {
    return chacha20poly1305(key, nonce, aad).decrypt(sealed);
  } catch {
    // The arguments were checked above, so what is left is a tag that does not match.
    return null;
  }
}

function check(key, nonce) {
  if (!(key instanceof Uint8Array) || key.length !== 32) throw new Error('aead: the key must be 32 bytes');
  if (!(nonce instanceof Uint8Array) || nonce.length !== 12) throw new Error('aead: the nonce must be 12 bytes');
}
