package sync_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	gosync "sync"
	"testing"
	"time"

	isync "inspecta/sync"
)

// TestBatchSizerFollowsTheApp: the Go client sizes its pushes by the web
// app's rules, step for step (client/test/sync.test.js, "batches start
// small, grow with what the link carries, shrink when slow, halve when cut,
// reach one"), so the benches measure what phones do (issue 20).
func TestBatchSizerFollowsTheApp(t *testing.T) {
	b := isync.NewBatchSizer(50, 30*time.Second)
	step := func(what string, want int) {
		t.Helper()
		if got := b.Size(); got != want {
			t.Fatalf("%s: size %d; want %d", what, got, want)
		}
	}
	b.OK(50, 500*time.Millisecond) // 750 would fit in a quarter of the timeout; at most 8×
	step("50 in 0.5 s", 400)
	b.OK(10, 100*time.Millisecond)
	step("the outbox ran out: no news about the link", 400)
	b.OK(400, 20*time.Second)
	step("too slow: 150 would fit, but never below half", 200)
	b.OK(200, 30*time.Second)
	step("200 in 30 s", 100)
	b.OK(100, time.Second)
	step("100 in 1 s", 750)
	for range 20 {
		b.Failed(b.Size())
	}
	step("cut again and again", 1)
	for range 20 {
		b.OK(b.Size(), 100*time.Millisecond)
	}
	step("a good link again", isync.MaxOpsPerPush)
}

// TestPushCutByAWeakLinkGoesInSmallerBatches: a link that cuts any push body
// over 1,500 bytes (the request never reaches the server) and a device whose
// last link carried 400 operations a push. Each cut push halves the next
// batch, kept across syncs, until pushes get through: every operation is
// stored once, and the Go client gets there as the web app does
// (client/test/syncnet.test.js, "pushes cut by a weak link go again in smaller
// batches until every operation is stored once").
func TestPushCutByAWeakLinkGoesInSmallerBatches(t *testing.T) {
	env := newEnv(t)
	coord := env.addUser("coordweak", "coordinator", "KZ-KAR")
	member := env.addUser("memberweak", "member", "KZ-KAR")
	facility := env.facility(coord, "SIZO No. 20")
	const limit = 1500
	var mu gosync.Mutex
	var sizes []int
	link := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/sync/push" {
			body, _ := io.ReadAll(r.Body)
			mu.Lock()
			sizes = append(sizes, len(body))
			mu.Unlock()
			if len(body) > limit {
				<-r.Context().Done() // cut on the way: the server never sees it
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		env.srv.ServeHTTP(w, r)
	}))
	defer link.Close()
	ctx := context.Background()
	c, err := isync.Login(ctx, nil, link.URL, member.Username, password(member.Username), "phone on one bar")
	if err != nil {
		t.Fatal(err)
	}
	c.Gzip = true
	c.PushTimeout = 300 * time.Millisecond
	c.State.PushBatch = 400 // what a good link carried last time
	visit := newID()
	if _, err := c.Upsert("visit", visit, map[string]any{"facility_id": facility, "kind": "regular", "started_at": "2026-11-20T09:00:00Z"}); err != nil {
		t.Fatal(err)
	}
	const places = 120
	for i := range places {
		label := fmt.Sprintf("Cell %d — a label long enough to weigh something on the wire", i+1)
		if _, err := c.Upsert("location", newID(), map[string]any{"visit_id": visit, "kind": "cell", "label": label}); err != nil {
			t.Fatal(err)
		}
	}
	queued := len(c.State.Outbox)
	syncs := 0
	for ; len(c.State.Outbox) > 0 && syncs < 40; syncs++ {
		if err := c.Push(ctx); err != nil && !cutByTimeout(err) {
			t.Fatalf("push: %v", err)
		}
	}
	if n := len(c.State.Outbox); n != 0 {
		t.Fatalf("%d operations still waiting after %d pushes; batch size now %d", n, syncs, c.State.PushBatch)
	}
	mu.Lock()
	first, last := sizes[0], sizes[len(sizes)-1]
	t.Logf("%d pushes in %d syncs, bodies of %v bytes", len(sizes), syncs, sizes)
	mu.Unlock()
	if first <= limit || last > limit {
		t.Errorf("push bodies went from %d to %d bytes; want from over %d to under it", first, last, limit)
	}
	if c.State.PushBatch >= 400 {
		t.Errorf("next batch %d operations; want under the 400 the link could not carry", c.State.PushBatch)
	}
	if n := env.count(`SELECT COUNT(*) FROM ops WHERE user_id = ? AND status = 'applied'`, member.ID); n != queued {
		t.Errorf("the server applied %d of the device's operations; want the %d queued, each once", n, queued)
	}
	if n := env.count(`SELECT COUNT(*) FROM ops WHERE user_id = ? AND status <> 'applied'`, member.ID); n != 0 {
		t.Errorf("%d of the device's operations were not applied", n)
	}
}

// cutByTimeout reports whether a push failed because PushTimeout cut it.
func cutByTimeout(err error) bool {
	return errors.Is(err, context.DeadlineExceeded)
}
