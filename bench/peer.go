package bench

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"inspecta/schema"
)

// PeerResult compares Inspecta with a CouchDB-protocol server (pouchdb-server
// in scripts/bench-peer) on the same generated visits, in the same run:
// loading them (Inspecta: push; the peer: _bulk_docs, one document per
// record, the same batches of at most 1,000) and reading them back on a
// second device (Inspecta: pull; the peer: _changes with include_docs).
type PeerResult struct {
	PeerURL     string `json:"peer_url"`
	PeerVersion string `json:"peer_version"`
	Visits      int    `json:"visits"`
	Records     int    `json:"records"`
	Writes      int    `json:"writes"` // operations pushed = document writes posted

	InspectaLoadSeconds   float64 `json:"inspecta_load_seconds"`
	InspectaOpsPerS       float64 `json:"inspecta_ops_per_s"`
	InspectaLoadRequests  int     `json:"inspecta_load_requests"`
	InspectaLoadBytes     int64   `json:"inspecta_load_bytes"`
	PeerLoadSeconds       float64 `json:"peer_load_seconds"`
	PeerDocsPerS          float64 `json:"peer_docs_per_s"`
	PeerLoadRequests      int     `json:"peer_load_requests"`
	PeerLoadBytes         int64   `json:"peer_load_bytes"`
	LoadRateRatio         float64 `json:"load_rate_ratio"`  // inspecta_ops_per_s / peer_docs_per_s
	LoadBytesRatio        float64 `json:"load_bytes_ratio"` // peer_load_bytes / inspecta_load_bytes
	InspectaPullSeconds   float64 `json:"inspecta_pull_seconds"`
	InspectaPullRequests  int     `json:"inspecta_pull_requests"`
	InspectaPullBytes     int64   `json:"inspecta_pull_bytes"`
	InspectaPullPerS      float64 `json:"inspecta_pull_changes_per_s"`
	PeerPullSeconds       float64 `json:"peer_pull_seconds"`
	PeerPullRequests      int     `json:"peer_pull_requests"`
	PeerPullBytes         int64   `json:"peer_pull_bytes"`
	PeerPullPerS          float64 `json:"peer_pull_docs_per_s"`
	PullRateRatio         float64 `json:"pull_rate_ratio"`  // inspecta / peer
	PullBytesRatio        float64 `json:"pull_bytes_ratio"` // peer / inspecta
	PeerGzipRequestBodies bool    `json:"peer_gzip_request_bodies"`
}

