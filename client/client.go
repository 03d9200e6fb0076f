// Package client embeds the offline web app (HTML, ES modules, service
// worker, manifest) that the server serves at /.
package client

import (
	"embed"
	"io/fs"
)

//go:embed all:web
var files embed.FS

// Files returns the web app's files, rooted at the app's folder.
func Files() fs.FS {
	sub, err := fs.Sub(files, "web")
	if err != nil {
		panic(err) // embedded at build time
	}
	return sub
}
