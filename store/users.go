package store

import (
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"inspecta/schema"
)

// User is a person who signs in.
type User struct {
	ID         string `json:"id"`
	Username   string `json:"username"`
	Name       string `json:"name"`
	Role       string `json:"role"`
	Region     string `json:"region_id,omitempty"`
	Disabled   bool   `json:"disabled"`
	ScopeEpoch int64  `json:"-"`
	Demo       bool   `json:"demo,omitempty"`
}

// Device is one signed-in phone or browser, holding one token.
type Device struct {
	ID             string `json:"id"`
	UserID         string `json:"user_id"`
	Name           string `json:"name"`
	CreatedAt      string `json:"created_at"`
	LastSeenAt     string `json:"last_seen_at,omitempty"`
	LastPushAt     string `json:"last_push_at,omitempty"` // when the server last received its operations (Devices only)
	RevokedAt      string `json:"revoked_at,omitempty"`
	ScopeEpochSeen int64  `json:"-"`
}

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// Errors of user management, with messages fit to show a person.
var (
	ErrUsernameTaken  = errors.New("that username is already taken")
	ErrBadCredentials = errors.New("wrong username or password")
	ErrTokenInvalid   = errors.New("the token is unknown, expired or revoked; sign in again")
	// ErrDeviceRevoked: an administrator revoked this device (a lost or seized
	// phone); the device wipes what it holds (docs/protocol.md, "Resets").
	ErrDeviceRevoked = errors.New("this device was revoked by an administrator; its data is removed from it")
	// ErrSignedOut: the device signed out (POST /api/v1/auth/logout). A
	// sign-out deletes the device's data too (the web app does it right after
	// the call): a device still holding data finishes it, but the answer says
	// it was the sign-out, not an administrator (docs/protocol.md, "Sign-in").
	ErrSignedOut = errors.New("this device signed out (POST /api/v1/auth/logout); its data is removed from it: sign in again")
)

// NewUser describes a user to create.
type NewUser struct {
	Username, Name, Role, Region, Password string
	Demo                                   bool
}

// Validate checks a new user and its password (ValidatePassword),
// returning a sentence that names the problem.
func (u NewUser) Validate() error {
	if err := u.ValidateAccount(); err != nil {
		return err
	}
	return ValidatePassword(u.Username, u.Password)
}

// ValidateAccount checks a new user but not its password.
func (u NewUser) ValidateAccount() error {
	switch {
	case strings.TrimSpace(u.Username) == "":
		return errors.New("the username is empty")
	case len(u.Username) > 64 || strings.ContainsAny(u.Username, " \t\r\n/"):
		return errors.New("the username must be at most 64 characters with no spaces or slashes")
	case !schema.ValidRole(u.Role):
		return fmt.Errorf("unknown role %q: use member, coordinator, staff or admin", u.Role)
	case schema.RoleNeedsRegion(u.Role) && u.Region == "":
		return fmt.Errorf("a %s needs a region (--region, an ISO 3166-2:KZ code such as KZ-KAR)", u.Role)
	}
	if u.Region != "" {
		if _, ok := schema.RegionByCode(u.Region); !ok {
			return fmt.Errorf("unknown region %q: use an ISO 3166-2:KZ code such as KZ-KAR or KZ-ALA", u.Region)
		}
	}
	return nil
}

