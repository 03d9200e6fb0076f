// Package store is Inspecta's SQLite storage: it opens the database with the
// pragmas the records need, applies the embedded migrations, and holds the
// queries. It is the only package that imports the SQLite driver.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	gosync "sync"
	"sync/atomic"
	"time"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver

	"inspecta/schema"
)

// ErrNotFound is returned when a requested record does not exist.
var ErrNotFound = errors.New("not found")

// TimeFormat is how every time is stored: RFC 3339 in UTC with milliseconds,
// which sorts as text.
const TimeFormat = "2006-01-02T15:04:05.000Z07:00"

// FormatTime formats t in UTC as stored in the database.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeFormat) }

// DB is an open Inspecta database: one writer connection, so writes never wait on
// each other's locks, and a pool of readers that WAL lets run beside it.
type DB struct {
	Path string
	// Now is the clock; tests replace it. Every transaction reads it once.
	Now func() time.Time
	// PasswordCost is the bcrypt cost of the password hashes made (0:
	// bcrypt.DefaultCost). Only the bench and tests lower it (MinPasswordCost),
	// for users whose passwords protect nothing: under the race detector a
	// hash at the default cost takes seconds. A server never sets it.
	PasswordCost int

	write *sql.DB
	read  *sql.DB
	queue writeQueue // admission to write, in an order fair to small writes
	blobs *Blobs     // the photo files beside the database

	checklists checklistCache
	planWatch  atomic.Pointer[PlanWatch] // tests only: WatchPlans

	// WriteInline runs every statement of a write transaction where it is
	// made, none behind (writebehind.go): tests compare the two ways.
	WriteInline bool
}

// Blobs returns the folder of the database's photo files.
func (db *DB) Blobs() *Blobs { return db.blobs }

// dsn returns the data source name with the pragmas in it, so that every pooled
// connection gets them (a PRAGMA run on a pool reaches only one connection).
func dsn(path string, readOnly bool) string {
	v := url.Values{}
	v.Set("_busy_timeout", "10000")
	v.Set("_journal_mode", "WAL")
	v.Set("_synchronous", "FULL") // these records are evidence: durable at commit
	v.Set("_foreign_keys", "on")
	v.Set("_stmt_cache_size", "64") // the same few statements run for every pushed operation
	if readOnly {
		v.Set("mode", "ro")
	} else {
		v.Set("_txlock", "immediate") // take the write lock at BEGIN, not halfway through
	}
	return "file:" + escapeURIPath(path) + "?" + v.Encode()
}

// escapeURIPath escapes what a SQLite file: URI would read as something other
// than the path: "%" (an escape), "?" (the start of the parameters) and "#"
// (a fragment). Without it --db "data/a#1.db" opens data/a.
func escapeURIPath(path string) string {
	return strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(path)
}

// Open opens (creating it and its folder if needed) the database at path and
// applies any migration not yet applied.
func Open(ctx context.Context, path string) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, DataDirMode); err != nil {
			return nil, fmt.Errorf("create database folder %s: %w", dir, err)
		}
	}
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	db := &DB{Path: path, Now: time.Now, blobs: NewBlobs(BlobDir(path))}
	var err error
	if db.write, err = sql.Open("sqlite3", dsn(path, false)); err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db.write.SetMaxOpenConns(1)
	db.write.SetConnMaxIdleTime(0)
	var mode string
	if err := db.write.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		db.write.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if mode != "wal" {
		db.write.Close()
		return nil, fmt.Errorf("open database %s: journal_mode is %q, want wal", path, mode)
	}
	if err := db.migrate(ctx); err != nil {
		db.write.Close()
		return nil, err
	}
	if db.read, err = sql.Open("sqlite3", dsn(path, true)); err != nil {
		db.write.Close()
		return nil, fmt.Errorf("open database readers: %w", err)
	}
	db.read.SetMaxOpenConns(max(4, runtime.NumCPU()*2))
	return db, nil
}

// Close closes every connection.
func (db *DB) Close() error {
	var err error
	if db.read != nil {
		err = db.read.Close()
	}
	if e := db.write.Close(); e != nil && err == nil {
		err = e
	}
	return err
}

