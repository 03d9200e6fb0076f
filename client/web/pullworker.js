// Reads pulled pages off the page's main thread (issue 20: no main-thread
// task over 100 ms at 4× CPU). The page fetches each page itself (so the
// link it measures, and the browser's network emulation, are the page's)
// and hands the answer's body over as a Blob, which costs the page nothing
// to read; here it is decoded, parsed and cut for applying (splitPage). The
// page gets back the changes it keeps as rows and, for packed history, a
// few strings of JSON text that it stores as they are.
import { splitPage } from './synccore.js';

self.onmessage = async (e) => {
  const { id, blob, pack } = e.data;
  try {
    const resp = JSON.parse(await blob.text());
    self.postMessage({ id, page: splitPage(resp, pack ? new Set(pack) : null) });
  } catch (err) {
    self.postMessage({ id, error: String((err && err.message) || err) });
  }
};
