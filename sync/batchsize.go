package sync

import "time"

// DefaultRequestTimeout is the web app's timeout of one request
// (client/web/sync.js, REQUEST_TIMEOUT_MS), against which a BatchSizer judges
// a pace when it is given none.
const DefaultRequestTimeout = 30 * time.Second

// BatchSizer sizes pushes by what the link carried last time, by the web
// app's rules (client/web/synccore.js, BatchSizer; issue 20). After a push
// answered, the next one holds what the link carried at that pace in a
// quarter of the request timeout, at most eight times and at least half the
// size just sent. A request cut on the way (no answer, a 5xx, 413) halves
// the size it was sent at, down to one operation: the operations of a cut
// request go in smaller batches next, so any link that carries a few KB a
// second gets every operation acknowledged.
type BatchSizer struct {
	n       int
	timeout time.Duration
}

// NewBatchSizer starts at start operations (1 to MaxOpsPerPush) and judges
// paces against timeout (DefaultRequestTimeout when 0).
func NewBatchSizer(start int, timeout time.Duration) *BatchSizer {
	if timeout <= 0 {
		timeout = DefaultRequestTimeout
	}
	return &BatchSizer{n: min(max(start, 1), MaxOpsPerPush), timeout: timeout}
}

// Size is how many operations the next push may hold.
func (b *BatchSizer) Size() int { return b.n }

// OK records a push of sent operations answered after took. A push smaller
// than the size (the outbox ran out) says nothing about the link.
func (b *BatchSizer) OK(sent int, took time.Duration) {
	if sent < b.n {
		return
	}
	fits := int(float64(sent) * float64(b.timeout/4) / float64(max(took, time.Millisecond)))
	b.n = max(1, min(MaxOpsPerPush, b.n*8, max(b.n/2, fits)))
}

// Failed records a push of sent operations whose request was cut.
func (b *BatchSizer) Failed(sent int) {
	b.n = max(1, min(sent, b.n)/2)
}