// migrate applies, in name order and each in its own transaction, every
// embedded migration not yet recorded in schema_migrations, then seeds regions,
// packs checklist bodies still stored as text and seeds the embedded checklists.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	migrations := schema.Migrations()
	names, err := fs.Glob(migrations, "*.sql")
	if err != nil {
		return fmt.Errorf("list migrations: %w", err)
	}
	sort.Strings(names)
	pending, err := db.pendingMigrations(ctx, names)
	if err != nil {
		return err
	}
	if len(pending) > 0 {
		if err := checkNoOtherServer(db.Path); err != nil {
			return fmt.Errorf("the database %s needs this version's migrations (%s to %s) before it can be used, but %w: "+
				"stop that server, back the file up, then start this version's server, whose first start upgrades it",
				db.Path, pending[0], pending[len(pending)-1], err)
		}
	}
	for _, name := range names {
		if err := db.applyMigration(ctx, migrations, name); err != nil {
			return err
		}
	}
	if err := db.seedRegions(ctx); err != nil {
		return err
	}
	if err := db.compressChecklistBodies(ctx); err != nil {
		return err
	}
	return db.seedChecklists(ctx)
}

// ErrNewerDatabase is returned by Open for a database that a newer version
// of Inspecta has upgraded: this version cannot read its tables.
var ErrNewerDatabase = errors.New("the database was upgraded by a newer version of Inspecta")

// pendingMigrations lists the embedded migrations (names, sorted) the
// database has not applied. A database that applied a migration this
// version does not know is refused (ErrNewerDatabase): an older binary
// started on it, after a rollback, would misread every table it changed.
func (db *DB) pendingMigrations(ctx context.Context, names []string) ([]string, error) {
	rows, err := db.write.QueryContext(ctx, "SELECT name FROM schema_migrations ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("list applied migrations: %w", err)
	}
	defer rows.Close()
	applied := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("list applied migrations: %w", err)
		}
		if !slices.Contains(names, n) {
			return nil, fmt.Errorf("%s (%w: its migration %s is not one of this version's): run that version, or restore a backup made before the upgrade",
				db.Path, ErrNewerDatabase, n)
		}
		applied[n] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list applied migrations: %w", err)
	}
	var pending []string
	for _, n := range names {
		if !applied[n] {
			pending = append(pending, n)
		}
	}
	return pending, nil
}

func (db *DB) applyMigration(ctx context.Context, migrations fs.FS, name string) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE name = ?", name).Scan(&n); err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	if n > 0 {
		return nil
	}
	body, err := fs.ReadFile(migrations, name)
	if err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
		name, FormatTime(db.Now())); err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	return tx.Commit()
}

func (db *DB) seedRegions(ctx context.Context) error {
	return db.Write(ctx, func(tx *Tx) error {
		for _, r := range schema.Regions {
			if _, err := tx.Exec(`INSERT INTO regions (code, name_en, name_ru, name_kk, kind) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT(code) DO UPDATE SET name_en = excluded.name_en, name_ru = excluded.name_ru,
				name_kk = excluded.name_kk, kind = excluded.kind`,
				r.Code, r.Name["en"], r.Name["ru"], r.Name["kk"], r.Kind); err != nil {
				return fmt.Errorf("seed region %s: %w", r.Code, err)
			}
		}
		return nil
	})
}

// AppliedMigrations lists the names of the migrations recorded as applied.
func (db *DB) AppliedMigrations(ctx context.Context) ([]string, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT name FROM schema_migrations ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("list applied migrations: %w", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

// Tx is a transaction with the time it started; helpers that change data take
// it so that a multi-statement change is one transaction.
type Tx struct {
	*sql.Tx
	Ctx context.Context
	Now time.Time

	db *DB
	// catalog is the checklist catalog as this transaction read it (nil:
	// not read yet, or checklists changed in it).
	catalog *schema.Catalog

	// records caches what LoadRecord read or SaveRecord wrote in this
	// transaction: a push touches the same visit and locations op after op.
	records map[string]*Record
	// absent holds the records PrefetchIndex found not indexed ("type/id"),
	// until the transaction writes them; keys the natural keys PrefetchKeys
	// or an insert made known, with the record holding each ("" for none).
	absent map[string]bool
	keys   map[string]string
	// heads holds what saveIndex wrote of each record ("type/id"), for Head.
	heads map[string]RecordHead
	// interned holds the numbers of texts in uuids this transaction looked
	// up or added (intern.go); 0 for a text prefetchInterned found absent.
	interned map[string]int64
	// codes holds the numbers of codes (a region) this transaction looked
	// up or added, by table and code (codes.go).
	codes map[string]*codeTable
	// seq is the server sequence as taken in this transaction (0: not read
	// yet); it is written back once, before commit. Safe because every write
	// goes through the one writer connection.
	seq, seqStored int64
	// pushed holds, per device, the latest received_at of the operations
	// this transaction logged (LogOp); devices.last_push_at takes it once,
	// before commit.
	pushed map[string]string
	// behind holds the statements run behind the transaction's work
	// (writebehind.go); uuidMax is the highest number in uuid_rows as this
	// transaction knows it (0: not read), for the ids intern adds.
	// absentIDs says interned holds ids found absent (0).
	behind    writeBehind
	uuidMax   int64
	absentIDs bool
}

// Exec runs a statement in the transaction's context (ExecContext).
func (tx *Tx) Exec(query string, args ...any) (sql.Result, error) {
	return tx.ExecContext(tx.Ctx, query, args...)
}

// ExecContext runs a statement after every statement made before it
// (settle). An insert through a view may fire a trigger that adds ids to
// uuid_rows or codes, so intern and codeNo read those again after one.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := tx.settle(); err != nil {
		return nil, err
	}
	tx.checkPlan(query, args)
	res, err := tx.Tx.ExecContext(ctx, query, args...)
	if insertsThroughView.MatchString(query) {
		tx.forgetAbsentIDs()
	}
	return res, err
}

