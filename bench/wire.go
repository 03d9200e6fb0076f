package bench

import (
	"context"
	"io"
	"net"
	"net/http"
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
	mu gosync.Mutex
	d  []time.Duration
}

func (l *Latencies) add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
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
}

func (t *timed) RoundTrip(r *http.Request) (*http.Response, error) {
	if t.lat == nil || r.URL.Path != t.path {
		return t.next.RoundTrip(r)
	}
	start := time.Now()
	resp, err := t.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	resp.Body = &timedBody{ReadCloser: resp.Body, done: func() { t.lat.add(time.Since(start)) }}
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