// RunPeer loads cfg.Visits generated visits into Inspecta (in-process, as in
// Run) and into the CouchDB-protocol server at peerURL, which must be on the
// loopback interface.
func RunPeer(ctx context.Context, cfg Config, peerURL string) (*PeerResult, error) {
	u, err := url.Parse(peerURL)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("--peer-url %q is not a URL", peerURL)
	}
	if ip := net.ParseIP(u.Hostname()); (ip == nil || !ip.IsLoopback()) && u.Hostname() != "localhost" {
		return nil, fmt.Errorf("--peer-url must be on loopback (127.0.0.1), not %s", u.Hostname())
	}
	e := &env{cfg: cfg, region: benchRegion}
	if e.dir = cfg.Dir; e.dir == "" {
		if e.dir, err = os.MkdirTemp("", "inspecta-bench-peer-"); err != nil {
			return nil, err
		}
		defer os.RemoveAll(e.dir)
	}
	if err := e.start(ctx); err != nil {
		return nil, err
	}
	defer e.stop()
	if err := e.setup(ctx); err != nil {
		return nil, err
	}
	member, err := e.addUser(ctx, "member-peer", schema.RoleMember, e.region)
	if err != nil {
		return nil, err
	}
	res := &PeerResult{PeerURL: peerURL, Visits: cfg.Visits}
	visits := make([]Visit, cfg.Visits)
	for i := range visits {
		visits[i] = e.gen.NewVisit(e.facility, []string{member.ID}, cfg.Locations, visitStart(i))
		seen := map[string]bool{}
		for _, r := range visits[i].Records {
			res.Writes++
			if !seen[r.ID] {
				seen[r.ID] = true
				res.Records++
			}
		}
	}

	// Inspecta: one device pushes each visit, a second pulls them all.
	var ma, mb Meter
	a, err := e.login(ctx, "member-peer", newHTTPClient(&ma, "", nil))
	if err != nil {
		return nil, err
	}
	b, err := e.login(ctx, "member-peer", newHTTPClient(&mb, "", nil))
	if err != nil {
		return nil, err
	}
	if err := b.Pull(ctx); err != nil {
		return nil, err
	}
	closeIdle(a.HTTP)
	closeIdle(b.HTTP)
	ma.Reset()
	mb.Reset()
	a.Requests, b.Requests = 0, 0
	var took time.Duration
	for _, v := range visits {
		n, err := queue(a, v)
		if err != nil {
			return nil, err
		}
		start := time.Now()
		if err := a.Push(ctx); err != nil {
			return nil, err
		}
		took += time.Since(start)
		if err := e.pushed(a, n); err != nil {
			return nil, err
		}
	}
	res.InspectaLoadSeconds = took.Seconds()
	res.InspectaOpsPerS = float64(res.Writes) / took.Seconds()
	res.InspectaLoadRequests, res.InspectaLoadBytes = a.Requests, ma.Total()
	start := time.Now()
	if err := b.Pull(ctx); err != nil {
		return nil, err
	}
	res.InspectaPullSeconds = time.Since(start).Seconds()
	res.InspectaPullRequests, res.InspectaPullBytes = b.Requests, mb.Total()
	res.InspectaPullPerS = float64(res.Records) / res.InspectaPullSeconds

	// The peer is warmed up first (Node compiles its hot code as it runs):
	// one visit loaded into a scratch database, which is then dropped.
	w := &peer{db: strings.TrimSuffix(peerURL, "/") + "/inspecta_bench_warmup", revs: map[string]string{}, docs: map[string]map[string]any{},
		hc: newHTTPClient(&Meter{}, "", nil)}
	if err := w.reset(ctx, peerURL); err != nil {
		return nil, err
	}
	if err := w.load(ctx, visits[0], member.ID); err != nil {
		return nil, fmt.Errorf("warm the peer up: %w", err)
	}
	w.do(ctx, http.MethodDelete, w.db, nil, nil)
	closeIdle(w.hc)

	// The peer: the same records as documents, then _changes from scratch.
	p := &peer{db: strings.TrimSuffix(peerURL, "/") + "/inspecta_bench", revs: map[string]string{}, docs: map[string]map[string]any{}}
	var pa, pb Meter
	p.hc = newHTTPClient(&pa, "", nil)
	if err := p.reset(ctx, peerURL); err != nil {
		return nil, err
	}
	res.PeerVersion = p.version
	res.PeerGzipRequestBodies = p.gzip
	closeIdle(p.hc)
	pa.Reset()
	took = 0
	for _, v := range visits {
		start := time.Now()
		if err := p.load(ctx, v, member.ID); err != nil {
			return nil, err
		}
		took += time.Since(start)
	}
	res.PeerLoadSeconds = took.Seconds()
	res.PeerDocsPerS = float64(res.Writes) / took.Seconds()
	res.PeerLoadRequests, res.PeerLoadBytes = p.requests, pa.Total()
	p.hc, p.requests = newHTTPClient(&pb, "", nil), 0
	start = time.Now()
	got, err := p.changes(ctx)
	if err != nil {
		return nil, err
	}
	res.PeerPullSeconds = time.Since(start).Seconds()
	res.PeerPullRequests, res.PeerPullBytes = p.requests, pb.Total()
	res.PeerPullPerS = float64(got) / res.PeerPullSeconds
	if got != res.Records {
		return nil, fmt.Errorf("the peer gave back %d documents; %d were loaded", got, res.Records)
	}
	res.LoadRateRatio = res.InspectaOpsPerS / res.PeerDocsPerS
	res.LoadBytesRatio = float64(res.PeerLoadBytes) / float64(res.InspectaLoadBytes)
	res.PullRateRatio = res.InspectaPullPerS / res.PeerPullPerS
	res.PullBytesRatio = float64(res.PeerPullBytes) / float64(res.InspectaPullBytes)
	return res, nil
}

// peer speaks the parts of the CouchDB protocol the comparison needs.
type peer struct {
	hc       *http.Client
	db       string
	version  string
	gzip     bool // the peer takes gzip request bodies
	requests int
	revs     map[string]string         // _rev of every document written
	docs     map[string]map[string]any // the latest body of every document, for updates
}

func (p *peer) do(ctx context.Context, method, url string, body []byte, out any) error {
	var r io.Reader
	if body != nil {
		if p.gzip {
			var buf bytes.Buffer
			zw := gzip.NewWriter(&buf)
			zw.Write(body)
			zw.Close()
			body = buf.Bytes()
		}
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, r)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Accept-Encoding", "gzip")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
		if p.gzip {
			req.Header.Set("Content-Encoding", "gzip")
		}
	}
	p.requests++
	resp, err := p.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var rd io.Reader = resp.Body
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return err
		}
		rd = zr
	}
	data, err := io.ReadAll(rd)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %s: %.200s", method, url, resp.Status, data)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(data, out)
}

