// Hybrid logical clock in the format of SYNC.md and sync/hlc.go:
// "2026-11-26T10:15:03.120Z/0003/<device_id>". For one node, a later stamp
// sorts later; across nodes compare() orders by wall time, counter, node.

/** Parse a stamp; returns null when it is not TIME/COUNTER/NODE. */
export function parseHLC(s) {
  if (typeof s !== 'string') return null;
  const i = s.indexOf('/');
  const j = s.indexOf('/', i + 1);
  if (i < 0 || j < 0) return null;
  const wall = Date.parse(s.slice(0, i));
  const counter = Number(s.slice(i + 1, j));
  if (!Number.isFinite(wall) || !Number.isInteger(counter) || counter < 0) return null;
  return { wall, counter, node: s.slice(j + 1) };
}

export function formatHLC(h) {
  return `${new Date(h.wall).toISOString()}/${String(h.counter).padStart(4, '0')}/${h.node}`;
}

/** compare returns -1, 0 or 1 ordering two stamps (strings or parsed). */
export function compareHLC(a, b) {
  const x = typeof a === 'string' ? parseHLC(a) : a;
  const y = typeof b === 'string' ? parseHLC(b) : b;
  if (x.wall !== y.wall) return x.wall < y.wall ? -1 : 1;
  if (x.counter !== y.counter) return x.counter < y.counter ? -1 : 1;
  return x.node < y.node ? -1 : x.node > y.node ? 1 : 0;
}

export const DAY_MS = 24 * 3600 * 1000;

/**
 * A clock for one node (docs/protocol.md, "Clock"). Its physical time is
 * now() plus offset, the server's time minus this phone's as last measured,
 * so a phone whose clock is wrong still stamps by the server's time once it
 * has reached the server. now() is injectable for tests.
 */
export class Clock {
  constructor(node, last = '', now = () => Date.now(), offset = 0) {
    this.node = node;
    this.now = now;
    this.offset = offset;
    this.last = parseHLC(last) || { wall: 0, counter: 0, node };
  }

  /** physical is the phone's clock corrected by the last measured offset. */
  physical() {
    return Math.floor(this.now() + this.offset);
  }

  /**
   * next returns a stamp later than every one this clock issued or observed,
   * unless that one is more than a day ahead of the physical time (the
   * phone's own time was wrong when it issued it; observe never goes so far):
   * then it starts again from the physical time, so that a clock once set
   * years ahead does not stamp every later edit by that wrong time.
   */
  next() {
    const wall = this.physical();
    if (wall > this.last.wall || this.last.wall - wall > DAY_MS) this.last = { wall, counter: 0, node: this.node };
    else this.last = { wall: this.last.wall, counter: this.last.counter + 1, node: this.node };
    return formatHLC(this.last);
  }

  /**
   * observe moves the clock past a stamp seen elsewhere, but never more than
   * a day past its physical time: a stamp further ahead is not observed.
   */
  observe(s) {
    const h = parseHLC(s);
    if (!h || h.wall > this.physical() + DAY_MS) return;
    if (h.wall > this.last.wall || (h.wall === this.last.wall && h.counter > this.last.counter)) {
      this.last = { wall: h.wall, counter: h.counter, node: this.node };
    }
  }
}
