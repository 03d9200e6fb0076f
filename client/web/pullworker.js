// Reads the sync's large answers off the page's main thread (issue 20: no
// main-thread task over 100 ms at 4× CPU). The page fetches them itself (so
// the link it measures, and the browser's network emulation, are the page's)
// and hands each body over as a Blob, which costs the page nothing to read;
// here it is decoded and parsed. A pulled page is cut for applying
// (splitPage): the page gets back the changes it keeps as rows and, for
// packed history, a few strings of JSON text that it stores as they are. A
// checklist list comes back with each template as its JSON text under a
// head of the fields the lists need (store.js, templateOf), stored as it is.
import { splitPage } from './synccore.js';

const HEAD = ['id', 'version', 'active', 'default', 'facility_types', 'title'];

/** asText keeps of a template the head fields it has and the whole as JSON text. */
function asText(tpl) {
  const head = { json: JSON.stringify(tpl) };
  for (const k of HEAD) if (k in tpl) head[k] = tpl[k];
  return head;
}

self.onmessage = async (e) => {
  const { id, blob, pack, kind } = e.data;
  try {
    const value = JSON.parse(await blob.text());
    if (kind === 'checklists') {
      if (Array.isArray(value.checklists)) value.checklists = value.checklists.map(asText);
      self.postMessage({ id, page: value });
    } else {
      self.postMessage({ id, page: splitPage(value, pack ? new Set(pack) : null) });
    }
  } catch (err) {
    self.postMessage({ id, error: String((err && err.message) || err) });
  }
};
