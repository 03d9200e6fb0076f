package server

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"inspecta/store"
	isync "inspecta/sync"
)

// handlePush applies a batch of operations: POST /api/v1/sync/push (SYNC.md).
// Its answer says where the server's time went, in a Server-Timing header
// (pushTiming), so a slow push can be explained from outside.
func (s *Server) handlePush(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	ctx, wt := store.WithTiming(r.Context())
	tm := pushTiming{auth: p.authTook, write: wt}
	mark := time.Now()
	if r.ContentLength < 0 || r.ContentLength > SmallPushBody {
		s.pushesWaiting.Add(1)
		select {
		case s.PushSlots <- struct{}{}:
			s.pushesWaiting.Add(-1)
			defer func() { <-s.PushSlots }()
		case <-r.Context().Done():
			s.pushesWaiting.Add(-1)
			return // the device gave up; its retry is answered from the op log
		}
	}
	tm.slot, mark = time.Since(mark), time.Now()
	if strings.EqualFold(strings.TrimSpace(r.Header.Get("Content-Encoding")), "gzip") { // any other: refuseUnknownEncodings
		zr, err := gzip.NewReader(http.MaxBytesReader(w, r.Body, isync.MaxPushBytes))
		if err != nil {
			writeError(w, http.StatusBadRequest, "bad_body", "the body is marked gzip but is not gzip", "")
			return
		}
		r.Body = io.NopCloser(zr)
	}
	body, ok := readBody(w, r, isync.MaxPushBytes)
	if !ok {
		return
	}
	tm.read, mark = time.Since(mark), time.Now()
	var req isync.PushRequest
	if !isync.DecodePushFast(body, &req) {
		req = isync.PushRequest{}
		if !decodeBody(w, body, "the push", &req) {
			return
		}
	}
	if len(req.Ops) > isync.MaxOpsPerPush {
		writeError(w, http.StatusRequestEntityTooLarge, "too_many_ops",
			fmt.Sprintf("a push carries at most %d operations; this one has %d: send them in smaller batches", isync.MaxOpsPerPush, len(req.Ops)), "ops")
		return
	}
	if req.Pull != nil && (req.Pull.Since < 0 || req.Pull.Limit < 0 || req.Pull.Limit > isync.MaxPullSize) {
		// Checked before the push is applied, as a pull checks its own.
		field, msg := "pull.since", "pull.since must be a whole number of 0 or more"
		if req.Pull.Since >= 0 {
			field, msg = "pull.limit", fmt.Sprintf("pull.limit must be between 1 and %d (0 or absent: %d)", isync.MaxPullSize, isync.DefaultPullSize)
		}
		writeError(w, http.StatusBadRequest, "invalid", msg, field)
		return
	}
	if req.DeviceID != "" && req.DeviceID != p.Device.ID {
		writeError(w, http.StatusBadRequest, "invalid", "device_id is not the device this token was issued to", "device_id")
		return
	}
	actor := p.Actor()
	actor.ReceivedAt = p.arrived // not now: a slow upload's time is not the device's clock error
	if req.DeviceTime != "" {
		t, err := time.Parse(time.RFC3339Nano, req.DeviceTime)
		if err != nil {
			writeError(w, http.StatusBadRequest, "invalid", "device_time must be an RFC 3339 time such as 2026-11-26T10:15:03.120Z", "device_time")
			return
		}
		actor.DeviceTime = t
	}
	tm.decode, mark = time.Since(mark), time.Now()
	resp, err := s.Engine.PushThen(ctx, actor, req.Ops, s.renewal(p))
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	tm.engine = time.Since(mark)
	if req.CompactResults {
		for i := range resp.Results {
			resp.Results[i].OpID = ""
		}
	}
	if req.Pull != nil {
		mark = time.Now()
		if resp.Pull, err = s.pullAfterPush(r, p, req.Pull); err != nil {
			s.internalError(w, r, err)
			return
		}
		tm.pull = time.Since(mark)
	}
	w.Header().Set("Server-Timing", tm.String())
	writeJSONMaybeGzip(w, r, http.StatusOK, resp)
}

// renewal is what a push does, in its own last transaction, to record when
// the device last synced and renew its token (touch): nothing when it was
// done less than a minute ago. A failure only loses that time.
func (s *Server) renewal(p *Principal) func(*store.Tx) error {
	if recentlySeen(s.DB.Now(), p.Device) {
		return nil
	}
	return func(tx *store.Tx) error {
		if err := tx.RenewDevice(p.Device.ID); err != nil {
			s.Log.Warn("touch device", "err", err)
		}
		return nil
	}
}

// pushTiming is where a push's time went on the server, as its answer's
// Server-Timing header writes it (milliseconds): auth (the token's device and
// user read), slot (the wait for one of the PushSlots), read (the body
// received and unzipped), decode (the request's JSON), queue (the waits for the
// writer, before and between parts), apply (the transactions' work, the
// token's renewal included), commit (their commits and fsyncs), other (the
// rest of the engine's time: the operations' decoding), pull (the pull asked
// with the push), and parts (the transactions it took). The time to write the
// answer is the client's measure less these.
type pushTiming struct {
	auth, slot, read, decode, engine, pull time.Duration
	write                                  *store.Timing
}

