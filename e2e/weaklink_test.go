package e2e

// Sync over a weak link from an emulated low-end phone (issue 20): headless
// Chromium at 360×740 with 4× CPU slowdown and DevTools network emulation,
// in front of the server a proxy that counts the bytes each request carries.
//
// TestWeakLinkPush runs in the suite (slow 3G, one full visit) and checks what
// must hold on any machine: every operation stored once, the bytes on the
// wire, every push gzipped, no download of the phone's own writes (in a pull,
// or in the pull inside the last push's answer), the status line saying how
// many of all are sent and at what rate. Times are logged; with
// INSPECTA_WEAKLINK=1 the time targets are asserted too and the 100 kbit/s
// and 20 kbit/s runs and the 20-visit first sync are made (several minutes).

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"inspecta/bench"
	"inspecta/schema"
	"inspecta/store"
	isync "inspecta/sync"
)

// link is a network profile for Network.emulateNetworkConditions.
type link struct {
	name       string
	latencyMs  float64
	downKbit   float64
	upKbit     float64
	targetPush time.Duration // issue 20's target for a full visit
}

var (
	slow3G   = link{"slow 3G (400 ms, 400 kbit/s)", 400, 400, 400, 5 * time.Second}
	up100    = link{"100 kbit/s up, 800 ms", 800, 400, 100, 3 * time.Minute}
	up20     = link{"20 kbit/s up, 800 ms", 800, 400, 20, 0}
	fullRuns = os.Getenv("INSPECTA_WEAKLINK") == "1"
)

// emulate sets the tab's network (nil: offline) and CPU slowdown.
func emulate(t *testing.T, ctx context.Context, l *link, cpu float64) {
	t.Helper()
	cond := &network.Conditions{Offline: true}
	if l != nil {
		cond = &network.Conditions{Latency: l.latencyMs, DownloadThroughput: l.downKbit * 1000 / 8, UploadThroughput: l.upKbit * 1000 / 8}
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{cond}}); err != nil {
		t.Fatalf("emulate network: %v", err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: cpu}); err != nil {
		t.Fatalf("emulate CPU: %v", err)
	}
}

// wireCounter is a reverse proxy that counts what each API request carried.
type wireCounter struct {
	mu        sync.Mutex
	pushBytes int64 // request bodies of pushes, as sent (gzipped or not)
	pushes    int
	gzipped   int
	pullBytes int64 // response bodies of pulls, as sent
	pulled    int   // changes in pull answers
	pages     int   // pull answers read: of pull requests, and inside push answers (protocol 1.2)
	pulledIDs map[string]int
	firstAt   map[string]int // the order in which each record first arrived in a pull answer
	v11       bool           // a pull answer carried server_time: the server speaks protocol 1.1 (no echo)
}

func newWireCounter(t *testing.T, backend string) (*wireCounter, string) {
	target, _ := url.Parse(backend)
	w := &wireCounter{pulledIDs: map[string]int{}, firstAt: map[string]int{}}
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.ModifyResponse = func(resp *http.Response) error {
		path := resp.Request.URL.Path
		isPull := strings.HasPrefix(path, "/api/v1/sync/pull")
		if !isPull && path != "/api/v1/sync/push" {
			return nil
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		plain := body
		if resp.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err == nil {
				plain, _ = io.ReadAll(zr)
			}
		}
		// The pull after a device's last push comes inside the push's answer
		// (protocol 1.2): it is counted as a pull answer too, else the check
		// that no device downloads its own writes would see no pull at all.
		page := &isync.PullResponse{}
		if isPull {
			json.Unmarshal(plain, page)
		} else {
			var pushed isync.PushResponse
			json.Unmarshal(plain, &pushed)
			if page = pushed.Pull; page == nil {
				return nil
			}
		}
		w.mu.Lock()
		w.v11 = w.v11 || page.ServerTime != ""
		if isPull {
			w.pullBytes += int64(len(body))
		}
		w.pages++
		w.pulled += len(page.Changes)
		for _, ch := range page.Changes {
			k := string(ch.Type) + "/" + ch.ID
			if _, seen := w.firstAt[k]; !seen {
				w.firstAt[k] = len(w.firstAt)
			}
			w.pulledIDs[k]++
		}
		w.mu.Unlock()
		return nil
	}
	h := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/sync/push" {
			body, _ := io.ReadAll(r.Body)
			w.mu.Lock()
			w.pushBytes += int64(len(body))
			w.pushes++
			if r.Header.Get("Content-Encoding") == "gzip" {
				w.gzipped++
			}
			w.mu.Unlock()
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		rp.ServeHTTP(rw, r)
	})
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return w, ts.URL
}