// reset drops and creates the database and finds out whether the peer takes
// gzip request bodies (pouchdb-server does, through body-parser).
func (p *peer) reset(ctx context.Context, base string) error {
	var welcome map[string]any
	if err := p.do(ctx, http.MethodGet, strings.TrimSuffix(base, "/")+"/", nil, &welcome); err != nil {
		return fmt.Errorf("peer not answering: %w", err)
	}
	p.version = fmt.Sprint(welcome["version"])
	if _, ok := welcome["express-pouchdb"]; ok {
		p.version = "pouchdb-server " + p.version
	}
	p.do(ctx, http.MethodDelete, p.db, nil, nil) // absent the first time
	if err := p.do(ctx, http.MethodPut, p.db, nil, nil); err != nil {
		return err
	}
	p.gzip = true
	var probe []map[string]any
	if err := p.do(ctx, http.MethodPost, p.db+"/_bulk_docs", []byte(`{"docs":[{"_id":"gzip-probe"}]}`), &probe); err != nil {
		p.gzip = false
	}
	p.do(ctx, http.MethodDelete, p.db, nil, nil)
	return p.do(ctx, http.MethodPut, p.db, nil, nil)
}

// load writes a visit's records as documents through _bulk_docs, in batches
// of at most 1,000 as Inspecta pushes; a change to a document written earlier
// is a new revision of the whole document, with its _rev.
func (p *peer) load(ctx context.Context, v Visit, authorID string) error {
	var batch []map[string]any
	inBatch := map[string]bool{}
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		body, _ := json.Marshal(map[string]any{"docs": batch})
		var out []struct {
			ID, Rev, Error, Reason string
		}
		if err := p.do(ctx, http.MethodPost, p.db+"/_bulk_docs", body, &out); err != nil {
			return err
		}
		for _, r := range out {
			if r.Error != "" {
				return fmt.Errorf("peer refused %s: %s %s", r.ID, r.Error, r.Reason)
			}
			p.revs[r.ID] = r.Rev
		}
		batch, inBatch = batch[:0], map[string]bool{}
		return nil
	}
	for _, r := range v.Records {
		if inBatch[r.ID] {
			if err := flush(); err != nil { // its new _rev is needed first
				return err
			}
		}
		doc := map[string]any{}
		maps.Copy(doc, p.docs[r.ID])
		maps.Copy(doc, r.Fields)
		doc["_id"], doc["type"] = r.ID, r.Type
		if r.Type == "observation" {
			doc["author_id"] = authorID
		}
		if rev, ok := p.revs[r.ID]; ok {
			doc["_rev"] = rev
		}
		p.docs[r.ID] = doc
		batch = append(batch, doc)
		inBatch[r.ID] = true
		if len(batch) == 1000 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// changes reads every document from scratch through _changes, 5,000 a page
// (Inspecta's largest pull page), and returns how many it got.
func (p *peer) changes(ctx context.Context) (int, error) {
	since := json.RawMessage("0")
	got := 0
	for {
		var page struct {
			Results []json.RawMessage `json:"results"`
			LastSeq json.RawMessage   `json:"last_seq"`
		}
		q := url.Values{"include_docs": {"true"}, "limit": {"5000"}, "since": {strings.Trim(string(since), `"`)}}
		if err := p.do(ctx, http.MethodGet, p.db+"/_changes?"+q.Encode(), nil, &page); err != nil {
			return 0, err
		}
		got += len(page.Results)
		since = page.LastSeq
		if len(page.Results) < 5000 {
			return got, nil
		}
	}
}

// WriteJSON writes the result to path, indented.
func (r *PeerResult) WriteJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// WriteTable prints both sides and their ratios.
func (r *PeerResult) WriteTable(w io.Writer) {
	fmt.Fprintf(w, "Inspecta vs %s at %s: %d visits, %d records, %d writes (gzip request bodies to the peer: %v)\n",
		r.PeerVersion, r.PeerURL, r.Visits, r.Records, r.Writes, r.PeerGzipRequestBodies)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\tINSPECTA\tPEER\tRATIO\tTARGET\t")
	fmt.Fprintf(tw, "Load rate\t%.0f ops/s (%.2f s)\t%.0f docs/s (%.2f s)\t%.2f×\t≥ 2× (issue 15)\t\n",
		r.InspectaOpsPerS, r.InspectaLoadSeconds, r.PeerDocsPerS, r.PeerLoadSeconds, r.LoadRateRatio)
	fmt.Fprintf(tw, "Load on the wire\t%d B in %d requests\t%d B in %d requests\t%.2f× smaller\tahead\t\n",
		r.InspectaLoadBytes, r.InspectaLoadRequests, r.PeerLoadBytes, r.PeerLoadRequests, r.LoadBytesRatio)
	fmt.Fprintf(tw, "Read back (2nd device)\t%.0f records/s (%.2f s)\t%.0f docs/s (%.2f s)\t%.2f×\t\t\n",
		r.InspectaPullPerS, r.InspectaPullSeconds, r.PeerPullPerS, r.PeerPullSeconds, r.PullRateRatio)
	fmt.Fprintf(tw, "Read back on the wire\t%d B in %d requests\t%d B in %d requests\t%.2f× smaller\t\t\n",
		r.InspectaPullBytes, r.InspectaPullRequests, r.PeerPullBytes, r.PeerPullRequests, r.PullBytesRatio)
	tw.Flush()
}
