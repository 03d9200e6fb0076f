package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"inspecta/store"
	isync "inspecta/sync"
)

type ctxKey int

const principalKey ctxKey = 1

// Principal is who made an authenticated request.
type Principal struct {
	User   *store.User
	Device *store.Device
	// authTook is how long reading the token's device and user took (the
	// push's Server-Timing "auth").
	authTook time.Duration
	// arrived is the server's time when the request arrived: its headers
	// were in, its body not yet read (the push's time of receipt, for the
	// clock's correction: docs/protocol.md, "Clock").
	arrived time.Time
}

// Actor returns the principal as the sync engine sees it.
func (p *Principal) Actor() isync.Actor {
	return isync.Actor{UserID: p.User.ID, Role: p.User.Role, Region: p.User.Region, DeviceID: p.Device.ID}
}

func principal(r *http.Request) *Principal {
	p, _ := r.Context().Value(principalKey).(*Principal)
	return p
}

// authenticate requires a valid bearer token and puts its principal in the context.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || strings.TrimSpace(token) == "" {
			writeError(w, http.StatusUnauthorized, "unauthenticated", "sign in first: the request has no bearer token", "")
			return
		}
		p := Principal{arrived: s.DB.Now()}
		started := time.Now()
		err := s.DB.Read(r.Context(), func(tx *store.Tx) error {
			var err error
			p.Device, p.User, err = tx.Authenticate(strings.TrimSpace(token))
			return err
		})
		p.authTook = time.Since(started)
		if errors.Is(err, store.ErrDeviceRevoked) {
			writeError(w, http.StatusUnauthorized, "device_revoked", err.Error(), "")
			return
		}
		if errors.Is(err, store.ErrSignedOut) {
			writeError(w, http.StatusUnauthorized, "signed_out", err.Error(), "")
			return
		}
		if errors.Is(err, store.ErrTokenInvalid) {
			writeError(w, http.StatusUnauthorized, "unauthenticated", err.Error(), "")
			return
		}
		if errors.Is(err, store.ErrTokenExpired) {
			writeError(w, http.StatusUnauthorized, "token_expired", err.Error(), "")
			return
		}
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		if lr, ok := w.(*logResponseWriter); ok {
			lr.user = p.User.Username
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), principalKey, &p)))
	})
}

// refuseUnknownEncodings answers 415 unsupported_encoding to a request
// whose body is in a Content-Encoding the server does not undo (br,
// deflate, a list of several): read as plain JSON it was answered bad_json at
// best, and a photo's bytes would be stored still compressed. A push may be
// gzip (handlePush unzips it); every body may be plain (identity).
func (s *Server) refuseUnknownEncodings(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding")))
		if enc != "" && enc != "identity" && (enc != "gzip" || r.URL.Path != "/api/v1/sync/push") {
			writeError(w, http.StatusUnsupportedMediaType, "unsupported_encoding", fmt.Sprintf(
				"the body's Content-Encoding %q is not one the server reads: send it plain (a push may also be gzip)", enc), "")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets the headers every response carries.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Permissions-Policy", "camera=(self), microphone=(), geolocation=()") // the camera for photos (issue 18), for this origin only
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if s.TLS {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

type logResponseWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
	user   string
}

func (w *logResponseWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *logResponseWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *logResponseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests writes one structured line per request.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		lw := &logResponseWriter{ResponseWriter: w}
		next.ServeHTTP(lw, r)
		s.Log.Info("request", "method", r.Method, "path", r.URL.Path, "status", lw.status,
			"bytes", lw.bytes, "ms", time.Since(start).Milliseconds(), "user", lw.user, "remote", r.RemoteAddr)
	})
}
