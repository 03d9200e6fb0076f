package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	gosync "sync"
	"syscall"
	"time"
)

// ErrServerRunning is returned when a server holds the database's lock.
var ErrServerRunning = errors.New("a server is running on this database; stop it first")

// LockServe takes the lock a server holds on its database for as long as it
// runs (an exclusive flock on DB.lock, released by the kernel if the process
// dies), so that a restore cannot replace the file under it.
func LockServe(dbPath string) (unlock func(), err error) {
	if dir := filepath.Dir(dbPath); dir != "" {
		if err := os.MkdirAll(dir, DataDirMode); err != nil {
			return nil, fmt.Errorf("create database folder %s: %w", dir, err)
		}
	}
	f, err := os.OpenFile(dbPath+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%s: %w", dbPath, ErrServerRunning)
		}
		return nil, fmt.Errorf("lock %s: %w", dbPath, err)
	}
	key := lockKey(dbPath)
	servingHere.Store(key, true)
	return func() {
		servingHere.Delete(key)
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// servingHere holds the databases (lockKey) whose serve lock this process
// holds: Open upgrades those, being their server.
var servingHere gosync.Map

func lockKey(dbPath string) string {
	if abs, err := filepath.Abs(dbPath); err == nil {
		return abs
	}
	return dbPath
}

// checkNoOtherServer returns ErrServerRunning when another process serves
// the database at dbPath (holds its lock, LockServe).
func checkNoOtherServer(dbPath string) error {
	if _, ok := servingHere.Load(lockKey(dbPath)); ok {
		return nil
	}
	f, err := os.Open(dbPath + ".lock")
	if errors.Is(err, os.ErrNotExist) {
		return nil // never served
	}
	if err != nil {
		return fmt.Errorf("open lock file: %w", err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB); err != nil {
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return ErrServerRunning
		}
		return fmt.Errorf("lock %s: %w", dbPath, err)
	}
	return syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}

// Restored tells what a restore did.
type Restored struct {
	Generation string        // the database's new generation
	Aside      string        // where the replaced database was kept ("" if there was none)
	Access     AccessCarried // what was taken over from the replaced database's accounts and devices
	Lost       LostChanges   // what the replaced database held after the backup, which the restore leaves out
}

// Restore is RestoreWith with the default options.
func Restore(ctx context.Context, dbPath, from string) (*Restored, error) {
	return RestoreWith(ctx, dbPath, from, RestoreOptions{})
}

// RestoreWith replaces the database at dbPath with the backup at from
// (docs/protocol.md, "Database generation"): it refuses while a server runs
// on dbPath, checks a copy of the backup (the backup itself is not changed),
// carries over from the replaced database the accounts and devices changed
// after the backup (a revoked phone stays revoked; see AccessCarried) or,
// when that database cannot be read, revokes every token, gives the copy a
// new generation that moves the sequence past the lost history, keeps the
// replaced database (and its WAL) aside, and puts the copy in place.
func RestoreWith(ctx context.Context, dbPath, from string, opts RestoreOptions) (*Restored, error) {
	unlock, err := LockServe(dbPath)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if _, err := os.Stat(from); err != nil {
		return nil, fmt.Errorf("no backup at %s", from)
	}
	tmp := dbPath + ".restoring"
	removeDB(tmp)
	if err := copyFile(from, tmp); err != nil {
		removeDB(tmp)
		return nil, err
	}
	// The backup's photo files come back first (those missing here), so
	// that the copy's check finds every photo it records.
	if err := copyBlobs(ctx, tmp, NewBlobs(BlobDir(from)), NewBlobs(BlobDir(dbPath))); err != nil {
		removeDB(tmp)
		return nil, fmt.Errorf("restore the photos of %s: %w", from, err)
	}
	out := &Restored{}
	if err := prepareRestored(ctx, tmp, from, dbPath, opts, out); err != nil {
		removeDB(tmp)
		return nil, err
	}
	if _, err := os.Stat(dbPath); err == nil {
		out.Aside = fmt.Sprintf("%s.replaced-%s", dbPath, time.Now().UTC().Format("20060102T150405Z"))
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if _, err := os.Stat(dbPath + suffix); err != nil {
				continue
			}
			if err := os.Rename(dbPath+suffix, out.Aside+suffix); err != nil {
				return nil, fmt.Errorf("keep the replaced database aside: %w", err)
			}
		}
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		return nil, fmt.Errorf("put the restored database in place: %w", err)
	}
	syncDir(filepath.Dir(dbPath))
	return out, nil
}