// Query runs a query in the transaction's context (QueryContext).
func (tx *Tx) Query(query string, args ...any) (*sql.Rows, error) {
	return tx.QueryContext(tx.Ctx, query, args...)
}

// QueryContext runs a query after every statement made before it (settle).
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := tx.settle(); err != nil {
		return nil, err
	}
	tx.checkPlan(query, args)
	return tx.Tx.QueryContext(ctx, query, args...)
}

// QueryRow runs a one-row query in the transaction's context
// (QueryRowContext).
func (tx *Tx) QueryRow(query string, args ...any) *sql.Row {
	return tx.QueryRowContext(tx.Ctx, query, args...)
}

// QueryRowContext runs a one-row query after every statement made before
// it (settle). When one of those failed, the row's error is that the
// context ended, and the transaction's end returns the failure itself.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if err := tx.settle(); err != nil {
		return tx.Tx.QueryRowContext(failedContext, query, args...)
	}
	tx.checkPlan(query, args)
	return tx.Tx.QueryRowContext(ctx, query, args...)
}

func (tx *Tx) checkPlan(query string, args []any) {
	if tx.db == nil {
		return
	}
	if w := tx.db.planWatch.Load(); w != nil {
		w.plan(tx, query, args)
	}
}

// NowText is the transaction's time as stored.
func (tx *Tx) NowText() string { return FormatTime(tx.Now) }

// Write runs fn in a write transaction on the single writer connection and
// commits it if fn returns nil. It is WriteSized for a one-unit write.
func (db *DB) Write(ctx context.Context, fn func(*Tx) error) error {
	return db.WriteSized(ctx, 1, fn)
}

// WriteSized is Write for a transaction of about units operations (a push's
// count): the writer is taken in writeQueue's order, where small writes do not
// wait behind large ones. ctx bounds only the wait for the writer; once
// admitted, the transaction runs to its end with ctx's values but not its
// cancellation, so a client that hangs up does not waste the work done (its
// retry is answered from the op log), and go-sqlite3 does not start a watcher
// goroutine for every statement of a cancellable context.
func (db *DB) WriteSized(ctx context.Context, units int, fn func(*Tx) error) error {
	tm := timingOf(ctx)
	waited := time.Now()
	if err := db.queue.acquire(ctx, units); err != nil {
		return fmt.Errorf("wait for the writer: %w", err)
	}
	tm.add(phaseQueue, waited)
	defer db.queue.release()
	return db.run(context.WithoutCancel(ctx), db.write, fn)
}

// WriteParts runs a large write of about units operations as successive
// transactions, its parts, each committed on its own: fn is called with a new
// transaction until it returns done. fn ends a part early, with the work done
// so far, when tx.SmallWaiting says a small write waits for the writer; that
// write then runs between the parts, and the next part takes the writer back
// ahead of every large write that arrived after this one (writeQueue). With no
// small write waiting, the parts follow each other without letting go of the
// writer.
//
// An error ends it with the parts before committed: fn's work must be safe to
// do again (a push's is, by op_id), since the caller's retry repeats it. ctx
// bounds the waits for the writer, as for WriteSized.
func (db *DB) WriteParts(ctx context.Context, units int, fn func(*Tx) (done bool, err error)) error {
	tm := timingOf(ctx)
	ticket := db.queue.ticket()
	waited := time.Now()
	if err := db.queue.acquireAs(ctx, units, ticket); err != nil {
		return fmt.Errorf("wait for the writer: %w", err)
	}
	tm.add(phaseQueue, waited)
	held := true
	defer func() {
		if held {
			db.queue.release()
		}
	}()
	for {
		done := false
		err := db.run(context.WithoutCancel(ctx), db.write, func(tx *Tx) error {
			var err error
			done, err = fn(tx)
			return err
		})
		if err != nil || done {
			return err
		}
		waited := time.Now()
		if err := db.queue.yield(ctx, units, ticket); err != nil {
			held = false
			return fmt.Errorf("wait for the writer between parts: %w", err)
		}
		tm.add(phaseQueue, waited)
	}
}

