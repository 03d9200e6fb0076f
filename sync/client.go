package sync

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	gosync "sync"
	"time"

	"github.com/google/uuid"

	"inspecta/schema"
	"inspecta/store"
)

// LocalRecord is a device's copy of one record.
type LocalRecord struct {
	Type     schema.RecordType `json:"type"`
	ID       string            `json:"id"`
	Fields   map[string]any    `json:"fields"`
	Versions map[string]int64  `json:"versions"`
	Deleted  bool              `json:"deleted"`
	// Conflicts are the record's open conflicts as the last pull showed them.
	Conflicts []OpenConflict `json:"conflicts,omitempty"`
}

// SentOp is an acknowledged operation the device keeps for SentLogDays, to
// send again if the server is restored from a backup (docs/protocol.md,
// "Database generation").
type SentOp struct {
	Op     Op        `json:"op"`
	SentAt time.Time `json:"sent_at"`
}

// SentLogDays is how long a device keeps its acknowledged operations.
const SentLogDays = 30

// ErrRevoked is returned when the server says this device was revoked: the
// client has wiped everything it held.
var ErrRevoked = errors.New("this device was revoked; its data was removed")

// RejectedOp is an operation the server refused, kept to show the member.
type RejectedOp struct {
	Op    Op          `json:"op"`
	Error *FieldError `json:"error"`
}

// DeviceState is everything a device keeps: its token, its records, the
// outbox of operations not yet acknowledged, and where its pull stopped.
type DeviceState struct {
	BaseURL  string                  `json:"base_url"`
	Token    string                  `json:"token"`
	DeviceID string                  `json:"device_id"`
	UserID   string                  `json:"user_id"`
	Since    int64                   `json:"since"`
	Records  map[string]*LocalRecord `json:"records"`
	Outbox   []Op                    `json:"outbox"`
	Rejected []RejectedOp            `json:"rejected"`
	LastHLC  string                  `json:"last_hlc"`
	// Sent is the log of acknowledged operations of the last SentLogDays.
	Sent []SentOp `json:"sent,omitempty"`
	// Generation is the server database's generation last seen.
	Generation string `json:"generation,omitempty"`
	// ClockOffset is the server's time minus this device's clock, as last measured.
	ClockOffset time.Duration `json:"clock_offset,omitempty"`
	// Deferred are operations refused for a missing parent record (after a
	// restore, another device may not have sent it again yet): they are sent
	// again at the next sync, for SentLogDays after they were made.
	Deferred []Op `json:"deferred,omitempty"`
	// PushBatch is how many operations the next push holds: what the link
	// carried last time, by the web app's rules (BatchSizer). 0 is
	// MaxOpsPerPush, a link that carried full batches before (the benches'
	// devices); a new phone starts at 50 (set it to push as one does).
	PushBatch int `json:"push_batch,omitempty"`
	// Resetting is set while a pull from 0 after a reset runs; ResetSeen
	// holds the records it brought, so the others are dropped at its end.
	Resetting bool            `json:"resetting,omitempty"`
	ResetSeen map[string]bool `json:"reset_seen,omitempty"`
	// PullInPush: the server's pull answered in the compact form (protocol
	// 1.2), so Sync's last push asks for the pull that follows it.
	PullInPush bool `json:"pull_in_push,omitempty"`
}

// Client is a device speaking the sync protocol: the Go twin of the web app's
// sync module, used by tests, benchmarks and server-to-server sync. Every
// local change goes to the outbox first and, with a StatePath, to disk before
// anything is sent, so a device that stops at any moment loses nothing.
type Client struct {
	HTTP      *http.Client
	StatePath string // where the state is saved after every change; "" keeps it in memory
	State     *DeviceState
	// Gzip compresses push bodies.
	Gzip bool
	// PushTimeout cuts a push request that has no answer after it (0: only
	// HTTP's own timeout); the batch sizer judges a pace against it
	// (DefaultRequestTimeout when 0). See DeviceState.PushBatch.
	PushTimeout time.Duration
	// PullSize is how many changes a pull asks for per page (DefaultPullSize if 0).
	PullSize int
	// Requests counts the HTTP requests made, for tests and benchmarks.
	Requests int
	// Applied counts the pulled changes applied to the records (a change
	// skipped as applied already does not count), for tests and benchmarks.
	Applied int
	// Now is the device's own clock (time.Now if nil); tests set it wrong on purpose.
	Now func() time.Time
	// IgnoreServerClock makes the client behave as a 1.0 client: it neither
	// corrects its clock from server_time nor observes stamps (tests of the
	// server's own bound).
	IgnoreServerClock bool

	mu         gosync.Mutex
	clock      *Clock
	signInTime string
	resent     map[string]bool // operations of the sent log put back after a restore
}

// Login signs a device in and returns its client.
func Login(ctx context.Context, hc *http.Client, baseURL, username, password, deviceName string) (*Client, error) {
	return login(ctx, hc, baseURL, username, password, deviceName, "")
}

// login is Login; previous, if not "", is the device id the phone was signed
// in as, which the server keeps when it may (signing in again).
func login(ctx context.Context, hc *http.Client, baseURL, username, password, deviceName, previous string) (*Client, error) {
	if hc == nil {
		hc = http.DefaultClient
	}
	creds := map[string]string{"username": username, "password": password, "device_name": deviceName}
	if previous != "" {
		creds["device_id"] = previous
	}
	body, _ := json.Marshal(creds)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, baseURL+"/api/v1/auth/login", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	var out struct {
		Token    string `json:"token"`
		DeviceID string `json:"device_id"`
		User     struct {
			ID string `json:"id"`
		} `json:"user"`
		ServerTime string `json:"server_time"`
		Generation string `json:"generation"`
	}
	if err := doJSON(hc, req, &out); err != nil {
		return nil, fmt.Errorf("login: %w", err)
	}
	st := &DeviceState{BaseURL: baseURL, Token: out.Token, DeviceID: out.DeviceID, UserID: out.User.ID,
		Records: map[string]*LocalRecord{}, Generation: out.Generation}
	c := &Client{HTTP: hc, State: st, signInTime: out.ServerTime}
	c.observeServer(out.ServerTime, out.Generation)
	return c, nil
}

// SignInAgain signs the device in again after its token was revoked with all
// of its user's (a password reset, a new role) or expired: it keeps what waits to be
// sent, and its next pull starts from 0 and drops what the user may no longer see.
// It asks to stay the device it was, so that what waits keeps its time and
// stays its own writes (docs/protocol.md, "Sign-in").
func (c *Client) SignInAgain(ctx context.Context, username, password, deviceName string) error {
	n, err := login(ctx, c.HTTP, c.State.BaseURL, username, password, deviceName, c.State.DeviceID)
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.State.Token, c.State.DeviceID, c.State.UserID = n.State.Token, n.State.DeviceID, n.State.UserID
	c.clock = nil
	c.startReset()
	c.mu.Unlock()
	return c.Save()
}

// LoginWithClock is Login for a device whose own clock is now: the offset to
// the server's time is measured from the sign-in answer.
func LoginWithClock(ctx context.Context, hc *http.Client, baseURL, username, password, deviceName string, now func() time.Time) (*Client, error) {
	c, err := Login(ctx, hc, baseURL, username, password, deviceName)
	if err != nil {
		return nil, err
	}
	c.Now = now
	c.observeServer(c.signInTime, "")
	return c, nil
}

// LoadClient reads a client's state saved at path.
func LoadClient(hc *http.Client, path string) (*Client, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load device state: %w", err)
	}
	var st DeviceState
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("load device state: %w", err)
	}
	if st.Records == nil {
		st.Records = map[string]*LocalRecord{}
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{HTTP: hc, StatePath: path, State: &st}, nil
}

// Save writes the state to StatePath atomically (write, fsync, rename).
func (c *Client) Save() error {
	if c.StatePath == "" {
		return nil
	}
	b, err := json.Marshal(c.State)
	if err != nil {
		return err
	}
	tmp := c.StatePath + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("save device state: %w", err)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("save device state: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("save device state: %w", err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, c.StatePath); err != nil {
		return fmt.Errorf("save device state: %w", err)
	}
	if d, err := os.Open(filepath.Dir(c.StatePath)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

func recordKey(typ schema.RecordType, id string) string { return string(typ) + "/" + id }

// Record returns the device's copy of a record, or nil.
func (c *Client) Record(typ schema.RecordType, id string) *LocalRecord {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.State.Records[recordKey(typ, id)]
}

// Records returns the device's live records of a type, sorted by id.
func (c *Client) Records(typ schema.RecordType) []*LocalRecord {
	c.mu.Lock()
	defer c.mu.Unlock()
	var list []*LocalRecord
	for _, r := range c.State.Records {
		if r.Type == typ && !r.Deleted {
			list = append(list, r)
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
	return list
}

// physical is the device's clock corrected by the offset measured to the server.
func (c *Client) physical() time.Time {
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	return now().Add(c.State.ClockOffset).UTC()
}

func (c *Client) hlcClock() *Clock {
	if c.clock == nil {
		c.clock = &Clock{Node: c.State.DeviceID, Now: c.physical}
		c.clock.Observe(c.State.LastHLC)
	}
	return c.clock
}

func (c *Client) nextHLC() string {
	h := c.hlcClock().Next().String()
	c.State.LastHLC = h
	return h
}

// observe moves the clock past a stamp received from the server, unless it is
// more than a day ahead of the device's corrected time.
func (c *Client) observe(stamp string) {
	h, err := ParseHLC(stamp)
	if err != nil || c.IgnoreServerClock || h.Wall.After(c.physical().Add(MaxLead)) {
		return
	}
	c.hlcClock().Observe(stamp)
}

// observeServer takes what every answer carries: the server's time (the
// device's clock offset is measured from it) and the database generation.
func (c *Client) observeServer(serverTime, generation string) {
	if t, err := time.Parse(time.RFC3339Nano, serverTime); err == nil && !c.IgnoreServerClock {
		now := time.Now
		if c.Now != nil {
			now = c.Now
		}
		c.State.ClockOffset = t.Sub(now())
	}
	if generation == "" || generation == c.State.Generation {
		return
	}
	if c.State.Generation != "" {
		c.newGeneration()
	}
	c.State.Generation = generation
}

// ClockWarning reports whether the device's clock differs from the server's by
// more than five minutes (the app tells the monitor).
func (c *Client) ClockWarning() bool {
	d := c.State.ClockOffset
	return d > 5*time.Minute || d < -5*time.Minute
}

// newGeneration handles a server restored from a backup: the operations of
// the sent log go back in the outbox, before what waits there, and the device
// pulls from 0 as after a reset.
func (c *Client) newGeneration() {
	waiting := map[string]bool{}
	for _, op := range c.State.Outbox {
		waiting[op.OpID] = true
	}
	var again []Op
	c.resent = map[string]bool{}
	for _, s := range c.State.Sent {
		if !waiting[s.Op.OpID] {
			again = append(again, s.Op)
			c.resent[s.Op.OpID] = true
		}
	}
	c.State.Outbox = append(again, c.State.Outbox...)
	c.startReset()
}

// startReset makes the next pull start from 0 and drop what it does not bring.
func (c *Client) startReset() {
	c.State.Since = 0
	c.State.Resetting = true
	c.State.ResetSeen = map[string]bool{}
}

// Upsert records a change to named fields of a record: applied to the local
// copy and queued in the outbox, with the versions it was made from as base.
// It returns the queued operation.
func (c *Client) Upsert(typ schema.RecordType, id string, fields map[string]any) (Op, error) {
	return c.change(typ, id, ActionUpsert, fields, nil)
}

// Delete records a tombstone for a record. Its base is the highest version the
// device holds of the record: a write it has not seen races the delete.
func (c *Client) Delete(typ schema.RecordType, id string) (Op, error) {
	return c.change(typ, id, ActionDelete, nil, nil)
}

// Restore brings back a deleted record: an upsert made from the deletion's version.
func (c *Client) Restore(typ schema.RecordType, id string) (Op, error) {
	return c.change(typ, id, restoreAction, nil, nil)
}

// restoreAction is the device's intent to bring a record back; it travels as
// an upsert made from the deletion's version.
const restoreAction Action = "restore"

// Decide settles open conflicts of a record: it writes the field with the
// value kept (the current one, the one set aside, or another), made from the
// version the device holds, and names the conflicts it decides. For a
// conflict over the record's deletion, value true keeps it deleted and false
// keeps the record.
func (c *Client) Decide(typ schema.RecordType, id, field string, value any, conflictIDs ...string) (Op, error) {
	switch {
	case field != deletedField:
		return c.change(typ, id, ActionUpsert, map[string]any{field: value}, conflictIDs)
	case value == true:
		return c.change(typ, id, ActionDelete, nil, conflictIDs)
	default:
		return c.change(typ, id, restoreAction, nil, conflictIDs)
	}
}

func (c *Client) change(typ schema.RecordType, id string, action Action, fields map[string]any, resolves []string) (Op, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	rec := c.State.Records[recordKey(typ, id)]
	if rec == nil {
		rec = &LocalRecord{Type: typ, ID: id, Fields: map[string]any{}, Versions: map[string]int64{}}
		c.State.Records[recordKey(typ, id)] = rec
	}
	op := Op{OpID: uuid.Must(uuid.NewV7()).String(), Type: typ, ID: id, Action: action, HLC: c.nextHLC(),
		Base: map[string]int64{}, Fields: map[string]json.RawMessage{}, Resolves: resolves}
	switch action {
	case ActionDelete:
		var highest int64
		for _, v := range rec.Versions {
			highest = max(highest, v)
		}
		op.Base[deletedField] = highest
	case restoreAction:
		op.Action = ActionUpsert
		op.Base[deletedField] = rec.Versions[deletedField]
		rec.Deleted = false
	}
	for name, v := range fields {
		raw, err := json.Marshal(v)
		if err != nil {
			return Op{}, fmt.Errorf("field %s: %w", name, err)
		}
		op.Fields[name] = raw
		op.Base[name] = rec.Versions[name]
		rec.Fields[name] = normalize(raw)
	}
	if action == ActionDelete {
		rec.Deleted = true
	}
	c.State.Outbox = append(c.State.Outbox, op)
	return op, c.Save()
}

// wipe removes everything the device holds: it was revoked.
func (c *Client) wipe() error {
	c.mu.Lock()
	base := c.State.BaseURL
	c.State = &DeviceState{BaseURL: base, Records: map[string]*LocalRecord{}}
	c.mu.Unlock()
	if c.StatePath != "" {
		os.Remove(c.StatePath)
	}
	return ErrRevoked
}

// checkRevoked wipes the device when the server says it was revoked, or
// that it signed out (a sign-out interrupted before its data was deleted).
func (c *Client) checkRevoked(err error) error {
	var he *ErrHTTP
	if errors.As(err, &he) && he.Status == http.StatusUnauthorized && (he.Code == "device_revoked" || he.Code == "signed_out") {
		return c.wipe()
	}
	return err
}

// normalize decodes a value the way it comes back from the server.
func normalize(raw json.RawMessage) any {
	v, _ := decodeAny(raw)
	return v
}

// ErrHTTP is an answer of the server other than 2xx.
type ErrHTTP struct {
	Status  int
	Code    string
	Message string
}

func (e *ErrHTTP) Error() string {
	return fmt.Sprintf("server answered %d %s: %s", e.Status, e.Code, e.Message)
}

func doJSON(hc *http.Client, req *http.Request, out any) error {
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var body io.Reader = resp.Body
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return err
		}
		body = zr
	}
	if resp.StatusCode/100 != 2 {
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		json.NewDecoder(body).Decode(&e)
		return &ErrHTTP{Status: resp.StatusCode, Code: e.Error.Code, Message: e.Error.Message}
	}
	return json.NewDecoder(body).Decode(out)
}

func (c *Client) newRequest(ctx context.Context, method, path string, body []byte) (*http.Request, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.State.BaseURL+path, r)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.State.Token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// Push sends the outbox in batches sized to the link (BatchSizer, starting
// at State.PushBatch). An operation leaves the outbox only when the server
// answered for it; a rejected one moves to Rejected. On an error the rest
// stays for next time; a request cut on the way halves the next batch.
func (c *Client) Push(ctx context.Context) error {
	_, err := c.push(ctx, false)
	return err
}

// push is Push; askPull makes its last batch ask a 1.2 server for the pull
// that follows (see Sync), and pulled says that pull came whole and was applied.
func (c *Client) push(ctx context.Context, askPull bool) (pulled bool, err error) {
	c.mu.Lock()
	if len(c.State.Deferred) > 0 {
		c.State.Outbox = append(c.State.Deferred, c.State.Outbox...) // made before anything waiting
		c.State.Deferred = nil
	}
	sizer := NewBatchSizer(cmp.Or(c.State.PushBatch, MaxOpsPerPush), c.PushTimeout)
	c.mu.Unlock()
	for {
		c.mu.Lock()
		n := min(len(c.State.Outbox), sizer.Size())
		batch := append([]Op(nil), c.State.Outbox[:n]...)
		var ask *PullAsk
		if askPull && n == len(c.State.Outbox) {
			ask = c.pullToAsk() // the batch that empties the outbox
		}
		c.mu.Unlock()
		if n == 0 {
			return pulled, nil
		}
		body, err := encodePush(c.State.DeviceID, FormatTime(c.physical()), batch)
		if err == nil && ask != nil {
			body, err = withPull(body, ask)
		}
		if err != nil {
			return false, err
		}
		gz := c.Gzip
		if gz {
			body = c.compress(body)
		}
		resp, took, err := c.pushRequest(ctx, body, gz)
		if err != nil {
			if ask != nil && refusedPullInPush(err) {
				// A server that no longer speaks 1.2 (an older binary restored): ask no more.
				c.mu.Lock()
				c.State.PullInPush = false
				c.mu.Unlock()
				continue
			}
			if cutOnTheWay(ctx, err) {
				err = errors.Join(err, c.pushCut(sizer, n))
			}
			return false, fmt.Errorf("push: %w", c.checkRevoked(err))
		}
		c.mu.Lock()
		sizer.OK(n, took)
		c.State.PushBatch = sizer.Size() // saved with the acknowledgement
		c.observeServer(resp.ServerTime, resp.Generation)
		c.mu.Unlock()
		if err := c.acknowledge(batch, resp.Results); err != nil {
			return false, err
		}
		if pulled, err = c.applyPushedPull(ask, resp.Pull); err != nil {
			return false, err
		}
	}
}

// refusedPullInPush reports whether a push was refused for the pull it asked
// for: a 1.1 server refuses the unknown field (400 bad_json).
func refusedPullInPush(err error) bool {
	var h *ErrHTTP
	return errors.As(err, &h) && h.Status == http.StatusBadRequest && h.Code == "bad_json"
}

// pushRequest sends one push body and reads its answer, cut after
// PushTimeout; took is how long the answer took.
func (c *Client) pushRequest(ctx context.Context, body []byte, gz bool) (PushResponse, time.Duration, error) {
	var resp PushResponse
	if c.PushTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.PushTimeout)
		defer cancel()
	}
	req, err := c.newRequest(ctx, http.MethodPost, "/api/v1/sync/push", body)
	if err != nil {
		return resp, 0, err
	}
	if gz {
		req.Header.Set("Content-Encoding", "gzip")
	}
	c.Requests++
	start := time.Now()
	err = doJSON(c.HTTP, req, &resp)
	return resp, time.Since(start), err
}

// pushCut halves the next batch after a push of n operations was cut, and keeps it.
func (c *Client) pushCut(sizer *BatchSizer, n int) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	sizer.Failed(n)
	c.State.PushBatch = sizer.Size()
	return c.Save()
}

// cutOnTheWay reports whether a push failed on the link — no answer (a
// timeout, a dropped connection), a 5xx, or 413 — rather than because the
// caller stopped or the server refused it.
func cutOnTheWay(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var h *ErrHTTP
	if errors.As(err, &h) {
		return h.Status >= 500 || h.Status == http.StatusRequestEntityTooLarge
	}
	return true
}

// compressors keeps gzip writers between pushes: making one allocates and
// clears about a megabyte.
var compressors gosync.Pool

// compress gzips a push body at zlib's default level, as the app's
// CompressionStream does.
func (c *Client) compress(body []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(body) / 4)
	zw, _ := compressors.Get().(*gzip.Writer)
	if zw == nil {
		zw, _ = gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	} else {
		zw.Reset(&buf)
	}
	zw.Write(body) // a bytes.Buffer takes every byte
	zw.Close()
	compressors.Put(zw)
	return buf.Bytes()
}

// encodePush writes the body of a push (a PushRequest asking for compact
// results), encoding each operation once: marshalling a PushRequest of
// already encoded operations would scan and compact every one of them again.
func encodePush(deviceID, deviceTime string, ops []Op) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(256 * len(ops))
	id, err := json.Marshal(deviceID)
	if err != nil {
		return nil, err
	}
	b.WriteString(`{"device_id":`)
	b.Write(id)
	b.WriteString(`,"device_time":"` + deviceTime + `","compact_results":true,"ops":[`)
	out := b.Bytes()
	for i, op := range ops {
		if i > 0 {
			out = append(out, ',')
		}
		if out, err = appendOp(out, op); err != nil {
			return nil, fmt.Errorf("encode op %s: %w", op.OpID, err)
		}
	}
	return append(out, "]}"...), nil
}

