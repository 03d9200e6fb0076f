package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	_ "image/jpeg"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"inspecta/internal/exiffixture"
	"inspecta/store"
)

// cuttingLink is the phone's link to the server: a proxy that can be down
// (every connection closed at once: the phone is offline) and that cuts the
// connection of the next photo chunks after 60 % of their bytes reached the
// server. It records where each chunk started.
type cuttingLink struct {
	URL     string
	offline atomic.Bool
	cuts    atomic.Int32 // chunks still to cut

	mu      sync.Mutex
	offsets []int64 // offset of every chunk request, in order
	cutAt   []int64 // bytes of the server's upload after each cut
	sent    int64   // chunk body bytes that reached the server
}

type cutBody struct {
	r    io.Reader
	left int64
	n    *int64
}

func (c *cutBody) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, fmt.Errorf("link cut")
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	*c.n += int64(n)
	return n, err
}

func (c *cutBody) Close() error { return nil }

func newCuttingLink(t *testing.T, backend string) *cuttingLink {
	t.Helper()
	target, _ := url.Parse(backend)
	proxy := httputil.NewSingleHostReverseProxy(target)
	l := &cuttingLink{}
	drop := func(w http.ResponseWriter) {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.(*net.TCPConn).SetLinger(0)
				conn.Close()
			}
		}
	}
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if l.offline.Load() {
			drop(w)
			return
		}
		if r.Method != http.MethodPut || !strings.HasSuffix(r.URL.Path, "/content") {
			proxy.ServeHTTP(w, r)
			return
		}
		off, _ := strconv.ParseInt(r.URL.Query().Get("offset"), 10, 64)
		l.mu.Lock()
		l.offsets = append(l.offsets, off)
		l.mu.Unlock()
		var n int64
		if l.cuts.Load() > 0 && r.ContentLength > 0 {
			l.cuts.Add(-1)
			// 60 % of the chunk reaches the server, then the link breaks both ways.
			req, _ := http.NewRequest(r.Method, backend+r.URL.RequestURI(), &cutBody{r: r.Body, left: r.ContentLength * 6 / 10, n: &n})
			req.Header = r.Header.Clone()
			req.ContentLength = r.ContentLength
			if resp, err := http.DefaultTransport.RoundTrip(req); err == nil {
				resp.Body.Close()
			}
			l.mu.Lock()
			l.sent += n
			l.cutAt = append(l.cutAt, off+n)
			l.mu.Unlock()
			// The server notices the cut at once here (on a real link it may
			// take it longer; the phone then gets a 409 with the offset).
			waitReceived(backend+strings.TrimSuffix(r.URL.Path, "/content"), r.Header.Get("Authorization"), off+n)
			drop(w)
			return
		}
		r.Body = &cutBody{r: r.Body, left: 1 << 40, n: &n}
		proxy.ServeHTTP(w, r)
		l.mu.Lock()
		l.sent += n
		l.mu.Unlock()
	})}
	// A fresh connection per request: Chromium sends a request again by
	// itself when a reused connection breaks before any answer, which would
	// hide the app's own resuming.
	hs.SetKeepAlivesEnabled(false)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	l.URL = "http://" + ln.Addr().String()
	return l
}

// waitReceived polls the photo's record until the server has want bytes of
// it (at most 10 s).
func waitReceived(photoURL, auth string, want int64) {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		req, _ := http.NewRequest("GET", photoURL, nil)
		req.Header.Set("Authorization", auth)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			continue
		}
		var out struct {
			Received int64 `json:"received"`
		}
		json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if out.Received >= want {
			return
		}
	}
}

