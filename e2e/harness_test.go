// Package e2e drives the real field app in Debian's headless Chromium
// (through chromedp) against a real Inspecta server on a real SQLite file.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"inspecta/client"
	"inspecta/server"
	"inspecta/store"
)

const chromiumPath = "/usr/bin/chromium"

// requireChromium skips the test when Chromium is missing, or fails it on CI.
func requireChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing; CI must run the browser tests (apt-get install -y chromium)", chromiumPath)
		}
		t.Skipf("%s is missing: install Debian's chromium to run the browser tests", chromiumPath)
	}
}

// appServer is a real Inspecta server on a fixed 127.0.0.1 port that can be
// stopped (a real outage: the port refuses connections) and started again on
// the same port and the same database file.
type appServer struct {
	t      *testing.T
	dbPath string
	addr   string
	URL    string

	mu sync.Mutex
	db *store.DB
	hs *http.Server

	// bytesOut counts response body bytes written, for the transfer check.
	bytesOut atomic.Int64
}

func newAppServer(t *testing.T) *appServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &appServer{t: t, dbPath: filepath.Join(t.TempDir(), "inspecta.db"), addr: ln.Addr().String()}
	s.URL = "http://" + s.addr
	s.serve(ln)
	t.Cleanup(s.Stop)
	return s
}

// Start starts the server again on its address and database file.
func (s *appServer) Start() {
	s.t.Helper()
	var ln net.Listener
	var err error
	for range 50 { // the port may linger for a moment after Stop
		if ln, err = net.Listen("tcp", s.addr); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		s.t.Fatalf("listen again on %s: %v", s.addr, err)
	}
	s.serve(ln)
}

func (s *appServer) serve(ln net.Listener) {
	s.t.Helper()
	db, err := store.Open(context.Background(), s.dbPath)
	if err != nil {
		s.t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() && os.Getenv("INSPECTA_TEST_SERVER_LOG") != "" {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	srv := server.New(db, log)
	srv.Client = client.Files()
	hs := &http.Server{Handler: s.wrap(srv, db), ReadHeaderTimeout: 10 * time.Second}
	s.mu.Lock()
	s.db, s.hs = db, hs
	s.mu.Unlock()
	go hs.Serve(ln)
}

// Stop closes the listener, every connection and the database.
func (s *appServer) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hs == nil {
		return
	}
	s.hs.Close()
	s.db.Close()
	s.hs, s.db = nil, nil
}

// DB returns the open database (the server must be running).
func (s *appServer) DB() *store.DB {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.db
}

// wrap counts the bytes served.
func (s *appServer) wrap(srv http.Handler, db *store.DB) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		srv.ServeHTTP(&countingWriter{ResponseWriter: w, n: &s.bytesOut}, r)
	})
}

type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.ResponseWriter.Write(b)
	c.n.Add(int64(n))
	return n, err
}

func (c *countingWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

// addUser creates a user with the password "password-<username>".
func (s *appServer) addUser(username, name, role, region string) string {
	s.t.Helper()
	var id string
	err := s.DB().Write(context.Background(), func(tx *store.Tx) error {
		u, err := tx.CreateUser(store.NewUser{Username: username, Name: name, Role: role, Region: region, Password: "password-" + username})
		if u != nil {
			id = u.ID
		}
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return id
}

// apiCall calls the JSON API and decodes the answer into out.
func (s *appServer) apiCall(method, path, token string, body, out any) {
	s.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.URL+path, r)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		s.t.Fatalf("%s %s = %d %s", method, path, resp.StatusCode, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			s.t.Fatalf("%s %s: decode %s: %v", method, path, data, err)
		}
	}
}

func (s *appServer) login(username string) string {
	var out struct {
		Token string `json:"token"`
	}
	s.apiCall("POST", "/api/v1/auth/login", "", map[string]string{"username": username, "password": "password-" + username, "device_name": "e2e setup"}, &out)
	return out.Token
}

// ------------------------------------------------------------------ browser

// browser is one Chromium process with a fresh profile.
type browser struct {
	t   *testing.T
	ctx context.Context // the browser's first tab; children are new tabs

	mu     sync.Mutex
	errors []string // uncaught exceptions and console errors seen in any tab
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	return newBrowserWith(t)
}

// newBrowserWith starts a browser with extra command-line options (such as its language).
func newBrowserWith(t *testing.T, extra ...chromedp.ExecAllocatorOption) *browser {
	t.Helper()
	requireChromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox, chromedp.Headless, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(360, 740),
	}
	opts = append(opts, extra...)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelB := chromedp.NewContext(actx)
	if err := chromedp.Do(bctx); err != nil {
		cancelB()
		cancelA()
		t.Fatalf("start chromium: %v", err)
	}
	t.Cleanup(func() { cancelB(); cancelA() })
	return &browser{t: t, ctx: bctx}
}

