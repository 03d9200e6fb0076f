// Gzip for push bodies and for the acknowledged operations a device keeps:
// CompressionStream where the browser has it, plain JSON where it does not.
// Large bodies are written to the compressor in slices with a yield to the
// event loop between them, so typing never waits for a whole push to be built.

const SLICE = 100; // operations encoded per slice

export const canGzip = () => typeof CompressionStream === 'function';

/** yieldToEvents lets input and paint run before the next slice. */
export function yieldToEvents() {
  if (globalThis.scheduler && typeof globalThis.scheduler.yield === 'function') return globalThis.scheduler.yield();
  return new Promise((r) => setTimeout(r, 0));
}

/**
 * encodeSlices writes the text parts (produced lazily by parts, an iterable of
 * functions returning strings) to a gzip stream, or joins them when gzip is
 * off. Returns { data: Uint8Array|string, gzip }.
 */
async function encodeSlices(parts, gzip) {
  if (!gzip) {
    let s = '';
    let i = 0;
    for (const part of parts) {
      s += part();
      if (++i % SLICE === 0) await yieldToEvents();
    }
    return { data: s, gzip: false };
  }
  const cs = new CompressionStream('gzip');
  const out = new Response(cs.readable).arrayBuffer();
  const w = cs.writable.getWriter();
  const enc = new TextEncoder();
  let chunk = '';
  let i = 0;
  for (const part of parts) {
    chunk += part();
    if (++i % SLICE === 0) {
      await w.write(enc.encode(chunk));
      chunk = '';
      await yieldToEvents();
    }
  }
  if (chunk) await w.write(enc.encode(chunk));
  await w.close();
  return { data: new Uint8Array(await out), gzip: true };
}

/** arrayParts yields the pieces of the JSON text of `head` + ops as an array + `tail`. */
function* arrayParts(head, items, tail) {
  yield () => head + '[';
  for (let i = 0; i < items.length; i++) yield () => (i ? ',' : '') + JSON.stringify(items[i]);
  yield () => ']' + tail;
}

/**
 * pushBody builds the body of a push of ops: gzipped when the browser can
 * (Content-Encoding: gzip), else plain; pull ({since, limit}, protocol 1.2)
 * asks for a pull in the answer. Returns { data, gzip, bytes }.
 */
export async function pushBody(deviceId, ops, { gzip = canGzip(), deviceTime, pull } = {}) {
  const time = deviceTime ? `"device_time":${JSON.stringify(deviceTime)},` : '';
  const ask = pull ? `"pull":${JSON.stringify(pull)},` : '';
  const head = `{"device_id":${JSON.stringify(deviceId)},${time}${ask}"compact_results":true,"ops":`;
  const r = await encodeSlices(arrayParts(head, ops, '}'), gzip);
  return { ...r, bytes: r.gzip ? r.data.byteLength : new TextEncoder().encode(r.data).byteLength };
}

/** packJSON stores a list compactly: gzipped bytes where possible. */
export async function packJSON(list) {
  const r = await encodeSlices(arrayParts('', list, ''), canGzip());
  // An empty tail of slices still needs the stream closed: done in encodeSlices.
  return r.gzip ? { gz: r.data } : { json: r.data };
}

/** unpackJSON reads what packJSON made ({gz} may also be a gzipped push body). */
export async function unpackJSON(p) {
  if (!p) return [];
  if (p.json !== undefined) return JSON.parse(p.json);
  const ds = new DecompressionStream('gzip');
  const text = new Response(new Blob([p.gz]).stream().pipeThrough(ds)).text();
  return JSON.parse(await text);
}
