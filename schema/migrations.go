// Package schema is Inspecta's data model: the SQL migrations, the regions of
// Kazakhstan, the roles, and the checklist templates with their indicators.
// It imports nothing of this project.
package schema

import (
	"embed"
	"io/fs"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the embedded SQL migrations. File names sort in the order
// they must be applied (0001_init.sql, 0002_….sql, …).
func Migrations() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the directory is embedded at build time
	}
	return sub
}