func (w *wireCounter) reset() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.pushBytes, w.pushes, w.gzipped, w.pullBytes, w.pulled, w.pages = 0, 0, 0, 0, 0, 0
	w.pulledIDs = map[string]int{}
	w.firstAt = map[string]int{}
}

// fullVisit generates about 1,100 operations of one visit (bench's generator:
// realistic values, notes in Russian and Kazakh) for the team.
func fullVisit(t *testing.T, seed uint64, facilityID string, team []string) bench.Visit {
	t.Helper()
	return visitOfSize(t, seed, facilityID, team, 1091, time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
}

// visitOfSize generates a visit of about ops operations started at start.
func visitOfSize(t *testing.T, seed uint64, facilityID string, team []string, ops int, start time.Time) bench.Visit {
	t.Helper()
	templates, err := schema.DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	tmpl := templates[0]
	perLocation, visitItems := 1, 0
	for _, it := range tmpl.Items {
		if it.Scope == schema.ScopeLocation {
			perLocation++
		} else {
			visitItems++
		}
	}
	locations := max(1, (ops-2-visitItems+perLocation/2)/perLocation)
	return bench.NewGenerator(tmpl, seed).NewVisit(facilityID, team, locations, start)
}

// signIn opens the app on the proxy and signs username in.
func signIn(t *testing.T, ctx context.Context, base, username string) {
	t.Helper()
	do(t, ctx, "open the app", chromedp.Navigate(base+"/"), chromedp.WaitVisible("#username"))
	do(t, ctx, "sign in", chromedp.SendKeys("#username", username), chromedp.SendKeys("#password", "password-"+username), chromedp.Click("#signin-submit"))
	waitFor(t, ctx, "facility list", `document.querySelectorAll('#facility-list a.card').length >= 1`, 30*time.Second)
}

// watchLongTasks starts collecting the main thread's long tasks in the page.
const watchLongTasks = `(() => { window.__long = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration), (window.__longAt = window.__longAt || []).push([Math.round(e.startTime), Math.round(e.duration)]); }).observe({ type: 'longtask', buffered: false }); return true; })()`

type pushRun struct {
	ops       int
	ms        float64
	wireBytes int64
	pushes    int
	maxTaskMs float64
}

// pushVisit queues a full visit on the phone while it is offline, then brings
// the link up and measures until every operation is acknowledged and the
// pull after it is done.
func pushVisit(t *testing.T, ctx context.Context, wire *wireCounter, l link, seed uint64, facilityID, userID string) pushRun {
	t.Helper()
	emulate(t, ctx, nil, 1)
	v := fullVisit(t, seed, facilityID, []string{userID})
	recs, _ := json.Marshal(v.Records)
	n := eval[int](t, ctx, `(async (recs) => { for (const r of recs) await inspecta.store.change(r.Type, r.ID, r.Fields); return inspecta.store.outboxCount(); })(`+string(recs)+`)`)
	if n != len(v.Records) {
		t.Fatalf("outbox = %d; want %d", n, len(v.Records))
	}
	wire.reset()
	eval[bool](t, ctx, watchLongTasks)
	emulate(t, ctx, &l, 4)
	stopTrace := startTrace(t, ctx)
	ms := eval[float64](t, ctx, `(async () => {
		const t0 = performance.now();
		window.__phases = [];
		window.__statuses = []; // the status line as the member read it (app.js draws it before this listener runs)
		inspecta.syncer.onStatus((s) => {
			window.__phases.push([Math.round(performance.now() - t0), s.sending ? 'send ' + s.sending.done : s.pulling ? 'pull ' + s.pulling.pages : s.running ? 'run' : 'idle']);
			const line = document.getElementById('sync-status');
			if (line) window.__statuses.push(line.textContent);
		});
		for (let i = 0; i < 200 && (await inspecta.store.outboxCount()) > 0; i++) {
			await inspecta.syncer.sync().catch(() => {});
			if ((await inspecta.store.outboxCount()) > 0) await new Promise((r) => setTimeout(r, 200));
		}
		return performance.now() - t0; })()`)
	stopTrace()
	emulate(t, ctx, nil, 1)
	if left := eval[int](t, ctx, `inspecta.store.outboxCount()`); left != 0 {
		t.Fatalf("%s: %d operations still waiting", l.name, left)
	}
	maxTask := eval[float64](t, ctx, `Math.max(0, ...window.__long)`)
	// Honest status: while the visit goes up the line says how many of all
	// the operations are sent and at what rate ("Sending 400 of 1,092 · 12.5
	// KB/s"), in the app's language, never a bare "Syncing".
	if !eval[bool](t, ctx, fmt.Sprintf(`import('/i18n.js').then((m) => {
		const [pre, post] = m.t('sending_n_of_m', { n: '\u0001', m: m.fmtNum(%d) }).split('\u0001');
		const rate = m.t('rate_kbs', { r: '\u0001' }).split('\u0001')[1];
		return window.__statuses.some((s) => s.includes(pre) && s.includes(post) && s.includes(rate));
	})`, n)) {
		t.Errorf("%s: the status line never said how many of the %d operations were sent and at what rate; it said: %s", l.name, n, eval[string](t, ctx, `JSON.stringify([...new Set(window.__statuses)])`))
	}
	if os.Getenv("INSPECTA_WEAKLINK_DEBUG") != "" {
		t.Logf("long tasks [start, ms]: %s; phases: %s", eval[string](t, ctx, `JSON.stringify(window.__longAt || [])`), eval[string](t, ctx, `JSON.stringify(window.__phases || [])`))
	}
	wire.mu.Lock()
	defer wire.mu.Unlock()
	return pushRun{ops: n, ms: ms, wireBytes: wire.pushBytes, pushes: wire.pushes, maxTaskMs: maxTask}
}

func TestWeakLinkPush(t *testing.T) {
	requireChromium(t)
	f := newFixture(t)
	wire, base := newWireCounter(t, f.srv.URL)
	b := newBrowser(t)
	tab, closeTab := b.tab(false)
	defer closeTab()
	signIn(t, tab, base, "m1")
	// The first sync of sign-in is done: what follows is the visit's own traffic.
	waitFor(t, tab, "first sync", `inspecta.syncer.state.lastSync !== null && !inspecta.syncer.state.running`, 30*time.Second)

	links := []link{slow3G}
	if fullRuns {
		links = append(links, up100, up20)
	}
	queued := 0
	for i, l := range links {
		r := pushVisit(t, tab, wire, l, uint64(i+1), f.ivs, f.m1)
		queued += r.ops
		t.Logf("%s: %d operations in %.1f s, %d pushes, %.1f KB on the wire (push bodies), longest main-thread task %.0f ms",
			l.name, r.ops, r.ms/1000, r.pushes, float64(r.wireBytes)/1024, r.maxTaskMs)
		if r.wireBytes > 70*1024 {
			t.Errorf("%s: %d bytes of pushes on the wire for a full visit; want ≤ 70 KB", l.name, r.wireBytes)
		}
		wire.mu.Lock()
		if wire.gzipped != wire.pushes {
			t.Errorf("%s: %d of %d pushes gzipped; want all", l.name, wire.gzipped, wire.pushes)
		}
		echoed := 0
		for id := range wire.pulledIDs {
			if strings.HasPrefix(id, "observation/") || strings.HasPrefix(id, "location/") {
				echoed++
			}
		}
		v11, pages := wire.v11, wire.pages
		wire.mu.Unlock()
		if pages == 0 {
			t.Errorf("%s: no pull answer after the push (neither a pull nor one inside the push's answer); the echo check saw nothing", l.name)
		}
		if echoed > 0 && !v11 {
			t.Logf("%s: the phone downloaded %d of its own records again (a server before protocol 1.1 echoes)", l.name, echoed)
		} else if echoed > 0 {
			t.Errorf("%s: the phone downloaded %d of its own records again; want none (no echo)", l.name, echoed)
		}
		// Issue 20: no main-thread task over 100 ms during a sync. Asserted in
		// the long runs only: on 2 shared cores under load a single task of the
		// browser's own can take far longer whatever the app does.
		if fullRuns && r.maxTaskMs > 100 {
			t.Errorf("%s: the longest main-thread task during the push took %.0f ms; want at most 100 ms", l.name, r.maxTaskMs)
		}
		if fullRuns && l.targetPush > 0 && time.Duration(r.ms)*time.Millisecond > l.targetPush {
			t.Errorf("%s: a full visit took %.1f s; want under %s", l.name, r.ms/1000, l.targetPush)
		}
	}
	// Every operation the phone queued is stored, applied, once.
	var applied, other int
	err := f.srv.DB().Read(context.Background(), func(tx *store.Tx) error {
		return tx.QueryRow(`SELECT COALESCE(SUM(status = 'applied'), 0), COALESCE(SUM(status <> 'applied'), 0) FROM ops WHERE user_id = ?`, f.m1).Scan(&applied, &other)
	})
	if err != nil {
		t.Fatal(err)
	}
	if applied != queued || other != 0 {
		t.Errorf("the server holds %d applied and %d other operations of the phone; want the %d queued, applied", applied, other, queued)
	}
	if errs := b.unexpectedErrors(); len(errs) > 0 {
		t.Errorf("page errors: %v", errs)
	}
}

// TestWeakLinkFirstSync: a new phone of a member with past visits on the
// server, on slow 3G at 4× CPU. The past visits are approved but the last,
// which is still open. Ready to work: the facility list shows, every visit
// is on the phone and so is everything under the open visit; then the whole
// history. The suite seeds 3 small visits and checks the order (the working
// set — what is under the open and the latest approved visit — arrives
// before the oldest visit's records) and logs the main thread's longest
// task; then the oldest visit, kept packed on the phone (store.js, "Packed
// history"), is opened offline with its places and answers.
// INSPECTA_WEAKLINK=1 seeds 20 full visits and asserts issue 20's
// targets (ready in 15 s, everything in 60 s, no task over 100 ms).
func TestWeakLinkFirstSync(t *testing.T) {
	requireChromium(t)
	f := newFixture(t)
	visits, size := 3, 150
	if n, err := strconv.Atoi(os.Getenv("INSPECTA_WEAKLINK_VISITS")); err == nil {
		visits, size = n, 1091 // a debugging aid: n full visits
	}
	if fullRuns {
		visits = 20
		size = 1091
	}
	// The member's past visits, pushed by the Go client from another device,
	// approved by the coordinator but the last.
	ctx := context.Background()
	c, err := isync.Login(ctx, nil, f.srv.URL, "m1", "password-m1", "old phone")
	if err != nil {
		t.Fatal(err)
	}
	c.Gzip = true
	coord := f.srv.login("c1")
	records := 0
	var visitIDs []string
	under := map[string][]string{} // visit id → keys of the records under it
	for i := range visits {
		v := visitOfSize(t, uint64(100+i), f.ivs, []string{f.m1}, size, time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC).AddDate(0, 0, 14*i))
		for _, r := range v.Records {
			if _, err := c.Upsert(r.Type, r.ID, r.Fields); err != nil {
				t.Fatal(err)
			}
			if r.Type != "visit" {
				under[v.ID] = append(under[v.ID], string(r.Type)+"/"+r.ID)
			}
		}
		if err := c.Push(ctx); err != nil {
			t.Fatal(err)
		}
		if i < visits-1 {
			f.srv.approveShown(v.ID, coord, nil)
		}
		visitIDs = append(visitIDs, v.ID)
		records += len(v.Records) - 1 // the visit record is written twice
	}
	open := visitIDs[visits-1]
	wire, base := newWireCounter(t, f.srv.URL)
	b := newBrowser(t)
	tab, closeTab := b.tab(false)
	defer closeTab()
	do(t, tab, "open the app", chromedp.Navigate(base+"/"), chromedp.WaitVisible("#username"))
	emulate(t, tab, &slow3G, 4)
	do(t, tab, "sign in", chromedp.SendKeys("#username", "m1"), chromedp.SendKeys("#password", "password-m1"))
	// The main thread's tasks are watched from the tap that signs in: the sync starts there.
	eval[bool](t, tab, watchLongTasks)
	stopProfile := startProfile(t, tab)
	stopTrace := startTrace(t, tab)
	start := time.Now()
	eval[bool](t, tab, `(window.__signInAt = performance.now(), true)`)
	do(t, tab, "submit", chromedp.Click("#signin-submit"))
	waitFor(t, tab, "ready to work", fmt.Sprintf(`document.querySelectorAll('#facility-list a.card').length >= 1 &&
		inspecta.store.all('visit').then(v => v.length === %d &&
		inspecta.store.db.countFromIndex('records', 'visit_id', %q).then(n => n >= %d))`, visits, open, len(under[open])+1), 5*time.Minute)
	ready := time.Since(start)
	t.Logf("working set applied %.1f s after sign-in; the screen showed it at %.1f s",
		eval[float64](t, tab, `(inspecta.syncer.stats.workingSetAt - window.__signInAt) / 1000`), ready.Seconds())
	// A member enters answers in the open visit while the history comes.
	var locations []string
	for _, k := range under[open] {
		if id, ok := strings.CutPrefix(k, "location/"); ok {
			locations = append(locations, id)
		}
	}
	answers := 10
	if fullRuns {
		answers = 50
	}
	p90, longestInput, runningFirst, runningLast := enterAnswers(t, tab, base, open, locations, answers)
	t.Logf("%d answers entered (sync running at the first: %v, at the last: %v): input to paint p90 %.0f ms, longest %.0f ms",
		answers, runningFirst, runningLast, p90, longestInput)
	if fullRuns && p90 >= 100 {
		t.Errorf("input to paint while a sync runs: p90 %.0f ms; want under 100 ms", p90)
	}
	// Ready to work before the history is in: the first answer is typed while
	// the first sync still runs, so the figure above is "while a sync runs".
	if fullRuns && !runningFirst {
		t.Errorf("the first sync had ended before the first answer was typed (ready at %.1f s): the app was not shown usable before the history, nor input to paint measured during it", ready.Seconds())
	}
	waitFor(t, tab, "whole history", fmt.Sprintf(`!inspecta.syncer.state.running && inspecta.syncer.state.lastSync !== null &&
		inspecta.store.db.count('records').then(r => inspecta.store.db.countFromIndex('packs', 'keys').then(p => r + p >= %d))`, records), 5*time.Minute)
	full := time.Since(start)
	stopProfile()
	stopTrace()
	emulate(t, tab, nil, 1)
	maxTask := eval[float64](t, tab, `Math.max(0, ...window.__long)`)
	over := eval[int](t, tab, `window.__long.filter((d) => d > 100).length`)
	// Every record once (rows and packed history; this read of every packed row is not timed).
	if n := eval[int](t, tab, `inspecta.store.countRecords()`); n < records {
		t.Errorf("the phone holds %d records; want at least the %d of the past visits", n, records)
	}
	if fullRuns && len(locations) > 2*answers/5 {
		// The same typing with no history coming: what the screen costs by itself at 4× CPU.
		emulate(t, tab, &slow3G, 4)
		p90, longest, _, _ := enterAnswers(t, tab, base, open, locations[answers/5:], answers)
		emulate(t, tab, nil, 1)
		t.Logf("the same %d answers typed after the history is in: input to paint p90 %.0f ms, longest %.0f ms", answers, p90, longest)
	}
	// An old approved visit, kept packed, opens offline with its places and answers.
	oldest := visitIDs[0]
	var oldPlaces []string
	for _, k := range under[oldest] {
		if id, ok := strings.CutPrefix(k, "location/"); ok {
			oldPlaces = append(oldPlaces, id)
		}
	}
	if visits >= 3 {
		if !eval[bool](t, tab, fmt.Sprintf(`inspecta.store.packedVisits.has(%q)`, oldest)) {
			t.Errorf("the oldest approved visit is not kept packed")
		}
		do(t, tab, "open an old visit", chromedp.Navigate(base+"/#/visit/"+oldest))
		waitFor(t, tab, "its places", fmt.Sprintf(`document.querySelectorAll('a.card[href^="#/visit/%s/check/"]').length === %d`, oldest, len(oldPlaces)), 30*time.Second)
		do(t, tab, "open an old place", chromedp.Navigate(fmt.Sprintf("%s/#/visit/%s/check/%s", base, oldest, oldPlaces[0])))
		waitFor(t, tab, "its answers", `[...document.querySelectorAll('input[data-item]')].some((el) => el.type === 'radio' || el.type === 'checkbox' ? el.checked : el.value !== '')`, 30*time.Second)
	}
	t.Logf("pages [changes, working set, packed, apply ms]: %s", eval[string](t, tab, `JSON.stringify(inspecta.syncer.stats.pages.map(p => [p.changes, p.work ? 1 : 0, p.packed, p.applyMs]))`))
	if os.Getenv("INSPECTA_WEAKLINK_DEBUG") != "" {
		t.Logf("long tasks [start, ms]: %s", eval[string](t, tab, `JSON.stringify(window.__longAt || [])`))
	}
	wire.mu.Lock()
	pulled, pullBytes := wire.pulled, wire.pullBytes
	// The working set (everything under the open visit and the latest
	// approved one) first arrived before anything under the older visits.
	lastWork, firstHistory := -1, len(wire.firstAt)
	for _, v := range visitIDs[visits-2:] {
		for _, k := range under[v] {
			at, ok := wire.firstAt[k]
			if !ok {
				t.Errorf("%s of the working set never came", k)
			}
			lastWork = max(lastWork, at)
		}
	}
	for _, v := range visitIDs[:visits-2] {
		for _, k := range under[v] {
			if at, ok := wire.firstAt[k]; ok {
				firstHistory = min(firstHistory, at)
			}
		}
	}
	wire.mu.Unlock()
	if lastWork > firstHistory {
		t.Errorf("a history record came as change %d, before the working set was complete (its last came as change %d)", firstHistory, lastWork)
	}
	t.Logf("new phone, %d past visits (%d records) on slow 3G at 4x CPU: ready to work in %.1f s, whole history in %.1f s; %d changes in %.0f KB of pull answers; longest main-thread task %.0f ms, %d tasks over 100 ms",
		visits, records, ready.Seconds(), full.Seconds(), pulled, float64(pullBytes)/1024, maxTask, over)
	// The bound is asserted in the long runs only: on 2 shared cores under
	// load a single task can take a second whatever the app does (the node
	// test firstsync.test.js checks the slicing itself).
	if fullRuns && maxTask > 100 {
		t.Errorf("the longest main-thread task took %.0f ms; want at most 100 ms", maxTask)
	}
	if fullRuns && (ready > 15*time.Second || full > 60*time.Second) {
		t.Errorf("ready in %s, whole history in %s; want under 15 s and 60 s", ready, full)
	}
}

