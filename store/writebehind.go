package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Write-behind: a write transaction hands the plain inserts of a push (the
// op log's row, a record's row and its bookkeeping row, a new interned id)
// to a goroutine of its own, which runs them on the writer connection in
// the order they were made while the transaction goes on working out the
// next operation. On a server of two cores the engine's Go work and
// SQLite's work on the rows then overlap instead of taking turns.
//
// The rules that keep this exactly as if each statement ran where it was
// made:
//   - Only statements whose result nobody reads go behind (execLater): no
//     RowsAffected, no LastInsertId, and an error that fails the whole
//     transaction, as every error of these statements does.
//   - Every other statement of the transaction (Exec, Query, QueryRow)
//     waits first until all the statements made before it have run
//     (settle), so it sees their rows; so does the commit.
//   - The first error of a statement run behind is kept: the next statement,
//     and the commit, return it, and the transaction rolls back.
//   - Nothing goes behind while a plan watch is on (tests): it plans each
//     statement where it is made.

// behindBatch is how many statements are handed over at a time: a hand-over
// costs a wake-up of the other goroutine, a few microseconds, about what one
// insert takes.
const behindBatch = 16

// behindDepth is how many batches may wait for the goroutine before the
// transaction waits for it.
const behindDepth = 8

// behindStmt is one statement made to run behind.
type behindStmt struct {
	query string
	args  []any
}

// writeBehind is a transaction's statements running behind and their
// goroutine (started at the first hand-over).
type writeBehind struct {
	pending []behindStmt      // made, not yet handed over
	batches chan []behindStmt // handed over, to run in order
	done    chan struct{}     // one per batch run
	queued  int               // batches handed over whose done was not received
	err     error             // the first failure; written by the goroutine before its done
	logRows []any             // rows of the op log waiting for their insert (logLater)
}

// execLater runs a statement whose result is not read, behind the
// transaction's work (see above).
func (tx *Tx) execLater(query string, args ...any) error {
	if tx.inline() {
		_, err := tx.Exec(query, args...)
		return err
	}
	wb := &tx.behind
	if wb.queued == 0 && wb.err != nil { // read only when every batch is done
		return wb.err
	}
	wb.pending = append(wb.pending, behindStmt{query: query, args: args})
	if len(wb.pending) >= behindBatch {
		wb.handOver(tx)
	}
	return nil
}

// inline reports whether the transaction runs every statement where it is
// made: no database behind it, DB.WriteInline, or a plan watch on.
func (tx *Tx) inline() bool {
	return tx.db == nil || tx.db.WriteInline || tx.db.planWatch.Load() != nil
}

// handOver gives the pending statements to the goroutine, starting it when
// this is the first batch; it waits for the goroutine when behindDepth
// batches are waiting already.
func (wb *writeBehind) handOver(tx *Tx) {
	if len(wb.pending) == 0 {
		return
	}
	if wb.batches == nil {
		wb.batches = make(chan []behindStmt, behindDepth)
		wb.done = make(chan struct{}, behindDepth)
		go wb.run(tx)
	}
	if wb.queued == behindDepth {
		<-wb.done
		wb.queued--
	}
	wb.batches <- wb.pending
	wb.queued++
	wb.pending = make([]behindStmt, 0, behindBatch)
}

// run is the goroutine: it runs each batch's statements in order, and none
// after the first failure.
func (wb *writeBehind) run(tx *Tx) {
	for batch := range wb.batches {
		for _, s := range batch {
			if wb.err != nil {
				break
			}
			if _, err := tx.Tx.ExecContext(tx.Ctx, s.query, s.args...); err != nil {
				wb.err = fmt.Errorf("%w (statement run behind: %.60s)", err, s.query)
			}
		}
		wb.done <- struct{}{}
	}
}

// logRowsAtOnce is how many rows of the op log one insert writes: the
// statement's own cost, about as much as a row's, is paid once for them.
const logRowsAtOnce = 32

// logLater writes a row of the op log (opLogColumns) behind, with others in
// one insert. Nothing reads the op log but a query, which settles first, and
// no trigger of another table reads it, so the rows may wait for their
// insert while other statements run.
func (tx *Tx) logLater(row []any) error {
	if tx.inline() {
		return tx.execLater(opLogInsert(1), row...)
	}
	wb := &tx.behind
	wb.logRows = append(wb.logRows, row...)
	if len(wb.logRows) >= logRowsAtOnce*len(row) {
		return tx.flushLog()
	}
	return nil
}

// flushLog hands the op log's waiting rows to the statements run behind.
func (tx *Tx) flushLog() error {
	wb := &tx.behind
	if len(wb.logRows) == 0 {
		return nil
	}
	rows := wb.logRows
	wb.logRows = nil
	// In inserts of 32, 16, 8, 4, 2 or 1 rows: few statements, so they stay
	// in the connection's cache of prepared statements (preparing an insert
	// of 32 rows costs more than running it).
	for len(rows) > 0 {
		n := logRowsAtOnce
		for n*opLogWidth > len(rows) {
			n /= 2
		}
		if err := tx.execLater(opLogInsert(n), rows[:n*opLogWidth]...); err != nil {
			return err
		}
		rows = rows[n*opLogWidth:]
	}
	return nil
}

// settle runs every statement made so far and returns the first failure of
// one run behind. Every other use of the connection calls it first.
func (tx *Tx) settle() error {
	wb := &tx.behind
	if err := tx.flushLog(); err != nil {
		return err
	}
	if wb.batches == nil && len(wb.pending) == 0 {
		return nil
	}
	wb.handOver(tx)
	for ; wb.queued > 0; wb.queued-- {
		<-wb.done
	}
	return wb.err
}

// stopBehind settles and ends the goroutine; the transaction's end (commit
// or rollback) calls it.
func (tx *Tx) stopBehind() error {
	err := tx.settle()
	if tx.behind.batches != nil {
		close(tx.behind.batches)
		tx.behind.batches = nil
	}
	return err
}

// failedContext is an ended context: a query made after a statement run
// behind failed is answered with its error, not run.
var failedContext = func() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}()

// The embedded *sql.Tx's methods that other packages could call wait for
// the statements run behind too (review 11): ExecContext, QueryContext and
// QueryRowContext (store.go) and Prepare.

// Prepare prepares a statement after the statements run behind. A prepared
// statement then runs where it is used, without waiting for later ones:
// a transaction that writes records or logs operations (which run behind)
// must not use one (only the bench's baseline does, on a file of its own).
func (tx *Tx) Prepare(query string) (*sql.Stmt, error) {
	if err := tx.settle(); err != nil {
		return nil, err
	}
	return tx.Tx.PrepareContext(tx.Ctx, query)
}
