package server

import (
	"errors"
	"net/http"
	"strings"

	"inspecta/store"
)

type loginRequest struct {
	Username   string `json:"username"`
	Password   string `json:"password"`
	DeviceName string `json:"device_name"`
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
	if len(req.DeviceName) > 200 {
		req.DeviceName = req.DeviceName[:200]
	}
	var user *store.User
	var device *store.Device
	var token string
	err := s.DB.Write(r.Context(), func(tx *store.Tx) error {
		var err error
		user, err = tx.CheckPassword(strings.TrimSpace(req.Username), req.Password)
		if errors.Is(err, store.ErrBadCredentials) {
			return tx.AddAuditEvent("", "login_failed", req.Username, "", r.RemoteAddr)
		}
		if err != nil {
			return err
		}
		if device, token, err = tx.CreateDevice(user.ID, req.DeviceName); err != nil {
			return err
		}
		return tx.AddAuditEvent(user.ID, "login", device.ID, req.DeviceName, r.RemoteAddr)
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if user == nil {
		writeError(w, http.StatusUnauthorized, "bad_credentials", store.ErrBadCredentials.Error(), "")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"token": token, "device_id": device.ID, "user": viewUser(user)})
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
