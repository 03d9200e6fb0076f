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
	"regexp"
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
	shell, later, version := Shell(sub)
	sw, err := fs.ReadFile(sub, "sw.js")
	if err != nil {
		panic(err)
	}
	list, _ := json.Marshal(shell)
	laterList, _ := json.Marshal(later)
	sw = bytes.Replace(sw, []byte("__VERSION__"), []byte(version), 1)
	sw = bytes.Replace(sw, []byte("[/*__SHELL__*/]"), list, 1)
	sw = bytes.Replace(sw, []byte("[/*__LATER__*/]"), laterList, 1)
	return &overlayFS{FS: sub, name: "sw.js", data: sw}
})

// Shell lists the URL paths the service worker caches on its first install
// (shell) and those it caches when they are first used or on an update
// (later), and returns them with a version: the first 12 hex digits of a
// SHA-256 over every file's name and content.
//
// The shell is what the first screen needs: every file but the app's modules,
// plus the modules index.html loads and everything they import statically.
// A module reached only by a dynamic import() — the coordinator's desk, the
// app lock's cipher — is later: a monitor's phone does not download it on its
// first load. sw.js, index.html (served as "/") and licence texts are left
// out.
func Shell(root fs.FS) (shell, later []string, version string) {
	var names []string
	fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == "sw.js" || strings.HasPrefix(path.Base(p), "LICENSE") {
			return err
		}
		names = append(names, p)
		return nil
	})
	sort.Strings(names)
	first := firstScreen(root)
	h := sha256.New()
	shell = []string{"/"}
	for _, n := range names {
		b, err := fs.ReadFile(root, n)
		if err != nil {
			panic(err)
		}
		io.WriteString(h, n+"\x00")
		h.Write(b)
		switch {
		case n == "index.html": // served as "/": the file server redirects /index.html there
		case path.Ext(n) == ".js" && !first[n]:
			later = append(later, "/"+n)
		default:
			shell = append(shell, "/"+n)
		}
	}
	return shell, later, hex.EncodeToString(h.Sum(nil))[:12]
}

// entryModule matches a module index.html loads: a module script or a
// modulepreload link.
var entryModule = regexp.MustCompile(`<(?:script type="module" src|link rel="modulepreload" href)="/([^"]+)"`)

// StaticImport matches an import or re-export at the start of a line (not the
// examples inside doc comments, which start with " * "); DynamicImport a
// dynamic import() of a literal path.
var (
	StaticImport  = regexp.MustCompile(`(?m)^(?:import\s|export\s*[{*])[^'";]*?from\s*["']([^"']+)["']|^import\s*["']([^"']+)["']`)
	DynamicImport = regexp.MustCompile(`\bimport\(\s*["']([^"']+)["']\s*\)`)
)

// firstScreen is the set of modules (paths relative to root) that index.html
// loads and everything they import statically.
func firstScreen(root fs.FS) map[string]bool {
	index, err := fs.ReadFile(root, "index.html")
	if err != nil {
		panic(err)
	}
	seen := map[string]bool{}
	var todo []string
	for _, m := range entryModule.FindAllStringSubmatch(string(index), -1) {
		todo = append(todo, m[1])
	}
	for len(todo) > 0 {
		p := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if seen[p] {
			continue
		}
		seen[p] = true
		src, err := fs.ReadFile(root, p)
		if err != nil {
			continue // TestModuleImportsResolve names it
		}
		for _, m := range StaticImport.FindAllStringSubmatch(string(src), -1) {
			todo = append(todo, path.Join(path.Dir(p), m[1]+m[2]))
		}
	}
	return seen
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
