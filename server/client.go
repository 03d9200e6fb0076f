package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	gosync "sync"
)

// staticFile is one file of the web app, read once, with its gzip form and ETag.
type staticFile struct {
	body, gzipped []byte
	etag, ctype   string
}

// staticFiles caches the web app's files: they are embedded in the binary,
// so they never change while it runs.
type staticFiles struct {
	mu    gosync.Mutex
	files map[string]*staticFile
}

func (sf *staticFiles) get(fsys fs.FS, name string) (*staticFile, error) {
	sf.mu.Lock()
	defer sf.mu.Unlock()
	if f, ok := sf.files[name]; ok {
		return f, nil
	}
	body, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	f := &staticFile{body: body, etag: `"` + hex.EncodeToString(sum[:12]) + `"`, ctype: mime.TypeByExtension(path.Ext(name))}
	if f.ctype == "" {
		f.ctype = http.DetectContentType(body)
	}
	if compressible(f.ctype) {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(body)
		zw.Close()
		if buf.Len() < len(body) {
			f.gzipped = buf.Bytes()
		}
	}
	if sf.files == nil {
		sf.files = map[string]*staticFile{}
	}
	sf.files[name] = f
	return f, nil
}

func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "javascript") ||
		strings.Contains(ctype, "json") || strings.Contains(ctype, "svg")
}

func init() {
	// Go's table lacks these; a manifest served as text/plain is only sniffed.
	mime.AddExtensionType(".webmanifest", "application/manifest+json")
	mime.AddExtensionType(".js", "text/javascript; charset=utf-8")
}

// serveClient serves the web app: its files (gzipped when the browser takes
// it, with an ETag so a reload costs a 304), and index.html for any other
// path so that the app's own routes survive a reload.
func (s *Server) serveClient(w http.ResponseWriter, r *http.Request) {
	if s.Client == nil || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		writeError(w, http.StatusNotFound, "not_found", "not found", "")
		return
	}
	name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
	if name == "" {
		name = "index.html"
	}
	if st, err := fs.Stat(s.Client, name); err != nil || st.IsDir() {
		name = "index.html"
	}
	f, err := s.static.get(s.Client, name)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("ETag", f.etag)
	h.Set("Vary", "Accept-Encoding")
	// Revalidate every time: the service worker holds the offline copy, and a
	// new version must reach phones on their next connection.
	h.Set("Cache-Control", "no-cache")
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, f.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := f.body
	if f.gzipped != nil && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = f.gzipped
	}
	h.Set("Content-Length", itoa(int64(len(body))))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		w.Write(body)
	}
}