// startSampling starts the JavaScript sampling profiler of the page, every
// 500 µs, on the same clock as a trace.
func startSampling(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Call(ctx, profiler.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, profiler.SetSamplingInterval, profiler.SetSamplingIntervalParams{Interval: 500}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, profiler.Start, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
}

// startProfile starts the JavaScript sampling profiler when
// INSPECTA_WEAKLINK_PROFILE=1 (a debugging aid); the returned function stops
// it and logs, for every busy stretch of the main thread over 50 ms, where
// its time went.
func startProfile(t *testing.T, ctx context.Context) func() {
	if os.Getenv("INSPECTA_WEAKLINK_PROFILE") == "" {
		return func() {}
	}
	startSampling(t, ctx)
	return func() {
		res, err := chromedp.Call(ctx, profiler.Stop, cdp.Empty{})
		if err != nil {
			t.Fatal(err)
		}
		p := res.Profile
		byID := map[int64]*profiler.ProfileNode{}
		for _, n := range p.Nodes {
			byID[n.ID] = n
		}
		name := func(id int64) string {
			n := byID[id]
			cf := n.CallFrame
			file := cf.URL[strings.LastIndex(cf.URL, "/")+1:]
			return fmt.Sprintf("%s %s:%d", cf.FunctionName, file, cf.LineNumber+1)
		}
		var stretch map[string]float64
		var begin, at, busy float64
		flush := func() {
			if busy > 50000 {
				type kv struct {
					k string
					v float64
				}
				var list []kv
				for k, v := range stretch {
					list = append(list, kv{k, v})
				}
				slices.SortFunc(list, func(a, b kv) int { return int(b.v - a.v) })
				var parts []string
				for _, e := range list[:min(6, len(list))] {
					parts = append(parts, fmt.Sprintf("%s %.0f", e.k, e.v/1000))
				}
				t.Logf("busy %.0f ms at %.0f ms: %s", busy/1000, (begin-p.StartTime)/1000, strings.Join(parts, "; "))
			}
			stretch, busy = map[string]float64{}, 0
		}
		stretch = map[string]float64{}
		at = p.StartTime
		for i, id := range p.Samples {
			dt := float64(p.TimeDeltas[i])
			at += dt
			n := name(id)
			if strings.HasPrefix(n, "(idle)") {
				flush()
				continue
			}
			if busy == 0 {
				begin = at
			}
			busy += dt
			stretch[n] += dt
		}
		flush()
	}
}

// watchInputToPaint starts collecting, with Event Timing, the longest
// duration (input to next paint) of every interaction of 16 ms or more.
const watchInputToPaint = `(() => { window.__inp = new Map(); new PerformanceObserver((l) => { for (const e of l.getEntries()) if (e.interactionId) window.__inp.set(e.interactionId, Math.max(window.__inp.get(e.interactionId) || 0, e.duration)); }).observe({ type: 'event', durationThreshold: 16, buffered: false }); return true; })()`

// enterAnswers types n answers into number inputs of a visit's location
// pages (5 a page), as a member does: keys "1", "2", then Tab. It returns
// the 90th percentile of input to paint over the 3n interactions (those
// under 16 ms are not reported and count as 16), the longest, and whether
// a sync was running when the first and the last answer were entered.
func enterAnswers(t *testing.T, ctx context.Context, base, visitID string, locations []string, n int) (p90, longest float64, runningFirst, runningLast bool) {
	t.Helper()
	eval[bool](t, ctx, watchInputToPaint)
	entered := 0
	for _, loc := range locations {
		if entered == n {
			break
		}
		do(t, ctx, "open a location", chromedp.Navigate(fmt.Sprintf("%s/#/visit/%s/check/%s", base, visitID, loc)))
		waitFor(t, ctx, "its inputs", `document.querySelectorAll('input[data-item][inputmode]').length > 0`, 30*time.Second)
		count := eval[int](t, ctx, `document.querySelectorAll('input[data-item][inputmode]').length`)
		for i := 0; i < min(5, count) && entered < n; i++ {
			sel := fmt.Sprintf(`(document.querySelectorAll('input[data-item][inputmode]')[%d])`, i)
			if entered == 0 {
				runningFirst = eval[bool](t, ctx, `inspecta.syncer.state.running`)
			}
			eval[bool](t, ctx, `(() => { const el = `+sel+`; el.id = el.id || 'answer-under-test'; el.focus(); el.select(); return true; })()`)
			id := eval[string](t, ctx, sel+`.id`)
			// A redraw after a pulled page can replace the input between
			// finding it and typing (the view keeps its id and value): type again.
			var err error
			for try := 0; try < 5; try++ {
				tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
				err = chromedp.Do(tctx, chromedp.SendKeys("#"+id, "12"+kb.Tab))
				cancel()
				if err == nil {
					break
				}
			}
			if err != nil {
				t.Fatalf("type an answer: %v", err)
			}
			entered++
			if entered == n {
				runningLast = eval[bool](t, ctx, `inspecta.syncer.state.running`)
			}
		}
	}
	if entered < n {
		t.Fatalf("entered %d answers; want %d", entered, n)
	}
	// Event Timing reports an interaction after its paint: wait for the last ones.
	waitFor(t, ctx, "the last interactions reported", `new Promise((r) => requestAnimationFrame(() => setTimeout(() => r(true), 200)))`, 10*time.Second)
	reported := eval[[]float64](t, ctx, `[...window.__inp.values()]`)
	all := make([]float64, 3*n)
	for i := range all {
		all[i] = 16
	}
	copy(all, reported)
	slices.Sort(all)
	return all[len(all)*9/10], all[len(all)-1], runningFirst, runningLast
}