// SmallWaiting reports whether a small write waits for the writer: a part of
// DB.WriteParts ends early when it does.
func (tx *Tx) SmallWaiting() bool { return tx.db.queue.smallWaiting() }

// Timing is where one request's writes spent their time; WithTiming puts one
// in a context, and the writes run with that context add to it. Queue is the
// wait for the writer (WriteSized, WriteParts), Run the transactions' work,
// Commit their commits (fsync included), Parts the transactions run.
type Timing struct {
	mu                 gosync.Mutex
	Queue, Run, Commit time.Duration
	Parts              int
}

type timingKey struct{}

// WithTiming returns ctx carrying a new Timing, and the Timing.
func WithTiming(ctx context.Context) (context.Context, *Timing) {
	t := &Timing{}
	return context.WithValue(ctx, timingKey{}, t), t
}

func timingOf(ctx context.Context) *Timing {
	t, _ := ctx.Value(timingKey{}).(*Timing)
	return t
}

const (
	phaseQueue = iota
	phaseRun
	phaseCommit
)

// add adds the time since start to a phase; a nil Timing ignores it.
func (t *Timing) add(phase int, start time.Time) {
	if t == nil {
		return
	}
	d := time.Since(start)
	t.mu.Lock()
	defer t.mu.Unlock()
	switch phase {
	case phaseQueue:
		t.Queue += d
	case phaseRun:
		t.Run += d
	case phaseCommit:
		t.Commit += d
	}
}

// Snapshot returns a copy of the figures so far.
func (t *Timing) Snapshot() (queue, run, commit time.Duration, parts int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.Queue, t.Run, t.Commit, t.Parts
}

// Read runs fn in a read-only transaction on a reader connection: it sees one
// consistent snapshot however long it runs.
func (db *DB) Read(ctx context.Context, fn func(*Tx) error) error {
	return db.run(ctx, db.read, fn)
}

func (db *DB) run(ctx context.Context, pool *sql.DB, fn func(*Tx) error) error {
	sqlTx, err := pool.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer sqlTx.Rollback()
	tx := &Tx{Tx: sqlTx, Ctx: ctx, Now: db.Now().UTC(), db: db}
	defer tx.stopBehind() // before the rollback: nothing runs behind it
	var tm *Timing
	if pool == db.write {
		if tm = timingOf(ctx); tm != nil {
			tm.mu.Lock()
			tm.Parts++
			tm.mu.Unlock()
		}
	}
	started := time.Now()
	if err := fn(tx); err != nil {
		if behind := tx.stopBehind(); behind != nil {
			return behind // the cause: fn saw only its consequence
		}
		return err
	}
	if tx.seq != tx.seqStored {
		if _, err := tx.Exec("UPDATE sync_seq SET value = ? WHERE id = 1", tx.seq); err != nil {
			return fmt.Errorf("store sequence: %w", err)
		}
	}
	for device, at := range tx.pushed {
		if _, err := tx.Exec("UPDATE devices SET last_push_at = ? WHERE id = ? AND (last_push_at IS NULL OR last_push_at < ?)",
			at, device, at); err != nil {
			return fmt.Errorf("store last push of device %s: %w", device, err)
		}
	}
	if err := tx.stopBehind(); err != nil {
		return err
	}
	tm.add(phaseRun, started)
	committed := time.Now()
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	tm.add(phaseCommit, committed)
	return nil
}

// Meta reads a value of the meta table; "" when absent.
func (tx *Tx) Meta(key string) (string, error) {
	var v string
	err := tx.QueryRow("SELECT value FROM meta WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetMeta writes a value of the meta table.
func (tx *Tx) SetMeta(key, value string) error {
	_, err := tx.Exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value)
	return err
}

// placeholders returns "?, ?, ?" for n parameters.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// IsFull reports whether err is SQLite saying the database or disk is full.
func IsFull(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "database or disk is full") || strings.Contains(msg, "SQLITE_FULL")
}
