package sync_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	isync "inspecta/sync"
)

// slowBody gives the first half of a push's body at once, then waits until
// release is closed before giving the rest: a phone on a slow link.
type slowBody struct {
	data    []byte
	sent    int
	release chan struct{}
}

func (b *slowBody) Read(p []byte) (int, error) {
	if b.sent == len(b.data) {
		return 0, io.EOF
	}
	if b.sent >= len(b.data)/2 {
		<-b.release
	}
	end := len(b.data)
	if b.sent < len(b.data)/2 {
		end = len(b.data) / 2
	}
	n := copy(p, b.data[b.sent:end])
	b.sent += n
	return n, nil
}

// TestSlowUploadKeepsItsEditsTime: the device's clock error is device_time
// less the time the push arrived, not the time its transaction began. A push
// whose body took long to come had that upload time added to every stamp, so
// an edit made before a teammate's (and sent first) beat it. Here A edits a
// place's label, starts its push (device_time: its clock at sending, which is
// right), and its body stalls; B edits the same label after A and pushes at
// once; then A's body arrives. B's edit, made last, must win, and A's be the
// value set aside.
func TestSlowUploadKeepsItsEditsTime(t *testing.T) {
	s := setupTwoRegions(t)
	ctx := context.Background()
	if err := s.karCoord.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	base := s.karCoord.Record("location", s.cellID).Versions["label"]
	if base == 0 {
		t.Fatal("the coordinator holds no version of the place's label")
	}
	arrived := make(chan struct{}, 1)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Test-Slow") != "" {
			arrived <- struct{}{}
		}
		s.env.srv.ServeHTTP(w, r)
	}))
	defer hs.Close()
	stamp := func(at time.Time) string { return isync.HLC{Wall: at, Node: "device"}.String() }
	body := func(c *isync.Client, label string, at time.Time) []byte {
		op := isync.Op{OpID: newID(), Type: "location", ID: s.cellID, Action: "upsert", HLC: stamp(at),
			Base: map[string]int64{"label": base}, Fields: fields(map[string]any{"label": label})}
		b, _ := json.Marshal(isync.PushRequest{DeviceID: c.State.DeviceID, DeviceTime: isync.FormatTime(at), Ops: []json.RawMessage{raw(op)}})
		return b
	}
	push := func(c *isync.Client, r io.Reader, slow bool) isync.PushResponse {
		req, _ := http.NewRequest("POST", hs.URL+"/api/v1/sync/push", r)
		req.Header.Set("Authorization", "Bearer "+c.State.Token)
		if slow {
			req.Header.Set("X-Test-Slow", "1")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			return isync.PushResponse{}
		}
		defer resp.Body.Close()
		var pr isync.PushResponse
		if err := json.NewDecoder(resp.Body).Decode(&pr); err != nil || len(pr.Results) != 1 {
			t.Errorf("push answered %d, %v: %+v", resp.StatusCode, err, pr)
		}
		return pr
	}

	editA := time.Now().UTC()
	slow := &slowBody{data: body(s.karMember, "A's label, made first", editA), release: make(chan struct{})}
	answerA := make(chan isync.PushResponse, 1)
	go func() { answerA <- push(s.karMember, slow, true) }()
	select {
	case <-arrived:
	case <-time.After(10 * time.Second):
		t.Fatal("A's push never arrived")
	}
	for time.Since(editA) < 50*time.Millisecond { // B's edit is made clearly after A's
		time.Sleep(5 * time.Millisecond)
	}
	resB := push(s.karCoord, bytes.NewReader(body(s.karCoord, "B's label, made last", time.Now().UTC())), false)
	if r := resB.Results; len(r) != 1 || r[0].Status != isync.StatusApplied {
		t.Fatalf("B's push: %+v; want applied", resB)
	}
	time.Sleep(300 * time.Millisecond) // the upload A's link takes: longer than B's lead
	close(slow.release)
	resA := <-answerA
	if r := resA.Results; len(r) != 1 || r[0].Status != isync.StatusConflict {
		t.Errorf("A's slow push: %+v; want conflict (its edit was made before B's)", resA)
	}
	if err := s.karCoord.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	if got := s.karCoord.Record("location", s.cellID).Fields["label"]; got != "B's label, made last" {
		t.Errorf("label after both pushes = %q; want B's, the edit made last", got)
	}
}
