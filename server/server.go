// Package server is Inspecta's HTTP layer: routes (gorilla/mux), middleware
// (authentication, body limits, logging, security headers) and JSON handlers
// over the sync engine and the store.
package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"runtime"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/gorilla/mux"

	"inspecta/schema"
	"inspecta/store"
	isync "inspecta/sync"
)

// MaxBodyBytes limits every request body but a push's.
const MaxBodyBytes = 1 << 20

// Server serves the API and the web client.
type Server struct {
	DB     *store.DB
	Engine *isync.Engine
	Log    *slog.Logger
	// Client is the web app's files, served at /; nil serves none.
	Client fs.FS
	// TLS makes responses carry HSTS.
	TLS bool
	// FailureDelay is how much later each failed sign-in in a row is
	// answered (250 ms if zero); tests shorten it.
	FailureDelay time.Duration

	router *mux.Router
	// chain is the router inside the middleware every request passes.
	chain  http.Handler
	static staticFiles
	// signInSlots bounds the password checks running at once (each is a
	// bcrypt hash, tens of milliseconds of CPU): a flood of sign-ins waits
	// for a slot instead of taking every core from sync.
	signInSlots chan struct{}
	// PushSlots bounds the large pushes (a body over SmallPushBody bytes) that
	// are read, decoded and applied at once: under a flood of full visits the
	// others wait before reading their bodies instead of sharing the cores
	// with it, and a push of a few answers, which does not wait here, is not
	// slowed down by a hundred decoders. Tests may replace it before serving.
	PushSlots     chan struct{}
	pushesWaiting atomic.Int64
}

// SmallPushBody is the largest push body (as sent, gzipped or not) that never
// waits for one of the PushSlots: a few dozen operations.
const SmallPushBody = 16 << 10

// PushesWaiting is how many large pushes are waiting for one of the PushSlots.
func (s *Server) PushesWaiting() int { return int(s.pushesWaiting.Load()) }

// New returns a server over db. The checklists are those the database holds
// (store.Tx.Checklists).
func New(db *store.DB, log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &Server{DB: db, Engine: isync.NewEngine(db), Log: log,
		signInSlots: make(chan struct{}, max(1, runtime.NumCPU()/2)), PushSlots: make(chan struct{}, max(2, runtime.NumCPU()))}
	s.router = s.routes()
	s.chain = s.logRequests(s.securityHeaders(s.refuseUnknownEncodings(s.router)))
	return s
}

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.chain.ServeHTTP(w, r) }

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	var seq int64
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		seq, err = tx.CurrentSeq()
		return err
	})
	if err != nil {
		s.Log.Error("health check", "err", err)
		writeError(w, http.StatusServiceUnavailable, "unhealthy", "the database cannot be read", "")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "server_seq": seq})
}

func (s *Server) handleRegions(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"regions": schema.Regions})
}

// ---------------------------------------------------------------- responses

// writeJSON writes v as the JSON body with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

// APIError is the body of every error answer.
type APIError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// writeError writes {"error": {"code", "message", "field"}}.
func writeError(w http.ResponseWriter, status int, code, message, field string) {
	writeJSON(w, status, map[string]APIError{"error": {Code: code, Message: message, Field: field}})
}

// internalError logs the cause and answers 500 (or 507 when the disk is full)
// without telling the client anything internal.
func (s *Server) internalError(w http.ResponseWriter, r *http.Request, err error) {
	if store.IsFull(err) {
		s.Log.Error("database full", "path", r.URL.Path, "err", err)
		writeError(w, http.StatusInsufficientStorage, "storage_full",
			"the server has no room to store this; nothing was saved, keep it on the device and try again later", "")
		return
	}
	if errors.Is(err, context.Canceled) {
		return
	}
	s.Log.Error("internal error", "path", r.URL.Path, "err", err)
	writeError(w, http.StatusInternalServerError, "internal", "the server failed; nothing was saved, try again", "")
}

// decodeJSON reads a size-limited JSON body into v and answers 400/413 itself
// when it cannot; it reports whether to go on.
func decodeJSON(w http.ResponseWriter, r *http.Request, limit int64, v any) bool {
	body, ok := readBody(w, r, limit)
	if !ok {
		return false
	}
	return decodeBody(w, body, "the request body", v)
}

// decodeBody decodes body, which must hold exactly one JSON value (nothing
// but JSON whitespace after it) with no field v does not know, into v. It
// answers 400 bad_json itself, naming what (e.g. "the push"), when it cannot;
// it reports whether to go on. Every handler of a JSON body goes through it.
func decodeBody(w http.ResponseWriter, body []byte, what string, v any) bool {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "bad_json", what+" is not valid: "+isync.DescribeJSONError(err), "")
		return false
	}
	if len(bytes.Trim(body[dec.InputOffset():], " \t\r\n")) > 0 {
		writeError(w, http.StatusBadRequest, "bad_json", what+" has data after its JSON value; send one JSON value", "")
		return false
	}
	return true
}

// readBody reads at most limit bytes of valid UTF-8.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeError(w, http.StatusRequestEntityTooLarge, "too_large",
				"the request body is larger than the limit of "+humanBytes(limit), "")
			return nil, false
		}
		writeError(w, http.StatusBadRequest, "bad_body", "the request body could not be read", "")
		return nil, false
	}
	if !utf8.Valid(body) {
		writeError(w, http.StatusBadRequest, "bad_encoding", "the request body is not valid UTF-8", "")
		return nil, false
	}
	return body, true
}

// NewHTTPServer wraps a handler in an http.Server with the limits a server
// reachable from the internet needs: slow or stalled clients are cut off
// rather than holding connections open, and headers are size-limited.
func NewHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // a 4 MiB push on one bar of signal
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
}
