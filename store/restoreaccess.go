package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
)

// RestoreOptions are the administrator's choices for a restore.
type RestoreOptions struct {
	// RevokeAllTokens revokes every device token issued before the restore,
	// even when the replaced database could be read: every phone and desk
	// signs in again (keeping its data) before it syncs.
	RevokeAllTokens bool
}

// AccessCarried tells what a restore took over from the database it
// replaced: a backup is older than the accounts it restores, and a
// revocation, a password reset, a disabled account or a new role made after
// it must not be undone by the restore.
type AccessCarried struct {
	// Read is true when the replaced database was read; Unreadable says why
	// not (no database there, or one that fails its check or cannot be
	// opened), and then every token was revoked.
	Read       bool
	Unreadable string
	// DevicesRevoked counts devices revoked in the replaced database but not
	// in the backup; DevicesAdded devices signed in after the backup.
	DevicesRevoked, DevicesAdded int
	// UsersChanged counts accounts whose password, disabled state, role or
	// region the replaced database had changed; UsersAdded accounts made
	// after the backup.
	UsersChanged, UsersAdded int
	// TokensRevoked counts the tokens revoked because the replaced database
	// could not be read or RevokeAllTokens asked for it.
	TokensRevoked int
	// AuditEvents counts the account events (sign-ins, revocations, password
	// resets…) the replaced database recorded after the backup's last one.
	AuditEvents int
}

// replacedUser and replacedDevice are the rows of the replaced database a
// restore carries over.
type replacedUser struct {
	id, username, name, role, passwordHash, createdAt, updatedAt string
	region                                                       sql.NullString
	disabled, demo                                               bool
	scopeEpoch                                                   int64
}

type replacedDevice struct {
	id, userID, name, tokenHash, createdAt, expiresAt, lastHLC string
	lastSeen, revokedAt, revokedBy                             sql.NullString
	scopeSeen                                                  int64
	wipe                                                       bool
}

type replacedAuditEvent struct {
	at, userID, action, subject, detail, remote string
}

type replacedAccess struct {
	users   []replacedUser
	devices []replacedDevice
	audit   []replacedAuditEvent
}

