package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	gosync "sync"
	"time"

	"inspecta/internal/exiffixture"
	"inspecta/schema"
	"inspecta/store"
	isync "inspecta/sync"
)

// photoRow (issue 18): a member's photos sent over a weak link: a
// connection limited to PhotoLinkBits per second each way, on which a
// PhotoCutShare of the chunk requests is cut at a random point. It measures
// the time until every photo is acknowledged and the bytes sent (headers,
// announcements, chunks, and the bytes of cut chunks) ÷ the photos' bytes.
func (e *env) photoRow(ctx context.Context, res *Result) error {
	member, err := e.addUser(ctx, "member-photo", schema.RoleMember, e.region)
	if err != nil {
		return err
	}
	var meter Meter
	link := &slowLink{bitsPerS: e.cfg.PhotoLinkBits}
	cutter := &cutter{rng: rand.New(rand.NewPCG(18, 5)), share: e.cfg.PhotoCutShare}
	hc := &http.Client{Transport: &cutTransport{next: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return countingConn{Conn: link.wrap(c), m: &meter}, nil
		},
		MaxIdleConnsPerHost: 2,
	}, c: cutter}}
	dev, err := e.login(ctx, "member-photo", hc)
	if err != nil {
		return err
	}
	visit, place := newID(), newID()
	if _, err := dev.Upsert("visit", visit, map[string]any{"facility_id": e.facility2, "kind": "regular",
		"started_at": visitStart(98).Format(time.RFC3339), "team": []string{member.ID}, "status": "draft"}); err != nil {
		return err
	}
	if _, err := dev.Upsert("location", place, map[string]any{"visit_id": visit, "label": "Камера 3", "kind": "cell"}); err != nil {
		return err
	}
	if err := e.push(ctx, dev); err != nil {
		return err
	}
	w, h, steps := 1600, 1200, 7
	if e.cfg.Quick {
		// Smaller pictures, less tuned: each JPEG encoded here and again
		// on the server takes seconds under the race detector.
		w, h, steps = 800, 600, 3
	}
	photos := benchPhotos(e.cfg.Photos, e.cfg.PhotoBytes, w, h, steps)
	var total int64
	for _, p := range photos {
		total += int64(len(p))
	}
	meter.Reset()
	start := time.Now()
	for i, p := range photos {
		meta := isync.PhotoMeta{ID: newID(), VisitID: visit, LocationID: place, Caption: fmt.Sprintf("Photo %d", i+1),
			TakenAt: time.Now().UTC().Format(time.RFC3339)}
		if err := dev.SendPhoto(ctx, meta, p, 50); err != nil {
			return err
		}
	}
	res.PhotoSeconds = time.Since(start).Seconds()
	up, _ := meter.Bytes()
	res.Photos, res.PhotoBytes, res.PhotoBytesSent = len(photos), total, up
	res.PhotoSentRatio = float64(up) / float64(total)
	res.PhotoCuts = cutter.cuts
	res.PhotoLinkMbit = float64(e.cfg.PhotoLinkBits) / 1e6
	var stored int
	if err := e.db.Read(ctx, func(tx *store.Tx) error {
		return tx.QueryRow("SELECT count(*) FROM photos WHERE visit_id = ? AND received_at <> ''", visit).Scan(&stored)
	}); err != nil {
		return err
	}
	if stored != len(photos) {
		return fmt.Errorf("%d of %d photos acknowledged are stored", stored, len(photos))
	}
	return nil
}

// benchPhotos makes n distinct JPEGs of about size bytes each: one picture
// of w×h pixels whose noise is tuned to the size (by halving, steps times),
// made distinct by a comment.
func benchPhotos(n, size, w, h, steps int) [][]byte {
	lo, hi := 0, 128
	var base []byte
	for range steps {
		mid := (lo + hi) / 2
		base = exiffixture.JPEG(w, h, 85, uint8(mid), 3)
		if len(base) < size {
			lo = mid
		} else {
			hi = mid
		}
	}
	out := make([][]byte, n)
	for i := range out {
		out[i] = exiffixture.WithComment(base, fmt.Sprintf("bench photo %d", i))
	}
	return out
}

// slowLink delays every read and write so that each direction carries at
// most bitsPerS (a shared budget per direction for every connection).
type slowLink struct {
	bitsPerS int64
	mu       gosync.Mutex
	upFree   time.Time // when the uplink is free again
	downFree time.Time
}

func (l *slowLink) wrap(c net.Conn) net.Conn { return &slowConn{Conn: c, l: l} }

// wait reserves n bytes of one direction and sleeps until they have passed.
func (l *slowLink) wait(free *time.Time, n int) {
	if l.bitsPerS <= 0 || n <= 0 {
		return
	}
	d := time.Duration(int64(n) * 8 * int64(time.Second) / l.bitsPerS)
	l.mu.Lock()
	now := time.Now()
	if free.Before(now) {
		*free = now
	}
	*free = free.Add(d)
	until := *free
	l.mu.Unlock()
	time.Sleep(time.Until(until))
}

type slowConn struct {
	net.Conn
	l *slowLink
}

func (c *slowConn) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 { // small pieces, so that a cut stops a chunk part-way
		k := min(len(p), 4096)
		c.l.wait(&c.l.upFree, k)
		n, err := c.Conn.Write(p[:k])
		written += n
		if err != nil {
			return written, err
		}
		p = p[k:]
	}
	return written, nil
}

func (c *slowConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.l.wait(&c.l.downFree, n)
	return n, err
}

// cutter decides which chunk requests are cut, and where.
type cutter struct {
	mu    gosync.Mutex
	rng   *rand.Rand
	share float64
	cuts  int
}

func (c *cutter) cutAt(n int64) (int64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n <= 0 || c.rng.Float64() >= c.share {
		return 0, false
	}
	c.cuts++
	return c.rng.Int64N(n), true
}

// cutTransport cuts the chosen chunk requests: their body fails part-way,
// so the connection breaks with some of the bytes sent.
type cutTransport struct {
	next http.RoundTripper
	c    *cutter
}

var errCut = errors.New("bench: link cut")

func (t *cutTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method != http.MethodPut || !strings.HasSuffix(r.URL.Path, "/content") || r.Body == nil {
		return t.next.RoundTrip(r)
	}
	at, cut := t.c.cutAt(r.ContentLength)
	if !cut {
		return t.next.RoundTrip(r)
	}
	body, _ := io.ReadAll(r.Body)
	r2 := r.Clone(r.Context())
	r2.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body[:at]), errReader{}))
	return t.next.RoundTrip(r2)
}

// CloseIdleConnections lets the client close idle connections.
func (t *cutTransport) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errCut }
