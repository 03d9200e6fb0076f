package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// File modes of what Inspecta keeps on disk: the records are evidence and
// what detainees said, so nobody but the server's own account reads them.
const (
	DataDirMode  fs.FileMode = 0o700 // the folder of the database
	DataFileMode fs.FileMode = 0o600 // the database, its WAL and shared memory, every backup
)

// createPrivate creates path empty with DataFileMode if it does not exist,
// so that SQLite opens (and gives its WAL and shared-memory files) that mode
// instead of the process's umask default.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, DataFileMode)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	return f.Close()
}

// CheckFileModes returns one warning for each of the database's folder (wider
// than DataDirMode) and files (the database, -wal, -shm: wider than
// DataFileMode) that others than the owner can read or write.
func CheckFileModes(dbPath string) []string {
	var warnings []string
	check := func(path string, want fs.FileMode, what string) {
		info, err := os.Stat(path)
		if err != nil {
			return // absent (a WAL after a clean close): nothing to protect
		}
		if mode := info.Mode().Perm(); mode&^want != 0 {
			warnings = append(warnings, fmt.Sprintf("%s %s has mode %04o, readable or writable by others than its owner: run chmod %04o %s",
				what, path, mode, want, path))
		}
	}
	check(filepath.Dir(dbPath), DataDirMode, "the data folder")
	check(dbPath, DataFileMode, "the database")
	check(dbPath+"-wal", DataFileMode, "the write-ahead log")
	check(dbPath+"-shm", DataFileMode, "the shared-memory file")
	blobs := BlobDir(dbPath)
	filepath.WalkDir(blobs, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			check(path, DataDirMode, "the photo folder")
		} else {
			check(path, DataFileMode, "the photo file")
		}
		return nil
	})
	return warnings
}