// acknowledge removes answered operations from the outbox.
func (c *Client) acknowledge(batch []Op, results []Result) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(results) != len(batch) {
		return fmt.Errorf("push: the server answered %d results for %d operations", len(results), len(batch))
	}
	answered := map[string]Result{}
	for i, r := range results {
		answered[batch[i].OpID] = r // one result per operation, in order
	}
	keep := c.State.Outbox[:0:0]
	now := c.physical()
	for _, op := range c.State.Outbox {
		r, ok := answered[op.OpID]
		if !ok {
			keep = append(keep, op)
			continue
		}
		if r.Status == StatusRejected && r.Error != nil && r.Error.Code == CodeMissingParent && c.young(op) {
			c.State.Deferred = append(c.State.Deferred, op)
			continue
		}
		if r.Status == StatusRejected || (r.Status == StatusDuplicate && r.FirstStatus == StatusRejected) {
			c.State.Rejected = append(c.State.Rejected, RejectedOp{Op: op, Error: r.Error})
		}
		if r.Status == StatusApplied || (r.Status == StatusDuplicate && r.FirstStatus == StatusApplied) {
			c.storedAsSent(op, r.Seq)
		}
		if !c.resent[op.OpID] { // a resent one is in the log already
			c.State.Sent = append(c.State.Sent, SentOp{Op: op, SentAt: now})
		}
		// A pull that ran while this op waited for its answer showed the local
		// value over the server's; pull that record again to see what won.
		if r.Seq > 0 && r.Seq <= c.State.Since {
			c.State.Since = r.Seq - 1
		}
	}
	if len(keep) == len(c.State.Outbox) && len(batch) > 0 {
		return errors.New("push: the server answered for none of the operations sent")
	}
	c.State.Outbox = keep
	c.pruneSent()
	return c.Save()
}

