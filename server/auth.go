package server

import (
	"errors"
	"net"
	"net/http"
	"strings"
	"time"

	"inspecta/schema"
	"inspecta/store"
	isync "inspecta/sync"
)

type loginRequest struct {
	Username   string `json:"username"`
	Password   string `json:"password"`
	DeviceName string `json:"device_name"`
	DeviceID   string `json:"device_id"` // the device the phone was signed in as (signing in again)
}

type userView struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	RegionID string `json:"region_id"`
}

func viewUser(u *store.User) userView {
	return userView{ID: u.ID, Username: u.Username, Name: u.Name, Role: u.Role, RegionID: u.Region}
}

// handleLogin signs a device in: POST /api/v1/auth/login (SYNC.md).
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	var req loginRequest
	if !decodeJSON(w, r, 16<<10, &req) {
		return
	}
	if strings.TrimSpace(req.Username) == "" || req.Password == "" {
		writeError(w, http.StatusBadRequest, "invalid", "enter a username and a password", "username")
		return
	}
	req.DeviceName = deviceName(req.DeviceName)
	username, addr := strings.TrimSpace(req.Username), clientAddr(r)
	var user *store.User
	var device *store.Device
	var token string
	var failures int
	// The lock and the password are checked outside the single writer: a
	// bcrypt check takes tens of milliseconds, and a flood of failed sign-ins
	// must not queue the members' pushes behind it. Only the bookkeeping
	// that follows is a (short) write.
	var creds store.Credentials
	err := s.DB.Read(r.Context(), func(tx *store.Tx) error {
		if err := tx.CheckSignInAllowed(username, addr); err != nil {
			return err
		}
		var err error
		creds, err = tx.SignInCredentials(username)
		return err
	})
	if err == nil {
		select {
		case s.signInSlots <- struct{}{}:
		case <-r.Context().Done():
			return
		}
		ok := creds.Matches(req.Password)
		<-s.signInSlots
		err = s.DB.Write(r.Context(), func(tx *store.Tx) error {
			if ok {
				// The account may have been disabled or its password reset meanwhile.
				var err error
				if ok, err = tx.StillValid(creds); err != nil {
					return err
				}
			}
			if !ok {
				var err error
				if failures, err = tx.RecordSignInFailure(username, addr); err != nil {
					return err
				}
				return tx.AddAuditEvent("", "login_failed", username, "", addr)
			}
			if err := tx.ClearSignInFailures(username); err != nil {
				return err
			}
			var err error
			if user, err = tx.User(creds.UserID); err != nil {
				return err
			}
			if device, token, err = tx.SignInDevice(user.ID, req.DeviceName, req.DeviceID); err != nil {
				return err
			}
			return tx.AddAuditEvent(user.ID, "login", device.ID, req.DeviceName, addr)
		})
	}
	var locked *store.ErrLocked
	if errors.As(err, &locked) {
		// Its own code: "locked" is a record of an approved visit.
		writeError(w, http.StatusTooManyRequests, "signin_locked", locked.Error(), "")
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if user == nil {
		// Each failure in a row answers a little later, so guessing is slow.
		select {
		case <-time.After(min(time.Duration(failures)*s.failureDelay(), 2*time.Second)):
		case <-r.Context().Done():
		}
		writeError(w, http.StatusUnauthorized, "bad_credentials", store.ErrBadCredentials.Error(), "")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"token": token, "device_id": device.ID, "user": viewUser(user),
		"server_time": isync.FormatTime(s.DB.Now()), "generation": s.generation(r)})
}

// handleMe answers who the token belongs to.
func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	writeJSON(w, http.StatusOK, map[string]any{"user": viewUser(p.User), "device_id": p.Device.ID})
}

// handleLogout revokes the caller's own token.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	err := s.DB.Write(r.Context(), func(tx *store.Tx) error {
		if err := tx.RevokeDevice(p.Device.ID, p.User.ID); err != nil {
			return err
		}
		return tx.AddAuditEvent(p.User.ID, "logout", p.Device.ID, "", r.RemoteAddr)
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// deviceName is the name a device signs in with as it is kept (for the
// administrator's list of devices): at most 200 characters, cut at a whole
// character, without the characters no text holds (schema.TextFault). A
// name is informative only, so it is cleaned rather than refused.
func deviceName(s string) string {
	s = strings.Map(func(r rune) rune {
		if schema.TextFault(string(r)) != "" {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200])
	}
	return s
}

// clientAddr is the address a request came from, without its port.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// failureDelay is how much later each failed sign-in in a row is answered.
func (s *Server) failureDelay() time.Duration {
	if s.FailureDelay > 0 {
		return s.FailureDelay
	}
	return 250 * time.Millisecond
}

// handleUnlock lifts a sign-in lock: POST /api/v1/auth/unlock {"username"}, admins only.
func (s *Server) handleUnlock(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	var req struct {
		Username string `json:"username"`
	}
	if !decodeJSON(w, r, 4<<10, &req) {
		return
	}
	err := s.DB.Write(r.Context(), func(tx *store.Tx) error {
		if err := tx.UnlockSignIn(req.Username); err != nil {
			return err
		}
		return tx.AddAuditEvent(p.User.ID, "signin_unlocked", req.Username, "", clientAddr(r))
	})
	if err != nil {
		if strings.HasPrefix(err.Error(), "no user") {
			writeError(w, http.StatusNotFound, "not_found", err.Error(), "username")
			return
		}
		s.internalError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleColleagues lists the enabled members and coordinators of the caller's
// own region, so that a member can put colleagues on a visit's team:
// GET /api/v1/colleagues. Nothing of other regions, no devices.
func (s *Server) handleColleagues(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	var users []*store.User
	err := s.DB.Read(r.Context(), func(tx *store.Tx) error {
		all, err := tx.Users()
		for _, u := range all {
			if u.Region == p.User.Region && !u.Disabled && (u.Role == "member" || u.Role == "coordinator") {
				users = append(users, u)
			}
		}
		return err
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	list := make([]userView, 0, len(users))
	for _, u := range users {
		list = append(list, viewUser(u))
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": list})
}
