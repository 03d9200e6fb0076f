package sync

import (
	"bytes"
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

	"github.com/google/uuid"
)

// LocalRecord is a device's copy of one record.
type LocalRecord struct {
	Type     string           `json:"type"`
	ID       string           `json:"id"`
	Fields   map[string]any   `json:"fields"`
	Versions map[string]int64 `json:"versions"`
	Deleted  bool             `json:"deleted"`
}

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
	// PullSize is how many changes a pull asks for per page (DefaultPullSize if 0).
	PullSize int
	// Requests counts the HTTP requests made, for tests and benchmarks.
	Requests int

	mu    gosync.Mutex
	clock *Clock
}

// Login signs a device in and returns its client.
func Login(ctx context.Context, hc *http.Client, baseURL, username, password, deviceName string) (*Client, error) {
	if hc == nil {
		hc = http.DefaultClient
	}
	body, _ := json.Marshal(map[string]string{"username": username, "password": password, "device_name": deviceName})
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
	}
	if err := doJSON(hc, req, &out); err != nil {
		return nil, fmt.Errorf("login: %w", err)
	}
	st := &DeviceState{BaseURL: baseURL, Token: out.Token, DeviceID: out.DeviceID, UserID: out.User.ID, Records: map[string]*LocalRecord{}}
	return &Client{HTTP: hc, State: st}, nil
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

func recordKey(typ, id string) string { return typ + "/" + id }

// Record returns the device's copy of a record, or nil.
func (c *Client) Record(typ, id string) *LocalRecord {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.State.Records[recordKey(typ, id)]
}

