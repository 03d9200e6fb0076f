package store

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sign-in protection settings.
const (
	// TokenLifetime is how long a device token lives without use; every sync renews it.
	TokenLifetime = 30 * 24 * time.Hour
	// UserFailureLimit failed sign-ins in a row lock a username, AddrFailureLimit an address.
	UserFailureLimit = 5
	AddrFailureLimit = 20
	// LockDuration is how long a lock lasts unless an administrator lifts it.
	LockDuration = 15 * time.Minute
	// failureWindow forgets failures older than this.
	failureWindow = time.Hour
)

// ErrLocked is returned while a username or address is locked after failed sign-ins.
type ErrLocked struct{ Until time.Time }

func (e *ErrLocked) Error() string {
	return fmt.Sprintf("too many failed sign-ins: try again after %s UTC, or ask an administrator to unlock the account",
		e.Until.UTC().Format("15:04"))
}

// ErrTokenExpired is returned for a token unused for longer than TokenLifetime.
var ErrTokenExpired = errors.New("the token has expired; sign in again (your unsynced data stays on the device)")

func failureKeys(username, addr string) []string {
	keys := []string{"user:" + strings.ToLower(username)}
	if addr != "" {
		keys = append(keys, "addr:"+addr)
	}
	return keys
}

// CheckSignInAllowed returns *ErrLocked when the username or the address is locked.
func (tx *Tx) CheckSignInAllowed(username, addr string) error {
	for _, key := range failureKeys(username, addr) {
		var until string
		err := tx.QueryRow("SELECT locked_until FROM login_failures WHERE key = ?", key).Scan(&until)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return fmt.Errorf("check sign-in lock: %w", err)
		}
		if until == "" {
			continue
		}
		t, err := time.Parse(TimeFormat, until)
		if err == nil && tx.Now.Before(t) {
			return &ErrLocked{Until: t}
		}
	}
	return nil
}

// RecordSignInFailure counts a failed sign-in for the username and the address
// and locks either that reached its limit. It returns the user's failures in a
// row, which the caller uses to slow its answer.
func (tx *Tx) RecordSignInFailure(username, addr string) (int, error) {
	userFailures := 0
	for i, key := range failureKeys(username, addr) {
		limit := UserFailureLimit
		if i == 1 {
			limit = AddrFailureLimit
		}
		var failures int
		var last string
		err := tx.QueryRow("SELECT failures, last_at FROM login_failures WHERE key = ?", key).Scan(&failures, &last)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, fmt.Errorf("record sign-in failure: %w", err)
		}
		if t, err := time.Parse(TimeFormat, last); err == nil && tx.Now.Sub(t) > failureWindow {
			failures = 0
		}
		failures++
		locked := ""
		if failures >= limit {
			locked = FormatTime(tx.Now.Add(LockDuration))
		}
		if _, err := tx.Exec(`INSERT INTO login_failures (key, failures, last_at, locked_until) VALUES (?, ?, ?, ?)
			ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, last_at = excluded.last_at, locked_until = excluded.locked_until`,
			key, failures, tx.NowText(), locked); err != nil {
			return 0, fmt.Errorf("record sign-in failure: %w", err)
		}
		if locked != "" {
			if err := tx.AddAuditEvent("", "signin_locked", key, "", addr); err != nil {
				return 0, err
			}
		}
		if i == 0 {
			userFailures = failures
		}
	}
	return userFailures, nil
}

// ClearSignInFailures forgets a username's failures after a good sign-in.
func (tx *Tx) ClearSignInFailures(username string) error {
	_, err := tx.Exec("DELETE FROM login_failures WHERE key = ?", "user:"+strings.ToLower(username))
	return err
}

// UnlockSignIn lifts the lock of a username (and of every address): an administrator's act.
func (tx *Tx) UnlockSignIn(username string) error {
	if _, err := tx.UserByUsername(username); err != nil {
		return fmt.Errorf("no user %q", username)
	}
	if _, err := tx.Exec("DELETE FROM login_failures WHERE key = ? OR key LIKE 'addr:%'", "user:"+strings.ToLower(username)); err != nil {
		return fmt.Errorf("unlock: %w", err)
	}
	return nil
}

// RenewDevice records that the device was seen now and pushes its token's
// expiry TokenLifetime ahead.
func (tx *Tx) RenewDevice(deviceID string) error {
	_, err := tx.Exec("UPDATE devices SET last_seen_at = ?, expires_at = ? WHERE id = ?",
		tx.NowText(), FormatTime(tx.Now.Add(TokenLifetime)), deviceID)
	return err
}