// CreateUser validates and stores a new user with a bcrypt hash of the password.
//
// The full password rule (ValidatePassword) is applied where a person
// chooses a password: NewUser.Validate, which the command line and the API
// call before this, and SetPassword. Here only its length is checked, so that
// programs creating accounts (the demo's random passwords, tests) are not
// tied to the list of common passwords.
func (tx *Tx) CreateUser(nu NewUser) (*User, error) {
	if err := nu.ValidateAccount(); err != nil {
		return nil, err
	}
	if n := len([]rune(nu.Password)); n < MinPasswordLength || len(nu.Password) > 72 {
		return nil, fmt.Errorf("the password must be %d characters to 72 bytes long", MinPasswordLength)
	}
	if !schema.RoleNeedsRegion(nu.Role) {
		nu.Region = ""
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(nu.Password), tx.db.passwordCost())
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	var n int
	if err := tx.QueryRow("SELECT count(*) FROM users WHERE username = ?", nu.Username).Scan(&n); err != nil {
		return nil, fmt.Errorf("check username: %w", err)
	}
	if n > 0 {
		return nil, ErrUsernameTaken
	}
	u := &User{ID: uuid.Must(uuid.NewV7()).String(), Username: nu.Username, Name: nu.Name, Role: nu.Role, Region: nu.Region, Demo: nu.Demo, ScopeEpoch: 1}
	if u.Name == "" {
		u.Name = nu.Username
	}
	_, err = tx.Exec(`INSERT INTO users (id, username, name, role, region, password_hash, demo, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, u.ID, u.Username, u.Name, u.Role, nullString(u.Region), string(hash), u.Demo, tx.NowText(), tx.NowText())
	if err != nil {
		return nil, fmt.Errorf("insert user: %w", err)
	}
	return u, nil
}

const userColumns = "id, username, name, role, COALESCE(region, ''), disabled, scope_epoch, demo"

func scanUser(row interface{ Scan(...any) error }) (*User, error) {
	var u User
	if err := row.Scan(&u.ID, &u.Username, &u.Name, &u.Role, &u.Region, &u.Disabled, &u.ScopeEpoch, &u.Demo); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	return &u, nil
}

// User returns the user with id, or ErrNotFound.
func (tx *Tx) User(id string) (*User, error) {
	return scanUser(tx.QueryRow("SELECT "+userColumns+" FROM users WHERE id = ?", id))
}

// UserByUsername returns the user with that username, or ErrNotFound.
func (tx *Tx) UserByUsername(username string) (*User, error) {
	return scanUser(tx.QueryRow("SELECT "+userColumns+" FROM users WHERE username = ?", username))
}

// Users lists every user by username.
func (tx *Tx) Users() ([]*User, error) {
	rows, err := tx.Query("SELECT " + userColumns + " FROM users ORDER BY username")
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var users []*User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		users = append(users, u)
	}
	return users, rows.Err()
}

// CountUsers returns how many users exist.
func (tx *Tx) CountUsers() (int, error) {
	var n int
	err := tx.QueryRow("SELECT count(*) FROM users").Scan(&n)
	return n, err
}

// SetPassword replaces a user's password (checked by ValidatePassword) and
// revokes every token of the user: whoever knew the old password signs in
// again. It returns ErrNotFound for no such user.
func (tx *Tx) SetPassword(userID, password string) error {
	u, err := tx.User(userID)
	if err != nil {
		return err
	}
	if err := ValidatePassword(u.Username, password); err != nil {
		return err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), tx.db.passwordCost())
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	if _, err := tx.Exec("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", string(hash), tx.NowText(), userID); err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	return tx.RevokeUserDevices(userID)
}

// RevokeUserDevices revokes every token of a user, as a password reset, a
// disabled account or a new role does: none comes back when the account is
// enabled again, the user signs in anew on each device.
func (tx *Tx) RevokeUserDevices(userID string) error {
	if _, err := tx.Exec("UPDATE devices SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", tx.NowText(), userID); err != nil {
		return fmt.Errorf("revoke the user's devices: %w", err)
	}
	return nil
}

// SetUserRole changes a user's role and region and revokes every token of
// the user: a device signed in under the old role holds what that role could
// see, so it signs in again (and pulls from the start).
func (tx *Tx) SetUserRole(userID, role, region string) error {
	if !schema.ValidRole(role) {
		return fmt.Errorf("unknown role %q", role)
	}
	if schema.RoleNeedsRegion(role) {
		if _, ok := schema.RegionByCode(region); !ok {
			return fmt.Errorf("a %s needs a known region", role)
		}
	} else {
		region = ""
	}
	res, err := tx.Exec("UPDATE users SET role = ?, region = ?, scope_epoch = scope_epoch + 1, updated_at = ? WHERE id = ?",
		role, nullString(region), tx.NowText(), userID)
	if err != nil {
		return fmt.Errorf("set role: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return tx.RevokeUserDevices(userID)
}

// BumpScope records that what the users may see has changed (for example they
// were added to a visit's team), so their next pull answers reset.
func (tx *Tx) BumpScope(userIDs ...string) error {
	for _, id := range userIDs {
		if _, err := tx.Exec("UPDATE users SET scope_epoch = scope_epoch + 1 WHERE id = ?", id); err != nil {
			return fmt.Errorf("bump scope: %w", err)
		}
	}
	return nil
}

// dummyHash keeps the time of a sign-in with an unknown username the same as
// one with a wrong password.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("inspecta-dummy-password"), bcrypt.DefaultCost)

// CheckPassword returns the user if the password matches, ErrBadCredentials otherwise.
func (tx *Tx) CheckPassword(username, password string) (*User, error) {
	var id, hash string
	var disabled bool
	err := tx.QueryRow("SELECT id, password_hash, disabled FROM users WHERE username = ?", username).Scan(&id, &hash, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, fmt.Errorf("check password: %w", err)
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil || disabled {
		return nil, ErrBadCredentials
	}
	return tx.User(id)
}

// Credentials are what a sign-in checks a password against.
type Credentials struct {
	UserID, Hash string
	Disabled     bool
}

// SignInCredentials reads the credentials of username; a zero Credentials
// (UserID "") for an unknown username. It only reads, so a sign-in checks
// the password (Credentials.Matches, slow by design) outside any write
// transaction.
func (tx *Tx) SignInCredentials(username string) (Credentials, error) {
	var c Credentials
	err := tx.QueryRow("SELECT id, password_hash, disabled FROM users WHERE username = ?", username).Scan(&c.UserID, &c.Hash, &c.Disabled)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("sign-in credentials: %w", err)
	}
	return c, nil
}

// Matches reports whether password is the user's and the account is
// enabled. For an unknown user it spends the time of a real check, so the
// answer's timing does not tell which usernames exist.
func (c Credentials) Matches(password string) bool {
	if c.UserID == "" {
		bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(c.Hash), []byte(password)) == nil && !c.Disabled
}

// StillValid reports whether the credentials checked outside the write
// transaction still hold inside it: same password hash, account enabled.
func (tx *Tx) StillValid(c Credentials) (bool, error) {
	now, err := tx.credentialsByID(c.UserID)
	if err != nil {
		return false, err
	}
	return now.UserID != "" && now.Hash == c.Hash && !now.Disabled, nil
}

// credentialsByID reads the credentials of the user with id.
func (tx *Tx) credentialsByID(userID string) (Credentials, error) {
	var c Credentials
	err := tx.QueryRow("SELECT id, password_hash, disabled FROM users WHERE id = ?", userID).Scan(&c.UserID, &c.Hash, &c.Disabled)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("sign-in credentials: %w", err)
	}
	return c, nil
}

// HashToken returns the stored form of a bearer token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateDevice registers a signed-in device for the user and returns it with its
// bearer token, which is shown once and stored only as a hash.
func (tx *Tx) CreateDevice(userID, name string) (*Device, string, error) {
	token, err := newToken()
	if err != nil {
		return nil, "", err
	}
	d := &Device{ID: uuid.Must(uuid.NewV7()).String(), UserID: userID, Name: name, CreatedAt: tx.NowText()}
	var epoch int64
	if err := tx.QueryRow("SELECT scope_epoch FROM users WHERE id = ?", userID).Scan(&epoch); err != nil {
		return nil, "", fmt.Errorf("create device: %w", err)
	}
	d.ScopeEpochSeen = epoch
	if _, err := tx.Exec(`INSERT INTO devices (id, user_id, name, token_hash, created_at, scope_epoch_seen, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		d.ID, userID, name, HashToken(token), d.CreatedAt, epoch, FormatTime(tx.Now.Add(TokenLifetime))); err != nil {
		return nil, "", fmt.Errorf("create device: %w", err)
	}
	return d, token, nil
}

// newToken makes a bearer token.
func newToken() (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("make token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(raw), nil
}

// SignInDevice signs a device in: again as previous, the device the phone
// was signed in as, when that is the user's and was not revoked to be wiped
// (its token expired, or was revoked with all of the user's by a password
// reset or a new role), else as a new device (CreateDevice). Signed in again,
// the device keeps its id, its first sign-in time and its latest stamp: the
// edits waiting on the phone keep their time and stay its own writes
// (docs/protocol.md, "Sign-in"). The old token stops working.
func (tx *Tx) SignInDevice(userID, name, previous string) (*Device, string, error) {
	if previous == "" {
		return tx.CreateDevice(userID, name)
	}
	token, err := newToken()
	if err != nil {
		return nil, "", err
	}
	res, err := tx.Exec(`UPDATE devices SET token_hash = ?, name = ?, revoked_at = NULL, revoked_by = NULL, expires_at = ?
		WHERE id = ? AND user_id = ? AND wipe = 0`, HashToken(token), name, FormatTime(tx.Now.Add(TokenLifetime)), previous, userID)
	if err != nil {
		return nil, "", fmt.Errorf("sign the device in again: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tx.CreateDevice(userID, name)
	}
	d := &Device{ID: previous, UserID: userID, Name: name}
	if err := tx.QueryRow("SELECT created_at, scope_epoch_seen FROM devices WHERE id = ?", previous).Scan(&d.CreatedAt, &d.ScopeEpochSeen); err != nil {
		return nil, "", fmt.Errorf("sign the device in again: %w", err)
	}
	return d, token, nil
}

// Authenticate returns the device and user a bearer token belongs to;
// ErrTokenInvalid when the token is unknown, revoked or its user disabled;
// ErrTokenExpired when it went unused for longer than TokenLifetime. The token
// is found by its SHA-256, so no comparison of secrets depends on its bytes.
func (tx *Tx) Authenticate(token string) (*Device, *User, error) {
	var d Device
	var lastSeen, revoked, revokedBy sql.NullString
	var expires string
	var wipe bool
	err := tx.QueryRow(`SELECT id, user_id, name, created_at, last_seen_at, revoked_at, revoked_by, scope_epoch_seen, expires_at, wipe
		FROM devices WHERE token_hash = ?`, HashToken(token)).
		Scan(&d.ID, &d.UserID, &d.Name, &d.CreatedAt, &lastSeen, &revoked, &revokedBy, &d.ScopeEpochSeen, &expires, &wipe)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, ErrTokenInvalid
	}
	if err != nil {
		return nil, nil, fmt.Errorf("authenticate: %w", err)
	}
	if revoked.Valid && wipe {
		return nil, nil, tx.revokedWhy(d.ID, revokedBy.String == d.UserID)
	}
	if revoked.Valid {
		return nil, nil, ErrTokenInvalid
	}
	if expires < tx.NowText() {
		return nil, nil, ErrTokenExpired
	}
	d.LastSeenAt = lastSeen.String
	u, err := tx.User(d.UserID)
	if err != nil {
		return nil, nil, fmt.Errorf("authenticate: %w", err)
	}
	if u.Disabled {
		return nil, nil, ErrTokenInvalid
	}
	return &d, u, nil
}

// revokedWhy tells a device revoked to be wiped by its own sign-out
// (ErrSignedOut: revoked by its own user, and the audit trail holds its
// logout; a device is revoked once, so that was its revocation) from one
// revoked by an administrator (ErrDeviceRevoked, also when the trail cannot
// be read: the wipe is the same). The trail is read only for a device its
// own user revoked (a sign-out, or an administrator's own device).
func (tx *Tx) revokedWhy(deviceID string, bySelf bool) error {
	if !bySelf {
		return ErrDeviceRevoked
	}
	var out bool
	err := tx.QueryRow("SELECT EXISTS (SELECT 1 FROM audit_events WHERE action = 'logout' AND subject = ?)", deviceID).Scan(&out)
	if err == nil && out {
		return ErrSignedOut
	}
	return ErrDeviceRevoked
}

// TouchDevice records that the device was seen now.
func (tx *Tx) TouchDevice(deviceID string) error {
	_, err := tx.Exec("UPDATE devices SET last_seen_at = ? WHERE id = ?", tx.NowText(), deviceID)
	return err
}

// SetDeviceScopeSeen records the scope epoch a device has pulled under.
func (tx *Tx) SetDeviceScopeSeen(deviceID string, epoch int64) error {
	_, err := tx.Exec("UPDATE devices SET scope_epoch_seen = ? WHERE id = ?", epoch, deviceID)
	return err
}

// RevokeDevice revokes a device's token; its next request gets 401.
func (tx *Tx) RevokeDevice(deviceID, byUserID string) error {
	res, err := tx.Exec("UPDATE devices SET revoked_at = ?, revoked_by = ?, wipe = 1 WHERE id = ? AND revoked_at IS NULL",
		tx.NowText(), nullString(byUserID), deviceID)
	if err != nil {
		return fmt.Errorf("revoke device: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// Devices lists the devices of a user ("" for every user), newest first, with
// when each last pushed operations (what a revocation would lose came after).
func (tx *Tx) Devices(userID string) ([]*Device, error) {
	rows, err := tx.Query(`SELECT id, user_id, name, created_at, COALESCE(last_seen_at, ''), COALESCE(revoked_at, ''), COALESCE(last_push_at, '')
		FROM devices WHERE ? = '' OR user_id = ? ORDER BY created_at DESC`, userID, userID)
	if err != nil {
		return nil, fmt.Errorf("list devices: %w", err)
	}
	defer rows.Close()
	var ds []*Device
	for rows.Next() {
		var d Device
		if err := rows.Scan(&d.ID, &d.UserID, &d.Name, &d.CreatedAt, &d.LastSeenAt, &d.RevokedAt, &d.LastPushAt); err != nil {
			return nil, err
		}
		ds = append(ds, &d)
	}
	return ds, rows.Err()
}

// AddAuditEvent records an account event (sign-in, revocation…) for the audit trail.
func (tx *Tx) AddAuditEvent(userID, action, subject, detail, remote string) error {
	_, err := tx.Exec("INSERT INTO audit_events (at, user_id, action, subject, detail, remote) VALUES (?, ?, ?, ?, ?, ?)",
		tx.NowText(), userID, action, subject, detail, remote)
	if err != nil {
		return fmt.Errorf("audit event: %w", err)
	}
	return nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// DeviceUser returns the id of the user a device belongs to, "" for an
// unknown device (the server's own writes, the demo loader).
func (tx *Tx) DeviceUser(deviceID string) (string, error) {
	var id string
	err := tx.QueryRow("SELECT user_id FROM devices WHERE id = ?", deviceID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// MinPasswordCost is the lowest bcrypt cost, for DB.PasswordCost in programs
// whose users' passwords protect nothing (the bench, tests).
const MinPasswordCost = bcrypt.MinCost

// passwordCost is the bcrypt cost of a new password hash.
func (db *DB) passwordCost() int {
	if db.PasswordCost > 0 {
		return db.PasswordCost
	}
	return bcrypt.DefaultCost
}
