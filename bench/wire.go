package bench

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"sort"
	gosync "sync"
	"sync/atomic"
	"time"
)

// Meter counts the bytes a device's connections carry in both directions:
// HTTP headers and bodies as they cross TCP, after gzip.
type Meter struct {
	sent, received atomic.Int64
}

// Bytes returns the bytes sent and received so far.
func (m *Meter) Bytes() (sent, received int64) { return m.sent.Load(), m.received.Load() }

// Total returns the bytes sent and received so far, together.
func (m *Meter) Total() int64 { return m.sent.Load() + m.received.Load() }

// Reset sets both counts to zero.
func (m *Meter) Reset() { m.sent.Store(0); m.received.Store(0) }

type countingConn struct {
	net.Conn
	m *Meter
}

func (c countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.m.received.Add(int64(n))
	return n, err
}

func (c countingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.m.sent.Add(int64(n))
	return n, err
}

// Latencies collects the durations of requests, safe for concurrent use.
type Latencies struct {
	mu     gosync.Mutex
	d      []time.Duration
	timing []string // the answers' Server-Timing headers, beside d
}

func (l *Latencies) add(d time.Duration) { l.addTimed(d, "") }

// addTimed adds a duration and the Server-Timing header of its answer.
func (l *Latencies) addTimed(d time.Duration, timing string) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.timing = append(l.timing, timing)
	l.mu.Unlock()
}

// Slowest returns the longest duration and its answer's Server-Timing header.
func (l *Latencies) Slowest() (time.Duration, string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var d time.Duration
	var timing string
	for i, x := range l.d {
		if x >= d {
			d, timing = x, l.timing[i]
		}
	}
	return d, timing
}

// Timings returns the Server-Timing headers collected, in order.
func (l *Latencies) Timings() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.timing...)
}

// Quantile returns the q-quantile (0 < q ≤ 1) of the durations, nearest rank.
func (l *Latencies) Quantile(q float64) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.d) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), l.d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(q*float64(len(s))+0.999999) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// Count returns how many durations were collected.
func (l *Latencies) Count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.d)
}

// timed records, for requests whose path is Path, the time from sending the
// request to reading the last byte of its answer.
type timed struct {
	next http.RoundTripper
	path string
	lat  *Latencies
	// sending, if set, is called when a request to path is about to be sent.
	sending func()
}

func (t *timed) RoundTrip(r *http.Request) (*http.Response, error) {
	if t.lat == nil || r.URL.Path != t.path {
		return t.next.RoundTrip(r)
	}
	if t.sending != nil {
		t.sending()
	}
	start := time.Now()
	var wrote, first atomic.Int64 // ns since start; set by the transport's goroutines
	r = r.WithContext(httptrace.WithClientTrace(r.Context(), &httptrace.ClientTrace{
		WroteRequest:         func(httptrace.WroteRequestInfo) { wrote.Store(int64(time.Since(start))) },
		GotFirstResponseByte: func() { first.Store(int64(time.Since(start))) },
	}))
	resp, err := t.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	timing := resp.Header.Get("Server-Timing")
	resp.Body = &timedBody{ReadCloser: resp.Body, done: func() {
		// The client's side of the request, beside the server's phases:
		// sending it, waiting for the first byte of the answer, reading it.
		end := time.Since(start)
		if w, f := time.Duration(wrote.Load()), time.Duration(first.Load()); w > 0 && f > 0 {
			timing += fmt.Sprintf(", c_send;dur=%.1f, c_wait;dur=%.1f, c_recv;dur=%.1f", ms(w), ms(f-w), ms(end-f))
		}
		t.lat.addTimed(end, timing)
	}}
	return resp, nil
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the transport.
func (t *timed) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

type timedBody struct {
	io.ReadCloser
	once gosync.Once
	done func()
}

func (b *timedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.once.Do(b.done)
	}
	return n, err
}

func (b *timedBody) Close() error {
	b.once.Do(b.done)
	return b.ReadCloser.Close()
}

// newHTTPClient returns an HTTP client of its own (one device, its own
// connections) whose bytes m counts and whose requests to latencyPath lat
// times (none when lat is nil). Compression is left to the sync client, which
// asks for gzip itself, so the counted bytes are the compressed ones.
func newHTTPClient(m *Meter, latencyPath string, lat *Latencies) *http.Client {
	d := &net.Dialer{Timeout: 10 * time.Second}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := d.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return countingConn{Conn: c, m: m}, nil
		},
		MaxIdleConnsPerHost: 2,
		DisableCompression:  true,
		IdleConnTimeout:     30 * time.Second,
	}
	return &http.Client{Transport: &timed{next: tr, path: latencyPath, lat: lat}, Timeout: 5 * time.Minute}
}

// closeIdle closes the idle connections of a client made by newHTTPClient.
func closeIdle(hc *http.Client) { hc.CloseIdleConnections() }
