package store

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
)

// RestoreJump is how far a restore moves the server sequence forward: no
// sequence issued after the restore was issued in the history it lost, however
// long that history was (2^40 operations would take centuries).
const RestoreJump = int64(1) << 40

// Generation is the database's current generation id (docs/protocol.md,
// "Database generation").
func (tx *Tx) Generation() (string, error) {
	var id string
	err := tx.QueryRow("SELECT id FROM generations ORDER BY first_seq DESC, started_at DESC LIMIT 1").Scan(&id)
	if err != nil {
		return "", fmt.Errorf("read generation: %w", err)
	}
	return id, nil
}

// InLostHistory reports whether seq was issued only in a history that a
// restore lost (a device's cursor or base from before the restore).
func (tx *Tx) InLostHistory(seq int64) (bool, error) {
	var n int
	err := tx.QueryRow("SELECT count(*) FROM generations WHERE ? > start_seq AND ? < first_seq", seq, seq).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("read generations: %w", err)
	}
	return n > 0, nil
}

// NewGeneration starts a new generation after a restore from source: the
// history up to the current sequence is kept, the sequence jumps forward by
// RestoreJump, and the generation gets a new random id, which it returns.
func (tx *Tx) NewGeneration(source string) (string, error) {
	start, err := tx.CurrentSeq()
	if err != nil {
		return "", fmt.Errorf("new generation: %w", err)
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("new generation: %w", err)
	}
	id := hex.EncodeToString(b)
	first := start + RestoreJump
	if _, err := tx.Exec("INSERT INTO generations (id, started_at, start_seq, first_seq, source) VALUES (?, ?, ?, ?, ?)",
		id, tx.NowText(), start, first, source); err != nil {
		return "", fmt.Errorf("new generation: %w", err)
	}
	tx.seq = first // written back before commit
	return id, nil
}

// DeviceClock is what the server knows of a device's clock: when it signed
// in and the latest stamp stored for its operations.
type DeviceClock struct {
	SignedInAt string
	LastHLC    string
}

// DeviceClock reads a device's clock bookkeeping; the zero value for an
// unknown device (the server's own operations).
func (tx *Tx) DeviceClock(deviceID string) (DeviceClock, error) {
	var dc DeviceClock
	err := tx.QueryRow("SELECT created_at, last_hlc FROM devices WHERE id = ?", deviceID).Scan(&dc.SignedInAt, &dc.LastHLC)
	if errors.Is(err, sql.ErrNoRows) {
		return DeviceClock{}, nil
	}
	if err != nil {
		return dc, fmt.Errorf("read device clock: %w", err)
	}
	return dc, nil
}

// SetDeviceLastHLC stores the latest stamp given to a device's operations.
func (tx *Tx) SetDeviceLastHLC(deviceID, hlc string) error {
	if _, err := tx.Exec("UPDATE devices SET last_hlc = ? WHERE id = ?", hlc, deviceID); err != nil {
		return fmt.Errorf("store device clock: %w", err)
	}
	return nil
}
