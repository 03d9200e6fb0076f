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
//   - within each class, first come, first served;
//   - after LargeEvery small admissions in a row while a large write waits,
//     the oldest large write goes, so a stream of small writes cannot starve it.
//
// A small write therefore waits for at most the transaction that is running
// and a few other small ones, never for the whole queue of large ones.
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
	admitted   func(units int) // test hook: called, under mu, for each admission
}

// writeTurn is one waiting writer; ready is closed when it is its turn.
type writeTurn struct {
	units int
	ready chan struct{}
}

// acquire waits for the writer. It returns ctx's error, holding nothing, if ctx
// ends first.
func (q *writeQueue) acquire(ctx context.Context, units int) error {
	q.mu.Lock()
	if !q.busy && len(q.small) == 0 && len(q.large) == 0 {
		q.busy = true
		q.admit(units)
		q.mu.Unlock()
		return nil
	}
	t := &writeTurn{units: units, ready: make(chan struct{})}
	if units <= SmallWrite {
		q.small = append(q.small, t)
	} else {
		q.large = append(q.large, t)
	}
	q.mu.Unlock()
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
