package store

import (
	"context"
	gosync "sync"
)

// Admission to the single writer connection. database/sql hands its one
// connection to waiting goroutines in no particular order, so under a flood of
// large pushes a monitor's push of a few answers could wait behind all of
// them. The writeQueue admits one write transaction at a time instead:
//
//   - a small write (at most SmallWrite units: operations of a push, or 1 for
//     any other write) goes before every large one that is waiting;
//   - among small writes, the smaller first (a push of 5 answers before the
//     92-operation tail of a full visit), then first come, first served;
//     among large writes, first come, first served;
//   - after LargeEvery small admissions in a row while a large write waits,
//     the oldest large write goes, so a stream of small writes cannot starve it.
//
// A small write therefore waits for at most the transaction that is running
// and a few other small ones, never for the whole queue of large ones.
//
// A large write made of parts (DB.WriteParts: a push of a full visit) yields
// the writer between parts when a small write waits, and takes it back ahead
// of every large write that arrived after it: its ticket, taken when it first
// asked, keeps its place. So the small write waits for one part, not for the
// whole visit, and the large writes are still served one after the other.
const (
	SmallWrite = 100
	LargeEvery = 8
)

type writeQueue struct {
	mu         gosync.Mutex
	busy       bool            // a transaction holds the writer
	small      []*writeTurn    // waiting, in arrival order
	large      []*writeTurn    // waiting, in arrival order
	smallInRow int             // small admissions since the last large one
	tickets    uint64          // the last ticket given
	admitted   func(units int) // test hook: called, under mu, for each admission
}

// writeTurn is one waiting writer; ready is closed when it is its turn.
type writeTurn struct {
	units  int
	ticket uint64 // arrival order; a large write's later parts keep their first one
	ready  chan struct{}
}

// ticket returns a new arrival ticket.
func (q *writeQueue) ticket() uint64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.tickets++
	return q.tickets
}

// acquire waits for the writer. It returns ctx's error, holding nothing, if ctx
// ends first.
func (q *writeQueue) acquire(ctx context.Context, units int) error {
	return q.acquireAs(ctx, units, q.ticket())
}

// acquireAs is acquire for the holder of ticket: among the waiting large
// writes, the lowest ticket goes first.
func (q *writeQueue) acquireAs(ctx context.Context, units int, ticket uint64) error {
	q.mu.Lock()
	if !q.busy && len(q.small) == 0 && len(q.large) == 0 {
		q.busy = true
		q.admit(units)
		q.mu.Unlock()
		return nil
	}
	t := &writeTurn{units: units, ticket: ticket, ready: make(chan struct{})}
	q.enqueue(t)
	q.mu.Unlock()
	return q.wait(ctx, t)
}

// enqueue adds t to its class; under mu.
func (q *writeQueue) enqueue(t *writeTurn) {
	if t.units <= SmallWrite {
		i := len(q.small)
		for i > 0 && q.small[i-1].units > t.units {
			i--
		}
		q.small = insertAt(q.small, i, t)
		return
	}
	i := len(q.large)
	for i > 0 && q.large[i-1].ticket > t.ticket {
		i--
	}
	q.large = insertAt(q.large, i, t)
}

func insertAt(list []*writeTurn, i int, t *writeTurn) []*writeTurn {
	list = append(list, nil)
	copy(list[i+1:], list[i:])
	list[i] = t
	return list
}

// yield is called by the holder of the writer between two parts of a large
// write (ticket, units): if a small write waits, the holder passes the writer
// on and waits for its turn again, ahead of the large writes that came after
// it; otherwise it keeps the writer and yield returns at once. On an error
// (ctx ended while waiting) the holder holds nothing.
func (q *writeQueue) yield(ctx context.Context, units int, ticket uint64) error {
	q.mu.Lock()
	if len(q.small) == 0 {
		q.mu.Unlock()
		return nil
	}
	t := &writeTurn{units: units, ticket: ticket, ready: make(chan struct{})}
	q.enqueue(t)
	q.next()
	q.mu.Unlock()
	return q.wait(ctx, t)
}

// smallWaiting reports whether a small write waits for the writer.
func (q *writeQueue) smallWaiting() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.small) > 0
}

// wait waits until t is admitted or ctx ends.
func (q *writeQueue) wait(ctx context.Context, t *writeTurn) error {
	select {
	case <-t.ready:
		return nil
	case <-ctx.Done():
		q.mu.Lock()
		defer q.mu.Unlock()
		select {
		case <-t.ready: // admitted meanwhile: pass the turn on
			q.next()
		default:
			q.small, q.large = without(q.small, t), without(q.large, t)
		}
		return ctx.Err()
	}
}

// release ends the running transaction's turn and admits the next writer.
func (q *writeQueue) release() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.next()
}

// next admits the next waiting writer, or marks the writer free; under mu.
func (q *writeQueue) next() {
	var t *writeTurn
	switch {
	case len(q.large) > 0 && (len(q.small) == 0 || q.smallInRow >= LargeEvery):
		t, q.large = q.large[0], q.large[1:]
	case len(q.small) > 0:
		t, q.small = q.small[0], q.small[1:]
	default:
		q.busy = false
		return
	}
	q.busy = true
	q.admit(t.units)
	close(t.ready)
}

func (q *writeQueue) admit(units int) {
	if units <= SmallWrite {
		q.smallInRow++
	} else {
		q.smallInRow = 0
	}
	if q.admitted != nil {
		q.admitted(units)
	}
}

func without(list []*writeTurn, t *writeTurn) []*writeTurn {
	for i, x := range list {
		if x == t {
			return append(list[:i:i], list[i+1:]...)
		}
	}
	return list
}