// TestPhotoOfflineThroughCutLink: a photo carrying EXIF GPS and a camera
// serial is attached offline from the gallery, synced through a link cut
// twice mid-transfer, and arrives once, resumed where each cut left it, with
// no EXIF at all and at most 1,600 px; deleting it after sync deletes it on
// the server.
func TestPhotoOfflineThroughCutLink(t *testing.T) {
	requireChromium(t)
	f := newFixture(t)
	srv := f.srv
	link := newCuttingLink(t, srv.URL)
	b := newBrowser(t)
	tab, closeTab := b.tab(false)
	defer closeTab()

	// The fixture: 2,400 × 1,800 px with GPS and a serial number in its EXIF.
	raw := exiffixture.JPEG(2400, 1800, 92, 40, 18)
	if !bytes.Contains(raw, []byte(exiffixture.Serial)) {
		t.Fatal("fixture has no serial")
	}
	file := filepath.Join(t.TempDir(), "IMG_0001.jpg")
	if err := os.WriteFile(file, raw, 0o600); err != nil {
		t.Fatal(err)
	}

	signIn(t, tab, link.URL, "m1")
	link.offline.Store(true)
	click(t, tab, `#facility-list a.card[data-name^="ИВС"]`)
	click(t, tab, "#start-visit")
	waitFor(t, tab, "visit form", `!!document.querySelector('#visit-save')`, 10*time.Second)
	click(t, tab, "#visit-save")
	waitFor(t, tab, "visit hub", `/^#\/visit\/[0-9a-f-]{36}$/.test(location.hash) && document.querySelector('#add-location')`, 10*time.Second)
	setValue(t, tab, "#loc-kind", "cell")
	setValue(t, tab, "#loc-label", "Cell 7")
	click(t, tab, "#loc-add")
	waitFor(t, tab, "location", `!!document.querySelector('#location-list a.card[data-label="Cell 7"]')`, 10*time.Second)
	click(t, tab, `#location-list a.card[data-label="Cell 7"]`)
	waitFor(t, tab, "place photos", `!!document.querySelector('#place-photos input.photo-input:not([capture])')`, 10*time.Second)
	setValue(t, tab, "#place-photos-caption", "Broken window glass")
	do(t, tab, "attach from the gallery", chromedp.SetUploadFiles(`#place-photos input.photo-input:not([capture])`, []string{file}))
	waitFor(t, tab, "thumbnail waiting", `document.querySelector('#place-photos li.thumb')?.dataset.state === 'waiting'`, 20*time.Second)
	waitFor(t, tab, "status line counts the photo", `document.querySelector('#photos-waiting')?.dataset.n === '1'`, 10*time.Second)
	local := eval[map[string]any](t, tab, `inspecta.store.db.getAll('photos').then(l => ({n: l.length, size: l[0].size, w: l[0].width, h: l[0].height}))`)
	size := int64(local["size"].(float64))
	if local["n"].(float64) != 1 || local["w"].(float64) != 1600 || local["h"].(float64) != 1200 {
		t.Fatalf("kept on the phone: %v; want one photo of 1600×1200", local)
	}

	// Online again, through a link that cuts the next two chunks at 60 %.
	link.cuts.Store(2)
	link.offline.Store(false)
	syncNow(t, tab)
	defer func() {
		if t.Failed() {
			t.Logf("phone: %v", eval[string](t, tab, `inspecta.store.db.getAll('photos').then(l => JSON.stringify({rows: l.map(r => ({state: r.state, error: r.error, size: r.size})), sender: inspecta.photos.state, stats: inspecta.photos.stats, sync: String(inspecta.syncer.state.error)}))`))
		}
	}()
	waitFor(t, tab, "photo acknowledged", `document.querySelector('#place-photos li.thumb')?.dataset.state === 'sent' && !document.querySelector('#photos-waiting')`, 60*time.Second)

	link.mu.Lock()
	offsets, cutAt, sent := append([]int64{}, link.offsets...), append([]int64{}, link.cutAt...), link.sent
	link.mu.Unlock()
	t.Logf("photo of %d bytes: chunks at %v, cut with the server at %v, %d chunk bytes reached the server", size, offsets, cutAt, sent)
	if len(cutAt) != 2 {
		t.Fatalf("%d chunks were cut; want 2", len(cutAt))
	}
	// Each chunk after a cut starts where the server's bytes ended, not at 0.
	for i, c := range cutAt {
		resumed := false
		for _, o := range offsets {
			if o == c && c > 0 {
				resumed = true
			}
		}
		if !resumed {
			t.Errorf("after cut %d the server had %d bytes, but no chunk started there (chunks at %v)", i+1, c, offsets)
		}
	}
	if sent != size {
		t.Errorf("%d chunk bytes reached the server for a photo of %d: a resent byte or a gap", sent, size)
	}

	db := srv.DB()
	var photos []*store.Photo
	var blobs int
	if err := db.Read(context.Background(), func(tx *store.Tx) error {
		if err := tx.QueryRow("SELECT count(*) FROM photo_blobs").Scan(&blobs); err != nil {
			return err
		}
		rows, err := tx.Query("SELECT id FROM photos")
		if err != nil {
			return err
		}
		var ids []string
		for rows.Next() {
			var id string
			rows.Scan(&id)
			ids = append(ids, id)
		}
		rows.Close()
		for _, id := range ids {
			p, err := tx.Photo(id)
			if err != nil {
				return err
			}
			photos = append(photos, p)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(photos) != 1 || blobs != 1 || photos[0].ReceivedAt == "" {
		t.Fatalf("server holds %d photos and %d blobs; want the photo once, received", len(photos), blobs)
	}
	if photos[0].Caption != "Broken window glass" || photos[0].LocationID == "" {
		t.Errorf("server's photo: caption %q, place %q; want the caption typed, attached to the place", photos[0].Caption, photos[0].LocationID)
	}
	stored, err := os.ReadFile(db.Blobs().Path(photos[0].StoredSHA256))
	if err != nil {
		t.Fatal(err)
	}
	for _, leak := range [][]byte{[]byte("Exif"), []byte(exiffixture.Serial), []byte("DemoPhone"), {0xFF, 0xE1}} {
		if bytes.Contains(stored, leak) {
			t.Errorf("the server's file contains %q", leak)
		}
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(stored))
	if err != nil || max(cfg.Width, cfg.Height) > 1600 {
		t.Errorf("server's file: %v %v; want a picture of at most 1,600 px", cfg, err)
	}

	// Deleted after sync: the server is told.
	click(t, tab, "#place-photos .photo-delete")
	click(t, tab, "#place-photos .photo-delete")
	waitFor(t, tab, "thumbnail gone", `!document.querySelector('#place-photos li.thumb')`, 10*time.Second)
	deadline := time.Now().Add(30 * time.Second)
	for {
		var deleted string
		db.Read(context.Background(), func(tx *store.Tx) error {
			return tx.QueryRow("SELECT deleted_at FROM photos WHERE id = ?", photos[0].ID).Scan(&deleted)
		})
		if deleted != "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the photo deleted on the phone after sync is not deleted on the server")
		}
		time.Sleep(200 * time.Millisecond)
	}
	if errs := b.unexpectedErrors(); len(errs) > 0 {
		t.Errorf("errors in the page: %v", errs)
	}
}
