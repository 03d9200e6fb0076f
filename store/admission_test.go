package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	gosync "sync"
	"testing"
	"time"
)

func openTestDB(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "inspecta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// waitFor polls cond until it holds or a deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func (q *writeQueue) waiting() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.small) + len(q.large)
}

// queueWrites holds the writer, then queues writes of the given sizes one
// after the other (each in the queue before the next is sent), releases the
// writer and returns the labels in the order the writes ran.
func queueWrites(t *testing.T, db *DB, sizes []int) []string {
	t.Helper()
	ctx := context.Background()
	hold, held := make(chan struct{}), make(chan struct{})
	go db.Write(ctx, func(tx *Tx) error { close(held); <-hold; return nil })
	<-held
	var mu gosync.Mutex
	var order []string
	var wg gosync.WaitGroup
	for i, n := range sizes {
		label := fmt.Sprintf("%d:%d", i, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := db.WriteSized(ctx, n, func(tx *Tx) error {
				mu.Lock()
				order = append(order, label)
				mu.Unlock()
				_, err := tx.Exec("INSERT INTO meta (key, value) VALUES (?, ?)", label, "x")
				return err
			})
			if err != nil {
				t.Errorf("write %s: %v", label, err)
			}
		}()
		waitFor(t, "write "+label+" to queue", func() bool { return db.queue.waiting() == i+1 })
	}
	close(hold)
	wg.Wait()
	return order
}

// TestSmallWritesGoFirst: writes of a few operations that arrive behind large
// pushes run before them, the smaller first (ties in arrival order); large
// writes keep their arrival order.
func TestSmallWritesGoFirst(t *testing.T) {
	db := openTestDB(t)
	got := fmt.Sprint(queueWrites(t, db, []int{1000, 1000, 92, 5, 1000, 1, 5}))
	want := "[5:1 3:5 6:5 2:92 0:1000 1:1000 4:1000]"
	if got != want {
		t.Errorf("writes ran in the order %s; want %s (small ones first, smallest first; large ones first come first served)", got, want)
	}
}

// TestLargeWriteIsNotStarved: a stream of small writes lets a waiting large
// one through after LargeEvery of them.
func TestLargeWriteIsNotStarved(t *testing.T) {
	db := openTestDB(t)
	sizes := []int{1000}
	for range 2 * LargeEvery {
		sizes = append(sizes, 3)
	}
	order := queueWrites(t, db, sizes)
	pos := -1
	for i, label := range order {
		if label == "0:1000" {
			pos = i
		}
	}
	// The write holding the writer was small, so at most LargeEvery-1 more
	// small writes may go before the large one.
	if pos < 0 || pos > LargeEvery-1 {
		t.Errorf("the large write ran at position %d of %v; want at most %d small writes before it", pos, order, LargeEvery-1)
	}
}

// TestWriteWaitEndsWithContext: a write still waiting for the writer when its
// context ends gives up and runs nothing; the queue goes on without it.
func TestWriteWaitEndsWithContext(t *testing.T) {
	db := openTestDB(t)
	hold, held := make(chan struct{}), make(chan struct{})
	go db.Write(context.Background(), func(tx *Tx) error { close(held); <-hold; return nil })
	<-held
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- db.Write(ctx, func(tx *Tx) error { return errors.New("ran although its context ended") })
	}()
	waitFor(t, "the write to queue", func() bool { return db.queue.waiting() == 1 })
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Write with an ended context = %v; want context.Canceled", err)
	}
	close(hold)
	if err := db.Write(context.Background(), func(tx *Tx) error { return nil }); err != nil {
		t.Errorf("write after a cancelled waiter: %v", err)
	}
}

// TestAdmittedWriteIsNotCancelled: once a write has the writer, the end of its
// context does not cut it short: everything it did is committed.
func TestAdmittedWriteIsNotCancelled(t *testing.T) {
	db := openTestDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	err := db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.Exec("INSERT INTO meta (key, value) VALUES ('a', '1')"); err != nil {
			return err
		}
		cancel()
		_, err := tx.Exec("INSERT INTO meta (key, value) VALUES ('b', '2')")
		return err
	})
	if err != nil {
		t.Fatalf("write whose client went away: %v", err)
	}
	var n int
	db.Read(context.Background(), func(tx *Tx) error {
		return tx.QueryRow("SELECT count(*) FROM meta WHERE key IN ('a', 'b')").Scan(&n)
	})
	if n != 2 {
		t.Errorf("%d of the 2 rows committed; want both", n)
	}
}

// TestLargeWriteYieldsBetweenParts: a large write made of parts lets a small
// write that arrives during its first part run before its second, and keeps
// its place ahead of a large write that arrived after it; with no small write
// waiting, its parts follow each other without letting the writer go.
func TestLargeWriteYieldsBetweenParts(t *testing.T) {
	for _, smallArrives := range []bool{true, false} {
		t.Run(fmt.Sprintf("small write arrives %v", smallArrives), func(t *testing.T) {
			db := openTestDB(t)
			ctx := context.Background()
			var mu gosync.Mutex
			var order []string
			ran := func(label string) {
				mu.Lock()
				order = append(order, label)
				mu.Unlock()
			}
			hold, held := make(chan struct{}), make(chan struct{})
			go db.Write(ctx, func(tx *Tx) error { close(held); <-hold; return nil })
			<-held
			var wg gosync.WaitGroup
			wg.Add(2)
			go func() {
				defer wg.Done()
				part := 0
				err := db.WriteParts(ctx, 1000, func(tx *Tx) (bool, error) {
					part++
					ran(fmt.Sprintf("parts.%d", part))
					if part == 1 && smallArrives {
						wg.Add(1)
						go func() {
							defer wg.Done()
							if err := db.Write(ctx, func(tx *Tx) error { ran("small"); return nil }); err != nil {
								t.Errorf("small write: %v", err)
							}
						}()
						waitFor(t, "the small write to queue", tx.SmallWaiting)
					}
					return part == 2, nil
				})
				if err != nil {
					t.Errorf("write in parts: %v", err)
				}
			}()
			waitFor(t, "the write in parts to queue", func() bool { return db.queue.waiting() == 1 })
			go func() {
				defer wg.Done()
				if err := db.WriteSized(ctx, 1000, func(tx *Tx) error { ran("later large"); return nil }); err != nil {
					t.Errorf("later large write: %v", err)
				}
			}()
			waitFor(t, "the later large write to queue", func() bool { return db.queue.waiting() == 2 })
			close(hold)
			wg.Wait()
			want := "[parts.1 parts.2 later large]"
			if smallArrives {
				want = "[parts.1 small parts.2 later large]"
			}
			if got := fmt.Sprint(order); got != want {
				t.Errorf("writes ran in the order %s; want %s", got, want)
			}
		})
	}
}