// prepareRestored opens the copy (applying newer migrations), checks it,
// carries over the access changes of the database at replaced (or revokes
// every token) and starts its new generation, in one transaction; it fills
// out's Generation and Access.
func prepareRestored(ctx context.Context, path, from, replaced string, opts RestoreOptions, out *Restored) error {
	db, err := Open(ctx, path)
	if err != nil {
		return fmt.Errorf("the backup %s cannot be opened: %w", from, err)
	}
	defer db.Close()
	problems, err := db.Check(ctx)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("the backup %s fails its check (%s); nothing was changed", from, problems[0])
	}
	var lastEvent string
	if err := db.Read(ctx, func(tx *Tx) error {
		return tx.QueryRow("SELECT COALESCE(MAX(at), '') FROM audit_events").Scan(&lastEvent)
	}); err != nil {
		return fmt.Errorf("read the backup's audit trail: %w", err)
	}
	var backupSeq int64
	var backupLast string
	if err := db.Read(ctx, func(tx *Tx) error {
		var err error
		backupSeq, backupLast, err = tx.backupPoint()
		return err
	}); err != nil {
		return fmt.Errorf("read the backup's last change: %w", err)
	}
	ra, readErr := readReplacedAccess(ctx, replaced, lastEvent)
	out.Lost = LostChanges{BackupLast: backupLast}
	if readErr == nil {
		if out.Lost, err = readLostChanges(ctx, replaced, backupSeq, backupLast); err != nil {
			return err
		}
	}
	err = db.Write(ctx, func(tx *Tx) error {
		out.Access = AccessCarried{}
		if readErr != nil {
			out.Access.Unreadable = readErr.Error()
		} else {
			out.Access.Read = true
			if err := tx.carryAccess(ra, &out.Access); err != nil {
				return err
			}
		}
		if readErr != nil || opts.RevokeAllTokens {
			n, err := tx.revokeAllTokens()
			if err != nil {
				return err
			}
			out.Access.TokensRevoked = n
		}
		var err error
		if out.Generation, err = tx.NewGeneration(from); err != nil {
			return err
		}
		return tx.AddAuditEvent("", "restore", from, restoreAuditDetail(out.Access, out.Lost), "")
	})
	if err != nil {
		return err
	}
	if _, err := db.write.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return fmt.Errorf("checkpoint the restored database: %w", err)
	}
	return nil
}

// restoreAuditDetail is the audit trail's line for what a restore carried
// over.
func restoreAuditDetail(a AccessCarried, lost LostChanges) string {
	if !a.Read {
		return fmt.Sprintf("replaced database not read (%s): %d token(s) revoked", a.Unreadable, a.TokensRevoked)
	}
	return fmt.Sprintf("carried over: %d revoked device(s), %d new device(s), %d changed account(s), %d new account(s), %d account event(s); %d token(s) revoked; "+
		"left out: %d change(s) and %d visit status change(s) stored after the backup",
		a.DevicesRevoked, a.DevicesAdded, a.UsersChanged, a.UsersAdded, a.AuditEvents, a.TokensRevoked, lost.Changes, len(lost.Statuses))
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return fmt.Errorf("read backup: %w", err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("copy backup: %w", err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copy backup: %w", err)
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return fmt.Errorf("copy backup: %w", err)
	}
	return out.Close()
}

func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