// readReplacedAccess reads the accounts and devices of the database a
// restore replaces, and its account events recorded after auditAfter,
// read-only (it is kept aside unchanged). It fails when there is none, or it
// does not pass SQLite's quick check, or it cannot be read: the caller then
// revokes every token.
func readReplacedAccess(ctx context.Context, path, auditAfter string) (*replacedAccess, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("there is no database at %s", path)
	}
	conn, err := sql.Open("sqlite3", "file:"+escapeURIPath(path)+"?mode=ro&_busy_timeout=10000")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer conn.Close()
	var ok string
	if err := conn.QueryRowContext(ctx, "PRAGMA quick_check(1)").Scan(&ok); err != nil {
		return nil, fmt.Errorf("check %s: %w", path, err)
	}
	if ok != "ok" {
		return nil, fmt.Errorf("%s is damaged (%s)", path, ok)
	}
	var ra replacedAccess
	rows, err := conn.QueryContext(ctx, `SELECT id, username, name, role, region, password_hash, disabled, scope_epoch, demo, created_at, updated_at FROM users`)
	if err != nil {
		return nil, fmt.Errorf("read the accounts of %s: %w", path, err)
	}
	for rows.Next() {
		var u replacedUser
		if err := rows.Scan(&u.id, &u.username, &u.name, &u.role, &u.region, &u.passwordHash, &u.disabled, &u.scopeEpoch, &u.demo, &u.createdAt, &u.updatedAt); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read the accounts of %s: %w", path, err)
		}
		ra.users = append(ra.users, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the accounts of %s: %w", path, err)
	}
	rows, err = conn.QueryContext(ctx, `SELECT id, user_id, name, token_hash, created_at, last_seen_at, revoked_at, revoked_by, scope_epoch_seen, expires_at, last_hlc, wipe FROM devices`)
	if err != nil {
		return nil, fmt.Errorf("read the devices of %s: %w", path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var d replacedDevice
		if err := rows.Scan(&d.id, &d.userID, &d.name, &d.tokenHash, &d.createdAt, &d.lastSeen, &d.revokedAt, &d.revokedBy, &d.scopeSeen, &d.expiresAt, &d.lastHLC, &d.wipe); err != nil {
			return nil, fmt.Errorf("read the devices of %s: %w", path, err)
		}
		ra.devices = append(ra.devices, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the devices of %s: %w", path, err)
	}
	if ra.audit, err = readAuditAfter(ctx, conn, auditAfter); err != nil {
		return nil, fmt.Errorf("read the audit trail of %s: %w", path, err)
	}
	return &ra, nil
}

func readAuditAfter(ctx context.Context, conn *sql.DB, after string) ([]replacedAuditEvent, error) {
	rows, err := conn.QueryContext(ctx, "SELECT at, user_id, action, subject, detail, remote FROM audit_events WHERE at > ? ORDER BY id", after)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []replacedAuditEvent
	for rows.Next() {
		var e replacedAuditEvent
		if err := rows.Scan(&e.at, &e.userID, &e.action, &e.subject, &e.detail, &e.remote); err != nil {
			return nil, err
		}
		list = append(list, e)
	}
	return list, rows.Err()
}

// carryAccess writes into the restored database what the replaced one knew
// about accounts and devices that is newer than the backup: accounts and
// devices made after it, revocations (with the order to wipe), expiries,
// passwords, disabled accounts, roles and regions, and the account events
// of the audit trail that recorded them. A changed role or region
// raises the user's scope epoch, so their devices reset.
func (tx *Tx) carryAccess(ra *replacedAccess, out *AccessCarried) error {
	for _, u := range ra.users {
		if err := tx.carryUser(u, out); err != nil {
			return err
		}
	}
	for _, d := range ra.devices {
		if err := tx.carryDevice(d, out); err != nil {
			return err
		}
	}
	for _, e := range ra.audit {
		if _, err := tx.Exec("INSERT INTO audit_events (at, user_id, action, subject, detail, remote) VALUES (?, ?, ?, ?, ?, ?)",
			e.at, e.userID, e.action, e.subject, e.detail, e.remote); err != nil {
			return fmt.Errorf("carry the audit trail over: %w", err)
		}
		out.AuditEvents++
	}
	return nil
}

func (tx *Tx) carryUser(u replacedUser, out *AccessCarried) error {
	var role, hash string
	var region sql.NullString
	var disabled bool
	var epoch int64
	err := tx.QueryRow("SELECT role, region, password_hash, disabled, scope_epoch FROM users WHERE id = ?", u.id).
		Scan(&role, &region, &hash, &disabled, &epoch)
	if err == sql.ErrNoRows {
		res, err := tx.Exec(`INSERT OR IGNORE INTO users (id, username, name, role, region, password_hash, disabled, scope_epoch, demo, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			u.id, u.username, u.name, u.role, u.region, u.passwordHash, u.disabled, u.scopeEpoch, u.demo, u.createdAt, u.updatedAt)
		if err != nil {
			return fmt.Errorf("carry account %s over: %w", u.username, err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			out.UsersAdded++
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("carry account %s over: %w", u.username, err)
	}
	scopeChanged := role != u.role || region != u.region
	if !scopeChanged && hash == u.passwordHash && disabled == u.disabled {
		return nil
	}
	if scopeChanged {
		epoch = max(epoch, u.scopeEpoch) + 1
	}
	if _, err := tx.Exec("UPDATE users SET role = ?, region = ?, password_hash = ?, disabled = ?, scope_epoch = ?, updated_at = ? WHERE id = ?",
		u.role, u.region, u.passwordHash, u.disabled, epoch, u.updatedAt, u.id); err != nil {
		return fmt.Errorf("carry account %s over: %w", u.username, err)
	}
	out.UsersChanged++
	return nil
}

func (tx *Tx) carryDevice(d replacedDevice, out *AccessCarried) error {
	revokedBy := d.revokedBy
	if revokedBy.Valid {
		var n int
		if err := tx.QueryRow("SELECT count(*) FROM users WHERE id = ?", revokedBy.String).Scan(&n); err != nil {
			return fmt.Errorf("carry device %s over: %w", d.id, err)
		}
		revokedBy.Valid = n > 0
	}
	var revoked sql.NullString
	var wipe bool
	err := tx.QueryRow("SELECT revoked_at, wipe FROM devices WHERE id = ?", d.id).Scan(&revoked, &wipe)
	if err == sql.ErrNoRows {
		res, err := tx.Exec(`INSERT OR IGNORE INTO devices (id, user_id, name, token_hash, created_at, last_seen_at, revoked_at, revoked_by, scope_epoch_seen, expires_at, last_hlc, wipe)
			SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM users WHERE id = ?)`,
			d.id, d.userID, d.name, d.tokenHash, d.createdAt, d.lastSeen, d.revokedAt, revokedBy, d.scopeSeen, d.expiresAt, d.lastHLC, d.wipe, d.userID)
		if err != nil {
			return fmt.Errorf("carry device %s over: %w", d.id, err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			out.DevicesAdded++
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("carry device %s over: %w", d.id, err)
	}
	if _, err := tx.Exec("UPDATE devices SET expires_at = ? WHERE id = ?", d.expiresAt, d.id); err != nil {
		return fmt.Errorf("carry device %s over: %w", d.id, err)
	}
	if !d.revokedAt.Valid || (revoked.Valid && wipe == d.wipe) {
		return nil
	}
	if _, err := tx.Exec("UPDATE devices SET revoked_at = COALESCE(revoked_at, ?), revoked_by = COALESCE(revoked_by, ?), wipe = max(wipe, ?) WHERE id = ?",
		d.revokedAt, revokedBy, d.wipe, d.id); err != nil {
		return fmt.Errorf("carry device %s over: %w", d.id, err)
	}
	if !revoked.Valid {
		out.DevicesRevoked++
	}
	return nil
}

// revokeAllTokens revokes every token not yet revoked, without the order
// to wipe: each device signs in again, keeps its data and sends again what
// it sent, as after a password reset. It returns how many it revoked.
func (tx *Tx) revokeAllTokens() (int, error) {
	res, err := tx.Exec("UPDATE devices SET revoked_at = ? WHERE revoked_at IS NULL", tx.NowText())
	if err != nil {
		return 0, fmt.Errorf("revoke every token: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