// tab opens a new tab (in the same profile, or in a new browser context for a
// second device) at a 360×740 mobile viewport.
func (b *browser) tab(newDevice bool) (context.Context, context.CancelFunc) {
	b.t.Helper()
	var opts []chromedp.ContextOption
	if newDevice {
		opts = append(opts, chromedp.WithNewBrowserContext())
	}
	ctx, cancel := chromedp.NewContext(b.ctx, opts...)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulateScale(2))); err != nil {
		cancel()
		b.t.Fatalf("open tab: %v", err)
	}
	if err := chromedp.Listen(ctx, b.collectErrors); err != nil {
		b.t.Fatal(err)
	}
	return ctx, cancel
}

// do runs steps with a deadline and fails the test with the step's name.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JS expression (promises awaited) and returns its value.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	v, err := chromedp.Run(tctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("eval %s: %v", expr, err)
	}
	return v
}

// waitFor polls a JS predicate until it is true or the deadline passes.
func waitFor(t *testing.T, ctx context.Context, what, predicate string, deadline time.Duration) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, deadline+5*time.Second)
	defer cancel()
	// A page redrawn between two polls may lack an element for a moment: that is "not yet".
	safe := "(async () => { try { return await (" + predicate + "); } catch (e) { return false; } })()"
	_, err := chromedp.Run(tctx, chromedp.Poll[chromedp.Void](safe,
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(deadline)))
	if err != nil {
		state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.hash + ' | ' + (document.querySelector('#sync-status')||{}).textContent + ' | ' + document.querySelector('main').innerText.slice(0, 400)`))
		t.Fatalf("waiting for %s (%s): %v\npage: %s", what, predicate, err, state)
	}
}

var screenshotDir = sync.OnceValue(func() string {
	dir := os.Getenv("INSPECTA_TEST_OUTPUT")
	if dir == "" {
		dir = filepath.Join("..", "test-output", "screenshots")
	}
	os.MkdirAll(dir, 0o755)
	return dir
})

// screenshot writes the viewport of the tab to <dir>/<name>.png.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(screenshotDir(), name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func js(s string) string { b, _ := json.Marshal(s); return string(b) }

// setValue types a value into an input the way a change by hand ends: input, then change.
func setValue(t *testing.T, ctx context.Context, selector, value string) {
	t.Helper()
	ok := eval[bool](t, ctx, fmt.Sprintf(`(() => { const el = document.querySelector(%s); if (!el) return false;
		el.focus(); el.value = %s; el.dispatchEvent(new Event('input', {bubbles: true}));
		el.dispatchEvent(new Event('change', {bubbles: true})); el.blur(); return true; })()`, js(selector), js(value)))
	if !ok {
		t.Fatalf("no element %s", selector)
	}
}

// click taps the element selector names. The app redraws a screen in place
// when a pull or a change of language comes, so the node found may be gone
// before the tap reaches it: then the tap is tried again on the new node, up
// to a deadline. Any other error fails at once.
func click(t *testing.T, ctx context.Context, selector string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		err := chromedp.Do(tctx, chromedp.WaitVisible(selector), chromedp.Click(selector))
		cancel()
		if err == nil {
			return
		}
		if !nodeGone(err) || time.Now().After(deadline) {
			t.Fatalf("click %s: %v", selector, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// nodeGone tells whether err says the node was removed from the page
// between being found and being used.
func nodeGone(err error) bool {
	s := err.Error()
	return strings.Contains(s, "Could not find node with given id") || strings.Contains(s, "Node is detached") ||
		strings.Contains(s, "No node with given id")
}

func (b *browser) collectErrors(ev any) {
	msg := describeError(ev)
	if msg == "" {
		return
	}
	b.mu.Lock()
	b.errors = append(b.errors, msg)
	b.mu.Unlock()
}

// unexpectedErrors returns the page errors seen, minus those an outage causes.
func (b *browser) unexpectedErrors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, e := range b.errors {
		if strings.Contains(e, "Failed to fetch") || strings.Contains(e, "ERR_CONNECTION_REFUSED") || strings.Contains(e, "net::") {
			continue
		}
		out = append(out, e)
	}
	return out
}

// approveShown approves a visit through the API as the desk does: with the
// digest of the publication check it has just read (an approval without it
// is refused, publication_check_stale). out, if not nil, gets the answer.
func (s *appServer) approveShown(visitID, token string, out any) {
	s.t.Helper()
	var pc struct {
		Digest string `json:"digest"`
	}
	s.apiCall("GET", "/api/v1/visits/"+visitID+"/publication-check", token, nil, &pc)
	s.apiCall("POST", "/api/v1/visits/"+visitID+"/approve", token, map[string]any{"publication_check": pc.Digest}, out)
}