// storedAsSent updates the local copy after the server stored op exactly as
// sent: it will not come back in pull (no echo), so the device takes the
// versions from the answer and fills what the server fills on a new record.
func (c *Client) storedAsSent(op Op, seq int64) {
	rec := c.State.Records[recordKey(op.Type, op.ID)]
	if rec == nil {
		return
	}
	for f := range op.Fields {
		rec.Versions[f] = max(rec.Versions[f], seq)
	}
	if _, ok := op.Base[deletedField]; ok || op.Action == ActionDelete {
		rec.Versions[deletedField] = max(rec.Versions[deletedField], seq)
	}
	rt := store.RecordTypes[op.Type]
	if rt == nil {
		return
	}
	for _, col := range rt.Columns {
		if _, ok := rec.Fields[col.Name]; ok {
			continue
		}
		switch {
		case col.Name == "author_id" || col.Name == "created_by" || col.Name == "decided_by":
			rec.Fields[col.Name] = c.State.UserID
		case col.Kind == store.KindText:
			rec.Fields[col.Name] = ""
		case col.Kind == store.KindBool:
			rec.Fields[col.Name] = false
		default:
			rec.Fields[col.Name] = nil
		}
	}
}

// young reports whether op was made less than SentLogDays ago.
func (c *Client) young(op Op) bool {
	h, err := ParseHLC(op.HLC)
	return err == nil && c.physical().Sub(h.Wall) < SentLogDays*24*time.Hour
}

// pruneSent drops from the sent log what is older than SentLogDays.
func (c *Client) pruneSent() {
	limit := c.physical().Add(-SentLogDays * 24 * time.Hour)
	i := 0
	for i < len(c.State.Sent) && c.State.Sent[i].SentAt.Before(limit) {
		i++
	}
	c.State.Sent = c.State.Sent[i:]
}

// Pull fetches every change after the device's last sequence, page by page,
// and applies it; fields with operations still in the outbox keep their local
// value. A reset answer (or a new database generation) makes it start again
// from 0 and, at the end, drop every synced record that did not come.
//
// A pull from 0 (a new device, or after a reset or a new generation) first
// pulls the working set (set=work: facilities, visits, recommendations, what
// is under open visits and the latest approved one per facility) without
// storing its cursor, then everything from 0, skipping a change the first
// pass applied at the same sequence (docs/protocol.md, "First sync"), as the
// web app does.
func (c *Client) Pull(ctx context.Context) error {
	c.mu.Lock()
	fromZero := c.State.Since == 0
	c.mu.Unlock()
	if !fromZero {
		_, err := c.pullPages(ctx, false, nil)
		return err
	}
	got, err := c.pullPages(ctx, true, nil)
	if err != nil || got.whole {
		return err
	}
	_, err = c.pullPages(ctx, false, got.applied)
	return err
}

// pullPass is what a pass of pullPages did.
type pullPass struct {
	// whole: the pass held everything after all (a 1.1 server ignored
	// set=work, or a reset made the working-set pass a pull of everything).
	whole bool
	// applied: the changes a working-set pass applied, record key → seq.
	applied map[string]int64
}

