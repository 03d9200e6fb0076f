package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// openBehindDB opens a database in a test's folder and runs the given
// statements on it.
func openBehindDB(t *testing.T, statements ...string) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "inspecta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if db.WriteInline {
		t.Fatal("a database opened for tests runs its statements inline; this test is of the statements run behind")
	}
	for _, q := range statements {
		if err := db.Write(context.Background(), func(tx *Tx) error {
			_, err := tx.Exec(q)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// TestWriteBehindReadsSeeEarlierWrites: a statement run behind the
// transaction's work has run before any later statement of the
// transaction, a query or another write, and before the commit: a read sees
// every row written before it, in the order written, whether the writes
// were handed over in full batches, a part of one, or not at all yet.
func TestWriteBehindReadsSeeEarlierWrites(t *testing.T) {
	ctx := context.Background()
	db := openBehindDB(t, "CREATE TABLE behind_rows (n INTEGER PRIMARY KEY, v TEXT NOT NULL)")
	written := 0
	for _, n := range []int{1, behindBatch - 1, behindBatch, behindBatch + 1, behindBatch*behindDepth + 3} {
		err := db.Write(ctx, func(tx *Tx) error {
			for i := 0; i < n; i++ {
				written++
				if err := tx.execLater("INSERT INTO behind_rows (n, v) VALUES (?, ?)", written, fmt.Sprint("row ", written)); err != nil {
					return err
				}
			}
			var count, last int
			if err := tx.QueryRow("SELECT count(*), COALESCE(MAX(n), 0) FROM behind_rows WHERE n > 0").Scan(&count, &last); err != nil {
				return err
			}
			if count != written || last != written {
				t.Errorf("after %d writes run behind, a query in the same transaction sees %d rows up to %d; want %d", n, count, last, written)
			}
			// The next write made inline (an update of the last row) runs after them.
			if _, err := tx.Exec("UPDATE behind_rows SET v = 'changed' WHERE n = ?", written); err != nil {
				return err
			}
			return tx.execLater("INSERT INTO behind_rows (n, v) VALUES (?, ?)", -written, "after the update")
		})
		if err != nil {
			t.Fatalf("%d writes: %v", n, err)
		}
		var v string
		if err := db.Read(ctx, func(tx *Tx) error {
			return tx.QueryRow("SELECT v FROM behind_rows WHERE n = ?", written).Scan(&v)
		}); err != nil {
			t.Fatal(err)
		}
		if v != "changed" {
			t.Errorf("%d writes: the inline update made after them was overwritten or lost: row %d reads %q", n, written, v)
		}
	}
	var count int
	if err := db.Read(ctx, func(tx *Tx) error {
		return tx.QueryRow("SELECT count(*) FROM behind_rows").Scan(&count)
	}); err != nil {
		t.Fatal(err)
	}
	if count != written+5 {
		t.Errorf("committed rows: %d; want %d (one for each write, and one after each of the five updates)", count, written+5)
	}
}

// TestWriteBehindFailureFailsTheTransaction: a statement run behind that
// fails fails the whole transaction, with its own error, even when the
// transaction went on and the failure came out only at a later query or at
// the commit; nothing of the transaction is kept.
func TestWriteBehindFailureFailsTheTransaction(t *testing.T) {
	ctx := context.Background()
	db := openBehindDB(t, "CREATE TABLE behind_rows (n INTEGER PRIMARY KEY, v TEXT NOT NULL)")
	for _, queryAfter := range []bool{false, true} {
		var seenByQuery error
		err := db.Write(ctx, func(tx *Tx) error {
			for i := 1; i <= 3*behindBatch; i++ {
				v := any(fmt.Sprint(i))
				if i == behindBatch+2 {
					v = nil // NOT NULL: fails where it runs
				}
				if err := tx.execLater("INSERT INTO behind_rows (n, v) VALUES (?, ?)", i, v); err != nil {
					return err
				}
			}
			if queryAfter {
				var n int
				seenByQuery = tx.QueryRow("SELECT count(*) FROM behind_rows").Scan(&n)
				return seenByQuery
			}
			return nil
		})
		if err == nil || !strings.Contains(err.Error(), "NOT NULL") {
			t.Errorf("query after: %v: the transaction returned %v; want the failed insert's NOT NULL error", queryAfter, err)
		}
		if queryAfter && seenByQuery == nil {
			t.Error("a query made after a failed statement run behind answered as if nothing had failed")
		}
		var count int
		if err := db.Read(ctx, func(tx *Tx) error {
			return tx.QueryRow("SELECT count(*) FROM behind_rows").Scan(&count)
		}); err != nil {
			t.Fatal(err)
		}
		if count != 0 {
			t.Errorf("query after: %v: %d rows committed by a transaction that failed; want none", queryAfter, count)
		}
	}
}

// TestInternAfterATriggerAddedTheID: an id the transaction found absent
// (prefetchInterned) and that a statement of another kind then added (an
// insert through the uuids view, whose trigger adds to uuid_rows) keeps its
// one number: intern does not take the absence it knew for still true, nor
// count on from the highest number it read before.
func TestInternAfterATriggerAddedTheID(t *testing.T) {
	ctx := context.Background()
	db := openBehindDB(t)
	a, b, c := uuid.NewString(), uuid.NewString(), uuid.NewString()
	var noA, noB, noC int64
	err := db.Write(ctx, func(tx *Tx) error {
		if err := tx.prefetchInterned([]string{a, b, c}); err != nil {
			return err
		}
		var err error
		if noA, err = tx.intern(a); err != nil { // counts on from the highest number
			return err
		}
		if _, err := tx.Exec("INSERT INTO uuids (id) VALUES (?), (?)", b, "text added by a trigger"); err != nil {
			return err
		}
		if noB, err = tx.intern(b); err != nil {
			return err
		}
		noC, err = tx.intern(c)
		return err
	})
	if err != nil {
		t.Fatalf("interning after a trigger added one of the ids: %v", err)
	}
	err = db.Read(ctx, func(tx *Tx) error {
		for s, want := range map[string]int64{a: noA, b: noB, c: noC} {
			var no int64
			if err := tx.QueryRow("SELECT no FROM uuid_rows WHERE id = ?", IDKey(s)).Scan(&no); err != nil {
				return fmt.Errorf("%s: %w", s, err)
			}
			if no != want {
				t.Errorf("intern gave %s the number %d; uuid_rows holds it as %d", s, want, no)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if noA == noB || noB == noC || noA == noC {
		t.Errorf("two ids share a number: %d, %d, %d", noA, noB, noC)
	}
}

// TestCodesNumberedAsStored: the codes a transaction adds (codeNo, inserts
// run behind) are stored under the numbers it gave them, each its own, after
// the codes already there, and a code already there keeps its number.
func TestCodesNumberedAsStored(t *testing.T) {
	ctx := context.Background()
	db := openBehindDB(t)
	given := map[string]int64{}
	for round, codes := range [][]string{{"item_a", "item_b", "item_c"}, {"item_b", "item_d", "item_e", "item_a"}} {
		err := db.Write(ctx, func(tx *Tx) error {
			for _, c := range codes {
				no, err := tx.codeNo("item_codes", c)
				if err != nil {
					return err
				}
				if was, ok := given[c]; ok && was != no {
					t.Errorf("round %d: %s numbered %d; it was %d", round, c, no, was)
				}
				given[c] = no
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	seen := map[int64]string{}
	err := db.Read(ctx, func(tx *Tx) error {
		for c, want := range given {
			var no int64
			if err := tx.QueryRow("SELECT no FROM item_codes WHERE code = ?", c).Scan(&no); err != nil {
				return fmt.Errorf("%s: %w", c, err)
			}
			if no != want {
				t.Errorf("codeNo gave %s the number %d; item_codes holds it as %d", c, want, no)
			}
			if other, ok := seen[no]; ok {
				t.Errorf("%s and %s share the number %d", c, other, no)
			}
			seen[no] = c
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
