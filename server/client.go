package server

import (
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// serveClient serves the web app: its files, and index.html for any other
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
	if name == "index.html" || name == "sw.js" {
		w.Header().Set("Cache-Control", "no-cache")
	}
	http.ServeFileFS(w, r, s.Client, name)
}