func (t pushTiming) String() string {
	queue, run, commit, parts := t.write.Snapshot()
	ms := func(name string, d time.Duration) string {
		return name + ";dur=" + strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64)
	}
	other := max(t.engine-queue-run-commit, 0)
	return strings.Join([]string{ms("auth", t.auth), ms("slot", t.slot), ms("read", t.read), ms("decode", t.decode),
		ms("queue", queue), ms("apply", run), ms("commit", commit), ms("other", other), ms("pull", t.pull),
		"parts;desc=" + strconv.Itoa(parts)}, ", ")
}

// pullAfterPush makes the pull a push asked for (protocol 1.2), after the
// push was applied: compact, never a snapshot or the working set, so it
// answers reset when the user's scope changed, even from 0 (isync.Scope's
// InPush). Epochs as read before the push: a reset the push caused comes at
// the next pull. handlePush checked since and limit.
func (s *Server) pullAfterPush(r *http.Request, p *Principal, ask *isync.PullAsk) (*isync.PullResponse, error) {
	limit := ask.Limit
	if limit == 0 {
		limit = isync.DefaultPullSize
	}
	scope := isync.Scope{UserEpoch: p.User.ScopeEpoch, DeviceEpoch: p.Device.ScopeEpochSeen, Compact: true, InPush: true}
	return s.Engine.Pull(r.Context(), p.Actor(), scope, ask.Since, limit)
}

// handlePull answers GET /api/v1/sync/pull?since=SEQ&limit=N[&snapshot=1][&set=work][&compact=1].
func (s *Server) handlePull(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	q := r.URL.Query()
	since, err := strconv.ParseInt(q.Get("since"), 10, 64)
	if q.Get("since") == "" {
		since, err = 0, nil
	}
	if err != nil || since < 0 {
		writeError(w, http.StatusBadRequest, "invalid", "since must be a whole number of 0 or more", "since")
		return
	}
	limit := isync.DefaultPullSize
	if l := q.Get("limit"); l != "" {
		if limit, err = strconv.Atoi(l); err != nil || limit < 1 || limit > isync.MaxPullSize {
			writeError(w, http.StatusBadRequest, "invalid", fmt.Sprintf("limit must be between 1 and %d", isync.MaxPullSize), "limit")
			return
		}
	}
	if set := q.Get("set"); set != "" && set != "work" {
		writeError(w, http.StatusBadRequest, "invalid", "set must be work or absent", "set")
		return
	}
	snapshot, ok := flagParam(w, r, "snapshot")
	if !ok {
		return
	}
	compact, ok := flagParam(w, r, "compact")
	if !ok {
		return
	}
	// The principal was read from the database for this request: its epochs are current.
	scope := isync.Scope{UserEpoch: p.User.ScopeEpoch, DeviceEpoch: p.Device.ScopeEpochSeen, Snapshot: snapshot,
		WorkingSet: q.Get("set") == "work", Compact: compact}
	resp, err := s.Engine.Pull(r.Context(), p.Actor(), scope, since, limit)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if !resp.More {
		s.touch(r, p) // once per catch-up, not per page
	}
	writeJSONMaybeGzip(w, r, http.StatusOK, resp)
}

// touch records when a device last synced and renews its token: a device in
// use never expires. A failure only loses that time.
func (s *Server) touch(r *http.Request, p *Principal) {
	if recentlySeen(s.DB.Now(), p.Device) {
		return
	}
	if err := s.DB.Write(r.Context(), func(tx *store.Tx) error { return tx.RenewDevice(p.Device.ID) }); err != nil {
		s.Log.Warn("touch device", "err", err)
	}
}

// recentlySeen reports whether the device was renewed less than a minute
// before now: then the renewal's write (and its fsync) is spared on every
// push or pull of a burst.
func recentlySeen(now time.Time, d *store.Device) bool {
	seen, err := time.Parse(store.TimeFormat, d.LastSeenAt)
	return err == nil && now.Sub(seen) < time.Minute
}

// writeJSONMaybeGzip writes JSON, gzipped when the client accepts it.
func writeJSONMaybeGzip(w http.ResponseWriter, r *http.Request, status int, v any) {
	if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		writeJSON(w, status, v)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Encoding", "gzip")
	w.Header().Set("Vary", "Accept-Encoding")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	zw := gzip.NewWriter(w)
	json.NewEncoder(zw).Encode(v)
	zw.Close()
}

// handleConflicts lists sync conflicts: GET /api/v1/conflicts?visit_id=.
func (s *Server) handleConflicts(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	list, err := s.Engine.Conflicts(r.Context(), p.Actor(), r.URL.Query().Get("visit_id"))
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"conflicts": list})
}

// handleQuarantine lists rejected operations for coordinators and admins.
func (s *Server) handleQuarantine(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	list, err := s.Engine.Quarantine(r.Context(), p.Actor(), 500)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"quarantine": list})
}

// generation is the database's generation for an answer outside push and
// pull (sign-in); "" if it cannot be read, which a client takes as unknown.
func (s *Server) generation(r *http.Request) string {
	var gen string
	err := s.DB.Read(r.Context(), func(tx *store.Tx) error {
		var err error
		gen, err = tx.Generation()
		return err
	})
	if err != nil {
		s.Log.Warn("read generation", "err", err)
	}
	return gen
}
