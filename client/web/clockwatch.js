// Every clock the device receives is observed (docs/protocol.md, "Clock"):
// the stamp of every field version a pull carries moves the device's hybrid
// logical clock forward, and the server's time in each answer gives the
// offset that corrects the phone's clock from then on (and warns the
// monitor when it is over 5 minutes).
import { parseHLC } from './hlc.js';

export const CLOCK_WARN_MS = 5 * 60 * 1000;

/** wallOf reads a time as RFC 3339 or as an HLC stamp; NaN when neither. */
export function wallOf(s) {
  if (typeof s !== 'string') return NaN;
  const h = parseHLC(s);
  return h ? h.wall : Date.parse(s);
}

/**
 * observeAnswer moves clock past every stamp of an answer's body (the pulled
 * changes' `stamps`, or a compact page's `stamp`), sets its offset from `server_time` and returns it: server time
 * minus the phone's own clock (clock.now()) at arrival, or null when the
 * answer carries no server time. The caller sets clock.offset.
 */
export function observeAnswer(clock, data) {
  if (!data) return null;
  const server = wallOf(data.server_time);
  const offset = Number.isFinite(server) ? Math.round(server - clock.now()) : null;
  if (offset !== null) clock.offset = offset; // observe bounds by the corrected time
  if (data.stamp) clock.observe(data.stamp); // a compact pull's latest stamp (protocol 1.2)
  for (const ch of data.changes || []) {
    if (ch.stamps) for (const s of Object.values(ch.stamps)) clock.observe(s);
  }
  return offset;
}

/** skewWarning returns the offset in whole minutes when it is over 5 minutes, else 0. */
export function skewMinutes(offsetMs) {
  return Math.abs(offsetMs) > CLOCK_WARN_MS ? Math.round(offsetMs / 60000) : 0;
}
