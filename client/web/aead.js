// ChaCha20-Poly1305 (RFC 8439), synchronous, for sealing rows on the device.
//
// Why not WebCrypto's AES-GCM: WebCrypto is asynchronous, and an IndexedDB
// transaction commits as soon as the code awaits anything but IndexedDB. A
// record and its outbox entry are written in one transaction (store.js), so
// each row must be sealed and opened synchronously, inside it. The key itself
// comes from WebCrypto (PBKDF2, vault.js). client/test/aead.test.js checks this
// code against the RFC's vectors and against OpenSSL (node:crypto) on random
// inputs of every length up to a few blocks.

const SIGMA = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574];

const u32 = (b, i) => (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;

/** chachaBlock writes the 64-byte keystream block `counter` into out (RFC 8439 §2.3). */
function chachaBlock(key, counter, nonce, out) {
  const j0 = SIGMA[0], j1 = SIGMA[1], j2 = SIGMA[2], j3 = SIGMA[3];
  const j4 = u32(key, 0), j5 = u32(key, 4), j6 = u32(key, 8), j7 = u32(key, 12);
  const j8 = u32(key, 16), j9 = u32(key, 20), j10 = u32(key, 24), j11 = u32(key, 28);
  const j12 = counter, j13 = u32(nonce, 0), j14 = u32(nonce, 4), j15 = u32(nonce, 8);
  let x0 = j0, x1 = j1, x2 = j2, x3 = j3, x4 = j4, x5 = j5, x6 = j6, x7 = j7;
  let x8 = j8, x9 = j9, x10 = j10, x11 = j11, x12 = j12, x13 = j13, x14 = j14, x15 = j15;
  let t;
  // Each line of four is one quarter round: a += b; d ^= a; d <<<= 16; c += d; b ^= c; b <<<= 12; ... 8, 7.
  for (let i = 0; i < 10; i++) {
    x0 = (x0 + x4) | 0; t = x12 ^ x0; x12 = (t << 16) | (t >>> 16); x8 = (x8 + x12) | 0; t = x4 ^ x8; x4 = (t << 12) | (t >>> 20);
    x0 = (x0 + x4) | 0; t = x12 ^ x0; x12 = (t << 8) | (t >>> 24); x8 = (x8 + x12) | 0; t = x4 ^ x8; x4 = (t << 7) | (t >>> 25);
    x1 = (x1 + x5) | 0; t = x13 ^ x1; x13 = (t << 16) | (t >>> 16); x9 = (x9 + x13) | 0; t = x5 ^ x9; x5 = (t << 12) | (t >>> 20);
    x1 = (x1 + x5) | 0; t = x13 ^ x1; x13 = (t << 8) | (t >>> 24); x9 = (x9 + x13) | 0; t = x5 ^ x9; x5 = (t << 7) | (t >>> 25);
    x2 = (x2 + x6) | 0; t = x14 ^ x2; x14 = (t << 16) | (t >>> 16); x10 = (x10 + x14) | 0; t = x6 ^ x10; x6 = (t << 12) | (t >>> 20);
    x2 = (x2 + x6) | 0; t = x14 ^ x2; x14 = (t << 8) | (t >>> 24); x10 = (x10 + x14) | 0; t = x6 ^ x10; x6 = (t << 7) | (t >>> 25);
    x3 = (x3 + x7) | 0; t = x15 ^ x3; x15 = (t << 16) | (t >>> 16); x11 = (x11 + x15) | 0; t = x7 ^ x11; x7 = (t << 12) | (t >>> 20);
    x3 = (x3 + x7) | 0; t = x15 ^ x3; x15 = (t << 8) | (t >>> 24); x11 = (x11 + x15) | 0; t = x7 ^ x11; x7 = (t << 7) | (t >>> 25);
    // Diagonals: (0,5,10,15) (1,6,11,12) (2,7,8,13) (3,4,9,14).
    x0 = (x0 + x5) | 0; t = x15 ^ x0; x15 = (t << 16) | (t >>> 16); x10 = (x10 + x15) | 0; t = x5 ^ x10; x5 = (t << 12) | (t >>> 20);
    x0 = (x0 + x5) | 0; t = x15 ^ x0; x15 = (t << 8) | (t >>> 24); x10 = (x10 + x15) | 0; t = x5 ^ x10; x5 = (t << 7) | (t >>> 25);
    x1 = (x1 + x6) | 0; t = x12 ^ x1; x12 = (t << 16) | (t >>> 16); x11 = (x11 + x12) | 0; t = x6 ^ x11; x6 = (t << 12) | (t >>> 20);
    x1 = (x1 + x6) | 0; t = x12 ^ x1; x12 = (t << 8) | (t >>> 24); x11 = (x11 + x12) | 0; t = x6 ^ x11; x6 = (t << 7) | (t >>> 25);
    x2 = (x2 + x7) | 0; t = x13 ^ x2; x13 = (t << 16) | (t >>> 16); x8 = (x8 + x13) | 0; t = x7 ^ x8; x7 = (t << 12) | (t >>> 20);
    x2 = (x2 + x7) | 0; t = x13 ^ x2; x13 = (t << 8) | (t >>> 24); x8 = (x8 + x13) | 0; t = x7 ^ x8; x7 = (t << 7) | (t >>> 25);
    x3 = (x3 + x4) | 0; t = x14 ^ x3; x14 = (t << 16) | (t >>> 16); x9 = (x9 + x14) | 0; t = x4 ^ x9; x4 = (t << 12) | (t >>> 20);
    x3 = (x3 + x4) | 0; t = x14 ^ x3; x14 = (t << 8) | (t >>> 24); x9 = (x9 + x14) | 0; t = x4 ^ x9; x4 = (t << 7) | (t >>> 25);
  }
  const x = [x0 + j0, x1 + j1, x2 + j2, x3 + j3, x4 + j4, x5 + j5, x6 + j6, x7 + j7,
    x8 + j8, x9 + j9, x10 + j10, x11 + j11, x12 + j12, x13 + j13, x14 + j14, x15 + j15];
  for (let i = 0; i < 16; i++) {
    const v = x[i];
    out[4 * i] = v; out[4 * i + 1] = v >>> 8; out[4 * i + 2] = v >>> 16; out[4 * i + 3] = v >>> 24;
  }
  return out;
}

/** chacha20 XORs data with the keystream starting at block `counter` (RFC 8439 §2.4). */
export function chacha20(key, counter, nonce, data) {
  const out = new Uint8Array(data.length);
  const ks = new Uint8Array(64);
  for (let off = 0; off < data.length; off += 64, counter++) {
    chachaBlock(key, counter >>> 0, nonce, ks);
    const n = Math.min(64, data.length - off);
    for (let i = 0; i < n; i++) out[off + i] = data[off + i] ^ ks[i];
  }
  return out;
}

// Poly1305 with ten 13-bit limbs: every product and sum stays an exact
// integer in a double, and `& 0x1fff` keeps the low bits of sums above 2^32.
function limbs(bytes, off, len, hibit) {
  const out = new Array(10);
  let acc = 0;
  let bits = 0;
  let i = 0;
  for (let j = 0; j < 10; j++) {
    while (bits < 13) {
      const b = i < len ? bytes[off + i] : i === len ? hibit : 0;
      acc |= b << bits;
      bits += 8;
      i++;
    }
    out[j] = acc & 0x1fff;
    acc >>>= 13;
    bits -= 13;
  }
  return out;
}

/** poly1305 returns the 16-byte tag of msg under the one-time key (RFC 8439 §2.5). */
export function poly1305(key, msg) {
  const rb = key.slice(0, 16);
  rb[3] &= 15; rb[7] &= 15; rb[11] &= 15; rb[15] &= 15; rb[4] &= 252; rb[8] &= 252; rb[12] &= 252;
  const r = limbs(rb, 0, 16, 0);
  const r5 = r.map((x) => 5 * x);
  const h = new Array(10).fill(0);
  const d = new Array(10);
  for (let off = 0; off < msg.length; off += 16) {
    const n = Math.min(16, msg.length - off);
    // A full block gets the bit 2^128; a short one a 0x01 byte after its end.
    const m = limbs(msg, off, n, 1);
    for (let i = 0; i < 10; i++) h[i] += m[i];
    for (let i = 0; i < 10; i++) {
      let sum = 0;
      for (let j = 0; j <= i; j++) sum += h[j] * r[i - j];
      for (let j = i + 1; j < 10; j++) sum += h[j] * r5[i - j + 10];
      d[i] = sum;
    }
    let c = 0;
    for (let i = 0; i < 10; i++) {
      d[i] += c;
      c = Math.floor(d[i] / 8192);
      h[i] = d[i] & 0x1fff;
    }
    h[0] += c * 5;
    c = h[0] >>> 13;
    h[0] &= 0x1fff;
    h[1] += c;
  }
  // The final reduction runs once per message: BigInt keeps it plain.
  let acc = 0n;
  for (let i = 9; i >= 0; i--) acc = (acc << 13n) + BigInt(h[i]);
  acc %= (1n << 130n) - 5n;
  let s = 0n;
  for (let i = 15; i >= 0; i--) s = (s << 8n) + BigInt(key[16 + i]);
  acc = (acc + s) & ((1n << 128n) - 1n);
  const tag = new Uint8Array(16);
  for (let i = 0; i < 16; i++) {
    tag[i] = Number(acc & 0xffn);
    acc >>= 8n;
  }
  return tag;
}

function macData(aad, ct) {
  const pad = (n) => (16 - (n % 16)) % 16;
  const a = aad.length + pad(aad.length);
  const c = ct.length + pad(ct.length);
  const out = new Uint8Array(a + c + 16);
  out.set(aad, 0);
  out.set(ct, a);
  const view = new DataView(out.buffer);
  view.setUint32(a + c, aad.length, true);
  view.setUint32(a + c + 8, ct.length, true);
  return out;
}

function otk(key, nonce) {
  return chachaBlock(key, 0, nonce, new Uint8Array(64)).slice(0, 32);
}

/** seal encrypts plaintext; returns ciphertext followed by the 16-byte tag. */
export function seal(key, nonce, plaintext, aad = new Uint8Array(0)) {
  check(key, nonce);
  const ct = chacha20(key, 1, nonce, plaintext);
  const tag = poly1305(otk(key, nonce), macData(aad, ct));
  const out = new Uint8Array(ct.length + 16);
  out.set(ct, 0);
  out.set(tag, ct.length);
  return out;
}

/** open decrypts what seal made; null when the key, nonce, data or aad differ. */
export function open(key, nonce, sealed, aad = new Uint8Array(0)) {
  check(key, nonce);
  if (sealed.length < 16) return null;
  const ct = sealed.subarray(0, sealed.length - 16);
  const tag = poly1305(otk(key, nonce), macData(aad, ct));
  let diff = 0;
  for (let i = 0; i < 16; i++) diff |= tag[i] ^ sealed[ct.length + i];
  if (diff !== 0) return null;
  return chacha20(key, 1, nonce, ct);
}

function check(key, nonce) {
  if (!(key instanceof Uint8Array) || key.length !== 32) throw new Error('aead: the key must be 32 bytes');
  if (!(nonce instanceof Uint8Array) || nonce.length !== 12) throw new Error('aead: the nonce must be 12 bytes');
}