// pullPages fetches pages until more is false, restarting from 0 on a reset
// answer or a new generation. work asks for the working set only, its
// cursor not stored; skip names changes not to apply again (record key → seq).
func (c *Client) pullPages(ctx context.Context, work bool, skip map[string]int64) (pullPass, error) {
	got := pullPass{applied: map[string]int64{}}
	seen := map[string]bool{} // what a full pass after a working-set pass brought
	c.mu.Lock()
	since := c.State.Since
	c.mu.Unlock()
	size := c.PullSize
	if size <= 0 {
		size = DefaultPullSize
	}
	for page := 0; ; page++ {
		c.mu.Lock()
		q := url.Values{"since": {strconv.FormatInt(since, 10)}, "limit": {strconv.Itoa(size)}, "compact": {"1"}}
		if c.State.Resetting {
			q.Set("snapshot", "1")
		}
		if work {
			q.Set("set", "work")
		}
		c.mu.Unlock()
		req, err := c.newRequest(ctx, http.MethodGet, "/api/v1/sync/pull?"+q.Encode(), nil)
		if err != nil {
			return got, err
		}
		var resp PullResponse
		c.Requests++
		if err := doJSON(c.HTTP, req, &resp); err != nil {
			return got, fmt.Errorf("pull: %w", c.checkRevoked(err))
		}
		c.mu.Lock()
		gen := c.State.Generation
		c.observeServer(resp.ServerTime, resp.Generation)
		restarted := gen != c.State.Generation && gen != ""
		if resp.Reset {
			c.startReset()
		}
		if resp.IsCompact {
			c.State.PullInPush = true // a 1.2 server: it answers a pull inside a push
		}
		c.mu.Unlock()
		if resp.Reset || restarted {
			if err := c.Save(); err != nil {
				return got, err
			}
			if page > 100 {
				return got, errors.New("pull: the server keeps answering reset")
			}
			// From 0 again, everything: what a working-set pass applied is
			// pulled again and applied again.
			since, skip = 0, nil
			if work {
				got.whole, work = true, false
			}
			continue
		}
		got.whole = got.whole || (work && resp.Set != "work")
		resp.Expand() // a 1.2 server's compact form (a 1.1 server's answer is full already)
		keep := !work || got.whole
		if err := c.applyPulled(resp, keep, skip); err != nil {
			return got, err
		}
		for _, ch := range resp.Changes {
			if work {
				got.applied[recordKey(ch.Type, ch.ID)] = ch.Seq
			} else if skip != nil && ch.MergedInto == "" {
				seen[recordKey(ch.Type, ch.ID)] = true
			}
		}
		since = resp.Next
		if !resp.More && skip != nil {
			return got, c.dropUnseen(skip, seen)
		}
		if !resp.More {
			return got, nil
		}
	}
}

// dropUnseen ends the full pass after a working-set pass: it drops the
// records the working-set pass applied (applied: key → seq) that the full
// pass did not bring. What the user may see changed between the passes, and
// the full pass from 0 recorded the change as seen without a reset
// (docs/protocol.md, "First sync"). A record with an operation waiting stays,
// as does one the device wrote since (its versions are past what the working
// set gave): its own write may not come back in pull (no echo; today the
// server leaves out only records the device made or last wrote whole, which
// a working-set pass never brought, so this guard is the contract's, not
// reached by a test).
func (c *Client) dropUnseen(applied map[string]int64, seen map[string]bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	pending := c.pendingFields()
	for k, seq := range applied {
		rec := c.State.Records[k]
		if rec == nil || seen[k] || pending[k] != nil {
			continue
		}
		newest := int64(0)
		for _, v := range rec.Versions {
			newest = max(newest, v)
		}
		if newest <= seq {
			delete(c.State.Records, k)
		}
	}
	return c.Save()
}

