// The device's cipher (ChaCha20-Poly1305) against RFC 8439's vectors and
// against OpenSSL through node:crypto on random inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { chacha20, poly1305, seal, open } from '../web/aead.js';

const hex = (s) => Uint8Array.from(Buffer.from(s.replace(/[\s:]/g, ''), 'hex'));
const toHex = (b) => Buffer.from(b).toString('hex');

test('ChaCha20 encrypts the RFC 8439 §2.4.2 sunscreen text', () => {
  const key = hex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
  const nonce = hex('000000000000004a00000000');
  const text = new TextEncoder().encode("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");
  assert.equal(toHex(chacha20(key, 1, nonce, text)),
    '6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0bf91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d807ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab77937365af90bbf74a35be6b40b8eedf2785e42874d');
});

test('Poly1305 gives the RFC 8439 §2.5.2 tag', () => {
  const key = hex('85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b');
  const msg = new TextEncoder().encode('Cryptographic Forum Research Group');
  assert.equal(toHex(poly1305(key, msg)), 'a8061dc1305136c6c22b8baf0c0127a9');
});

test('AEAD seals the RFC 8439 §2.8.2 example and opens it again', () => {
  const key = hex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f');
  const nonce = hex('070000004041424344454647');
  const aad = hex('50515253c0c1c2c3c4c5c6c7');
  const text = new TextEncoder().encode("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");
  const out = seal(key, nonce, text, aad);
  assert.equal(toHex(out.subarray(out.length - 16)), '1ae10b594f09e26a7e902ecbd0600691');
  assert.equal(toHex(out.subarray(0, 16)), 'd31a8d34648e60db7b86afbc53ef7ec2');
  assert.deepEqual(open(key, nonce, out, aad), text);
});

test('AEAD agrees with OpenSSL on random inputs of every length up to 300 bytes', () => {
  for (let n = 0; n <= 300; n++) {
    const key = new Uint8Array(randomBytes(32));
    const nonce = new Uint8Array(randomBytes(12));
    const aad = new Uint8Array(randomBytes(n % 37));
    const text = new Uint8Array(randomBytes(n));
    const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
    c.setAAD(aad, { plaintextLength: n });
    const want = Buffer.concat([c.update(text), c.final(), c.getAuthTag()]);
    const got = seal(key, nonce, text, aad);
    assert.equal(toHex(got), toHex(want), `length ${n}`);
    assert.deepEqual(open(key, nonce, got, aad), text);
  }
});

test('Poly1305 agrees with OpenSSL on blocks whose limbs are all ones (the carries)', () => {
  // All-0xff messages and keys push every limb to its bound.
  for (const n of [16, 32, 64, 1024]) {
    const key = new Uint8Array(32).fill(0xff);
    const nonce = new Uint8Array(12).fill(0xff);
    const text = new Uint8Array(n).fill(0xff);
    const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
    const want = Buffer.concat([c.update(text), c.final(), c.getAuthTag()]);
    assert.equal(toHex(seal(key, nonce, text)), toHex(want), `length ${n}`);
  }
});

test('AEAD refuses a changed byte, a wrong key, a wrong nonce or other aad', () => {
  const key = new Uint8Array(randomBytes(32));
  const nonce = new Uint8Array(randomBytes(12));
  const text = new TextEncoder().encode('Камера 3: задержанный сообщил о побоях');
  const aad = new TextEncoder().encode('records');
  const out = seal(key, nonce, text, aad);
  for (let i = 0; i < out.length; i++) {
    const bad = out.slice();
    bad[i] ^= 1;
    assert.equal(open(key, nonce, bad, aad), null, `byte ${i}`);
  }
  const other = key.slice();
  other[0] ^= 1;
  assert.equal(open(other, nonce, out, aad), null);
  const n2 = nonce.slice();
  n2[11] ^= 1;
  assert.equal(open(key, n2, out, aad), null);
  assert.equal(open(key, nonce, out, new TextEncoder().encode('outbox')), null);
  assert.equal(open(key, nonce, out.subarray(0, 10), aad), null);
});