// Records returns the device's live records of a type, sorted by id.
func (c *Client) Records(typ string) []*LocalRecord {
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

func (c *Client) nextHLC() string {
	if c.clock == nil {
		c.clock = &Clock{Node: c.State.DeviceID}
		c.clock.Observe(c.State.LastHLC)
	}
	h := c.clock.Next().String()
	c.State.LastHLC = h
	return h
}

// Upsert records a change to named fields of a record: applied to the local
// copy and queued in the outbox, with the versions it was made from as base.
// It returns the queued operation.
func (c *Client) Upsert(typ, id string, fields map[string]any) (Op, error) {
	return c.change(typ, id, "upsert", fields)
}

// Delete records a tombstone for a record.
func (c *Client) Delete(typ, id string) (Op, error) { return c.change(typ, id, "delete", nil) }

func (c *Client) change(typ, id, action string, fields map[string]any) (Op, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	rec := c.State.Records[recordKey(typ, id)]
	if rec == nil {
		rec = &LocalRecord{Type: typ, ID: id, Fields: map[string]any{}, Versions: map[string]int64{}}
		c.State.Records[recordKey(typ, id)] = rec
	}
	op := Op{OpID: uuid.Must(uuid.NewV7()).String(), Type: typ, ID: id, Action: action, HLC: c.nextHLC(),
		Base: map[string]int64{}, Fields: map[string]json.RawMessage{}}
	for name, v := range fields {
		raw, err := json.Marshal(v)
		if err != nil {
			return Op{}, fmt.Errorf("field %s: %w", name, err)
		}
		op.Fields[name] = raw
		op.Base[name] = rec.Versions[name]
		rec.Fields[name] = normalize(raw)
	}
	if action == "delete" {
		rec.Deleted = true
	}
	c.State.Outbox = append(c.State.Outbox, op)
	return op, c.Save()
}

// normalize decodes a value the way it comes back from the server.
func normalize(raw json.RawMessage) any {
	var v any
	json.Unmarshal(raw, &v)
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

// Push sends the outbox in batches of at most MaxOpsPerPush operations. An
// operation leaves the outbox only when the server answered for it; a
// rejected one moves to Rejected. On an error the rest stays for next time.
func (c *Client) Push(ctx context.Context) error {
	for {
		c.mu.Lock()
		n := min(len(c.State.Outbox), MaxOpsPerPush)
		batch := append([]Op(nil), c.State.Outbox[:n]...)
		c.mu.Unlock()
		if n == 0 {
			return nil
		}
		body, err := encodePush(c.State.DeviceID, batch)
		if err != nil {
			return err
		}
		gz := c.Gzip
		if gz {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // the phone has time; the signal does not
			zw.Write(body)
			zw.Close()
			body = buf.Bytes()
		}
		req, err := c.newRequest(ctx, http.MethodPost, "/api/v1/sync/push", body)
		if err != nil {
			return err
		}
		if gz {
			req.Header.Set("Content-Encoding", "gzip")
		}
		var resp PushResponse
		c.Requests++
		if err := doJSON(c.HTTP, req, &resp); err != nil {
			return fmt.Errorf("push: %w", err)
		}
		if err := c.acknowledge(batch, resp.Results); err != nil {
			return err
		}
	}
}

// encodePush writes the body of a push (a PushRequest asking for compact
// results), encoding each operation once: marshalling a PushRequest of
// already encoded operations would scan and compact every one of them again.
func encodePush(deviceID string, ops []Op) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(256 * len(ops))
	id, err := json.Marshal(deviceID)
	if err != nil {
		return nil, err
	}
	b.WriteString(`{"device_id":`)
	b.Write(id)
	b.WriteString(`,"compact_results":true,"ops":[`)
	enc := json.NewEncoder(&b)
	for i, op := range ops {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := enc.Encode(op); err != nil {
			return nil, fmt.Errorf("encode op %s: %w", op.OpID, err)
		}
		b.Truncate(b.Len() - 1) // the newline Encode adds
	}
	b.WriteString("]}")
	return b.Bytes(), nil
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
	for _, op := range c.State.Outbox {
		r, ok := answered[op.OpID]
		if !ok {
			keep = append(keep, op)
			continue
		}
		if r.Status == StatusRejected || (r.Status == StatusDuplicate && r.FirstStatus == StatusRejected) {
			c.State.Rejected = append(c.State.Rejected, RejectedOp{Op: op, Error: r.Error})
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
	return c.Save()
}

// Pull fetches every change after the device's last sequence, page by page,
// and applies it; fields with operations still in the outbox keep their local
// value. A reset answer makes it start again from 0.
func (c *Client) Pull(ctx context.Context) error {
	for page := 0; ; page++ {
		size := c.PullSize
		if size <= 0 {
			size = DefaultPullSize
		}
		q := url.Values{"since": {strconv.FormatInt(c.State.Since, 10)}, "limit": {strconv.Itoa(size)}}
		req, err := c.newRequest(ctx, http.MethodGet, "/api/v1/sync/pull?"+q.Encode(), nil)
		if err != nil {
			return err
		}
		var resp PullResponse
		c.Requests++
		if err := doJSON(c.HTTP, req, &resp); err != nil {
			return fmt.Errorf("pull: %w", err)
		}
		if resp.Reset {
			c.mu.Lock()
			c.State.Since = 0
			c.mu.Unlock()
			continue
		}
		if err := c.applyPulled(resp); err != nil {
			return err
		}
		if !resp.More {
			return nil
		}
	}
}

func (c *Client) applyPulled(resp PullResponse) error {
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
	pending := map[string]map[string]json.RawMessage{}
	for _, op := range c.State.Outbox {
		k := recordKey(op.Type, op.ID)
		if pending[k] == nil {
			pending[k] = map[string]json.RawMessage{}
		}
		for f, v := range op.Fields {
			pending[k][f] = v
		}
	}
	for _, ch := range resp.Changes {
		k := recordKey(ch.Type, ch.ID)
		if ch.MergedInto != "" {
			continue
		}
		rec := &LocalRecord{Type: ch.Type, ID: ch.ID, Fields: ch.Fields, Versions: ch.Versions, Deleted: ch.Deleted}
		for f, raw := range pending[k] {
			rec.Fields[f] = normalize(raw)
		}
		c.State.Records[k] = rec
	}
	c.State.Since = resp.Next
	return c.Save()
}

// Sync pushes the outbox, then pulls.
func (c *Client) Sync(ctx context.Context) error {
	if err := c.Push(ctx); err != nil {
		return err
	}
	return c.Pull(ctx)
}