// applyPulled applies a pulled page. keep stores its cursor (not for a
// working-set pass) and, at the end of a pull from 0 after a reset, drops
// what did not come; skip names changes a working-set pass applied already
// (record key → seq), not applied again.
func (c *Client) applyPulled(resp PullResponse, keep bool, skip map[string]int64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	// An id the server merged into another (the same observation recorded on
	// two devices) is dropped here, and queued changes to it now name the survivor.
	for _, ch := range resp.Changes {
		if ch.MergedInto == "" {
			continue
		}
		delete(c.State.Records, recordKey(ch.Type, ch.ID))
		for i, op := range c.State.Outbox {
			if op.Type == ch.Type && op.ID == ch.ID {
				c.State.Outbox[i].ID = ch.MergedInto
			}
		}
	}
	pending := c.pendingFields()
	if resp.Stamp != "" {
		c.observe(resp.Stamp) // a compact page's latest stamp stands for all of its stamps
	}
	for _, ch := range resp.Changes {
		k := recordKey(ch.Type, ch.ID)
		for _, stamp := range ch.Stamps {
			c.observe(stamp)
		}
		if ch.MergedInto != "" {
			continue
		}
		if c.State.Resetting {
			c.State.ResetSeen[k] = true
		}
		if seq, ok := skip[k]; ok && seq == ch.Seq {
			continue // applied by the working-set pass, unchanged since
		}
		rec := &LocalRecord{Type: ch.Type, ID: ch.ID, Fields: ch.Fields, Versions: ch.Versions, Deleted: ch.Deleted,
			Conflicts: ch.Conflicts}
		if rec.Versions == nil {
			rec.Versions = map[string]int64{}
		}
		for f, raw := range pending[k] {
			rec.Fields[f] = normalize(raw)
		}
		c.State.Records[k] = rec
		c.Applied++
	}
	if !keep {
		return c.Save()
	}
	c.State.Since = resp.Next
	if !resp.More && c.State.Resetting {
		// The snapshot is complete: what did not come is no longer this
		// user's to hold, unless it still has operations to send.
		for k := range c.State.Records {
			if !c.State.ResetSeen[k] && pending[k] == nil {
				delete(c.State.Records, k)
			}
		}
		c.State.Resetting, c.State.ResetSeen = false, nil
	}
	return c.Save()
}

// pendingFields are the fields of the operations waiting to be sent (deferred
// ones first), by record.
func (c *Client) pendingFields() map[string]map[string]json.RawMessage {
	pending := map[string]map[string]json.RawMessage{}
	for _, op := range append(c.State.Deferred[:len(c.State.Deferred):len(c.State.Deferred)], c.State.Outbox...) {
		k := recordKey(op.Type, op.ID)
		if pending[k] == nil {
			pending[k] = map[string]json.RawMessage{}
		}
		for f, v := range op.Fields {
			pending[k][f] = v
		}
	}
	return pending
}

// Sync pushes the outbox, then pulls, as the web app does: its last push asks
// a 1.2 server for the pull that follows (protocol 1.2, "Push"), and it pulls
// on its own only when that pull did not come whole in the push's answer.
func (c *Client) Sync(ctx context.Context) error {
	pulled, err := c.push(ctx, true)
	if err != nil || pulled {
		return err
	}
	return c.Pull(ctx)
}

// pullToAsk is the pull a last push asks for: only of a 1.2 server (one
// whose pull answered in the compact form; a 1.1 server refuses the field),
// never for a pull from 0 or during a reset (those take Pull's own path).
// The caller holds c.mu.
func (c *Client) pullToAsk() *PullAsk {
	if c.State.Since == 0 || !c.State.PullInPush || c.State.Resetting {
		return nil
	}
	return &PullAsk{Since: c.State.Since, Limit: min(cmp.Or(max(c.PullSize, 0), DefaultPullSize), MaxPullSize)}
}

// withPull adds a pull asked for to an encoded push body (a JSON object).
func withPull(body []byte, ask *PullAsk) ([]byte, error) {
	if len(body) < 2 || body[len(body)-1] != '}' {
		return nil, errors.New("push: the body is not a JSON object")
	}
	a, err := json.Marshal(ask)
	if err != nil {
		return nil, err
	}
	out := append(body[:len(body)-1:len(body)-1], `,"pull":`...)
	return append(append(out, a...), '}'), nil
}

// applyPushedPull applies the pull that came in a push's answer, made by the
// server after the push, like a pulled page. It returns true when that was
// the whole pull; false (pull as usual) when none was asked or came, when
// there is more, when it is a reset, when the answer showed a new generation,
// or when acknowledging the push moved the cursor back (a change that came
// back in conflict, or a reset): the pull was made from the old cursor.
func (c *Client) applyPushedPull(ask *PullAsk, page *PullResponse) (bool, error) {
	if ask == nil || page == nil {
		return false, nil
	}
	c.mu.Lock()
	rewound := c.State.Since != ask.Since || c.State.Resetting
	gen := c.State.Generation
	c.observeServer(page.ServerTime, page.Generation)
	restarted := gen != c.State.Generation && gen != ""
	c.mu.Unlock()
	if rewound || restarted || page.Reset {
		return false, nil
	}
	page.Expand()
	if err := c.applyPulled(*page, true, nil); err != nil {
		return false, err
	}
	return !page.More, nil
}
