// Package client embeds the offline web app (HTML, ES modules, service
// worker, manifest) that the server serves at /.
package client

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"time"
)

//go:embed all:web
var files embed.FS

// Files returns the web app's files, rooted at the app's folder. Its sw.js
// carries the shell's file list and a version derived from the content of
// every shell file, so that any change to the app makes browsers install a
// new service worker and cache the new files under a new name.
func Files() fs.FS {
	return shellFS()
}

var shellFS = sync.OnceValue(func() fs.FS {
	sub, err := fs.Sub(files, "web")
	if err != nil {
		panic(err) // embedded at build time
	}
	shell, version := Shell(sub)
	sw, err := fs.ReadFile(sub, "sw.js")
	if err != nil {
		panic(err)
	}
	list, _ := json.Marshal(shell)
	sw = bytes.Replace(sw, []byte("__VERSION__"), []byte(version), 1)
	sw = bytes.Replace(sw, []byte("[/*__SHELL__*/]"), list, 1)
	return &overlayFS{FS: sub, name: "sw.js", data: sw}
})

// Shell lists the URL paths the service worker caches (every file but sw.js,
// index.html (as "/") and licence texts) and returns them with a version: the first 12
// hex digits of a SHA-256 over their names and contents.
func Shell(root fs.FS) ([]string, string) {
	var names []string
	fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == "sw.js" || strings.HasPrefix(path.Base(p), "LICENSE") {
			return err
		}
		names = append(names, p)
		return nil
	})
	sort.Strings(names)
	h := sha256.New()
	urls := []string{"/"}
	for _, n := range names {
		b, err := fs.ReadFile(root, n)
		if err != nil {
			panic(err)
		}
		io.WriteString(h, n+"\x00")
		h.Write(b)
		if n != "index.html" { // served as "/": the file server redirects /index.html there
			urls = append(urls, "/"+n)
		}
	}
	return urls, hex.EncodeToString(h.Sum(nil))[:12]
}

// overlayFS serves one file's content from memory and the rest from FS.
type overlayFS struct {
	fs.FS
	name string
	data []byte
}

func (o *overlayFS) Open(name string) (fs.File, error) {
	if name != o.name {
		return o.FS.Open(name)
	}
	return &memFile{Reader: bytes.NewReader(o.data), name: name, size: int64(len(o.data))}, nil
}

func (o *overlayFS) Stat(name string) (fs.FileInfo, error) {
	if name != o.name {
		return fs.Stat(o.FS, name)
	}
	return memInfo{name: name, size: int64(len(o.data))}, nil
}

type memFile struct {
	*bytes.Reader
	name string
	size int64
}

func (f *memFile) Stat() (fs.FileInfo, error) { return memInfo{name: f.name, size: f.size}, nil }
func (f *memFile) Close() error               { return nil }

type memInfo struct {
	name string
	size int64
}

func (i memInfo) Name() string       { return path.Base(i.name) }
func (i memInfo) Size() int64        { return i.size }
func (i memInfo) Mode() fs.FileMode  { return 0o444 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }
