package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	gosync "sync"
)

// Photo limits (issue 18). A phone scales every photo to at most
// MaxPhotoSide pixels on its long side as JPEG of quality about 0.8, which
// gives 150-600 KB; the limits leave room for a PNG of a document.
const (
	MaxPhotoSide       = 1600     // pixels, long side
	MaxPhotoBytes      = 2 << 20  // one photo as sent
	MaxVisitPhotoBytes = 60 << 20 // every photo of one visit together
	// PhotoChunkBytes is the most a device sends in one request: a quarter
	// of the server's body limit, about 2 s on a 1 Mbit/s link, so a cut
	// connection loses little and no request ever nears the limit.
	PhotoChunkBytes = 256 << 10
)

// Errors of photo contents; each is answered with its own code.
var (
	ErrNotImage      = errors.New("the photo is neither a JPEG nor a PNG image (judged by its bytes)")
	ErrPhotoTooLarge = fmt.Errorf("a photo may have at most %d pixels on its long side; scale it down on the device", MaxPhotoSide)
	ErrHashMismatch  = errors.New("the bytes received do not have the SHA-256 the photo was announced with; send it again from the start")
	ErrOffset        = errors.New("the chunk does not start where the bytes received end")
)

// BlobDir is the folder of the photo files of the database at dbPath.
func BlobDir(dbPath string) string { return filepath.Join(filepath.Dir(dbPath), "blobs") }

// Blobs keeps photo files: finished ones under DIR/ab/abcd… (named by the
// SHA-256 of the stored file) and uploads under way under DIR/partial/, all
// DataFileMode in folders of DataDirMode. An upload under way is named by
// its key, the photo's id: two photos never share one, so nobody adds to,
// learns the progress of, or completes another's upload by knowing the
// SHA-256 of its bytes.
type Blobs struct {
	Dir string

	mu      gosync.Mutex
	locks   map[string]*gosync.Mutex
	uploads map[string]*upload
}

// NewBlobs returns the blob folder dir (created on first write).
func NewBlobs(dir string) *Blobs { return &Blobs{Dir: dir, locks: map[string]*gosync.Mutex{}} }

// Lock serialises the recording of the bytes with one SHA-256 (finishing
// an upload, deleting the file); the caller calls the returned function to
// unlock.
func (b *Blobs) Lock(sha string) func() {
	b.mu.Lock()
	m := b.locks[sha]
	if m == nil {
		m = &gosync.Mutex{}
		b.locks[sha] = m
	}
	b.mu.Unlock()
	m.Lock()
	return m.Unlock
}

// Path returns the file of a stored blob.
func (b *Blobs) Path(storedSHA string) string {
	if len(storedSHA) < 2 {
		return filepath.Join(b.Dir, "invalid")
	}
	return filepath.Join(b.Dir, storedSHA[:2], storedSHA)
}

func (b *Blobs) partPath(key string) string { return filepath.Join(b.Dir, "partial", key+".part") }

// Received returns how many bytes of the upload key have arrived.
func (b *Blobs) Received(key string) int64 {
	info, err := os.Stat(b.partPath(key))
	if err != nil {
		return 0
	}
	return info.Size()
}

// mkdir makes dir and its parents with DataDirMode.
func mkdir(dir string) error {
	if err := os.MkdirAll(dir, DataDirMode); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	return nil
}

// ErrSuperseded: a newer chunk of the same upload took over while this one
// was still arriving (a connection the device gave up on).
var ErrSuperseded = errors.New("a newer chunk of this photo took over")

// upload is the writer of an upload under way: the chunk that started last
// at the end of the bytes received.
type upload struct {
	mu  gosync.Mutex
	gen int
}

func (b *Blobs) upload(key string) *upload {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.uploads == nil {
		b.uploads = map[string]*upload{}
	}
	u := b.uploads[key]
	if u == nil {
		u = &upload{}
		b.uploads[key] = u
	}
	return u
}

// Append writes body at offset of the upload key, which must be where the
// bytes received end (else ErrOffset and the bytes there are), taking at
// most limit bytes. Bytes are written as they arrive, with no lock held
// while waiting for the network: what arrived before a cut is kept and
// counted at once, and a connection that died unnoticed never holds up the
// next chunk, which takes over (the old one then stops: ErrSuperseded).
// It returns the bytes received after the write.
func (b *Blobs) Append(key string, offset int64, body io.Reader, limit int64) (int64, error) {
	u := b.upload(key)
	u.mu.Lock()
	have := b.Received(key)
	if offset != have {
		u.mu.Unlock()
		return have, ErrOffset
	}
	u.gen++
	gen := u.gen
	u.mu.Unlock()
	if err := mkdir(filepath.Join(b.Dir, "partial")); err != nil {
		return have, err
	}
	f, err := os.OpenFile(b.partPath(key), os.O_WRONLY|os.O_CREATE|os.O_APPEND, DataFileMode)
	if err != nil {
		return have, fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	buf := make([]byte, 32<<10)
	body = io.LimitReader(body, limit)
	for {
		n, readErr := body.Read(buf)
		if n > 0 {
			u.mu.Lock()
			if u.gen != gen {
				u.mu.Unlock()
				return b.Received(key), ErrSuperseded
			}
			k, err := f.Write(buf[:n])
			have += int64(k)
			u.mu.Unlock()
			if err != nil {
				return have, fmt.Errorf("write upload: %w", err)
			}
		}
		if readErr == io.EOF {
			return have, nil
		}
		if readErr != nil {
			return have, readErr
		}
	}
}

// Discard forgets an upload under way.
func (b *Blobs) Discard(key string) { os.Remove(b.partPath(key)) }

// partialKeys lists the keys of the uploads under way on disk (every file
// in partial/ named *.part, whatever named it: before uploads were keyed by
// the photo's id they were keyed by the SHA-256 of its bytes).
func (b *Blobs) partialKeys() ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(b.Dir, "partial"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list uploads under way: %w", err)
	}
	var keys []string
	for _, e := range entries {
		if key, ok := strings.CutSuffix(e.Name(), ".part"); ok && e.Type().IsRegular() {
			keys = append(keys, key)
		}
	}
	return keys, nil
}

// discardOrphan removes the upload key between two writes of a chunk (a
// chunk still arriving for it writes on into the removed file, which
// nobody reads again).
func (b *Blobs) discardOrphan(key string) error {
	u := b.upload(key)
	u.mu.Lock()
	defer u.mu.Unlock()
	if err := os.Remove(b.partPath(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove upload %s: %w", key, err)
	}
	return nil
}

// StartsLikeImage reports whether the first bytes of an upload are those of a
// JPEG or a PNG (so that other bytes are refused before they all arrive).
func StartsLikeImage(head []byte) bool {
	jpg, pngSig := []byte{0xFF, 0xD8, 0xFF}, []byte("\x89PNG\r\n\x1a\n")
	n := min(len(head), len(pngSig))
	if n == 0 {
		return true
	}
	return bytes.HasPrefix(jpg, head[:min(len(head), 3)]) || bytes.HasPrefix(pngSig, head[:n])
}

// Head returns the first n bytes received of the upload key.
func (b *Blobs) Head(key string, n int) []byte {
	f, err := os.Open(b.partPath(key))
	if err != nil {
		return nil
	}
	defer f.Close()
	buf := make([]byte, n)
	k, _ := io.ReadFull(f, buf)
	return buf[:k]
}

// StoredBlob is a photo file kept after its upload was checked.
type StoredBlob struct {
	SHA256, StoredSHA256, ContentType string
	Bytes                             int64
	Width, Height                     int
}

// Finish checks the complete upload key (that it has the SHA-256 sha, is a JPEG or PNG by
// its bytes, its size in pixels), re-encodes it with nothing but the pixels
// (no EXIF, GPS, camera serial, comment or colour profile survives), writes
// the file and removes the upload. A failed check removes the upload too.
func (b *Blobs) Finish(key, sha string) (*StoredBlob, error) {
	raw, err := os.ReadFile(b.partPath(key))
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	sum := sha256.Sum256(raw)
	if hex.EncodeToString(sum[:]) != sha {
		b.Discard(key)
		return nil, ErrHashMismatch
	}
	clean, typ, w, h, err := NormalizePhoto(raw)
	if err != nil {
		b.Discard(key)
		return nil, err
	}
	stored := sha256.Sum256(clean)
	blob := &StoredBlob{SHA256: sha, StoredSHA256: hex.EncodeToString(stored[:]), ContentType: typ,
		Bytes: int64(len(clean)), Width: w, Height: h}
	if err := b.write(blob.StoredSHA256, clean); err != nil {
		return nil, err
	}
	b.Discard(key)
	return blob, nil
}

// write stores data as the blob named storedSHA: written beside, synced, renamed.
func (b *Blobs) write(storedSHA string, data []byte) error {
	path := b.Path(storedSHA)
	if err := mkdir(filepath.Dir(path)); err != nil {
		return err
	}
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, DataFileMode)
	if err != nil {
		return fmt.Errorf("write photo: %w", err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if e := f.Close(); err == nil {
		err = e
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write photo: %w", err)
	}
	return nil
}

// Remove deletes a stored blob's file.
func (b *Blobs) Remove(storedSHA string) error {
	if err := os.Remove(b.Path(storedSHA)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove photo file: %w", err)
	}
	return nil
}

// Verify reports a problem with the stored blob's file: missing, or its
// bytes no longer have the SHA-256 it is named by. "" when it is sound.
func (b *Blobs) Verify(storedSHA string) string {
	data, err := os.ReadFile(b.Path(storedSHA))
	if errors.Is(err, fs.ErrNotExist) {
		return "missing"
	}
	if err != nil {
		return "unreadable: " + err.Error()
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != storedSHA {
		return "corrupt (its SHA-256 changed)"
	}
	return ""
}

// CopyTo copies the stored blob into the blob folder dst unless a sound copy
// is there already (blobs are named by their contents: a copy never differs).
func (b *Blobs) CopyTo(dst *Blobs, storedSHA string) error {
	if dst.Verify(storedSHA) == "" {
		return nil
	}
	data, err := os.ReadFile(b.Path(storedSHA))
	if err != nil {
		return fmt.Errorf("copy photo %s: %w", storedSHA, err)
	}
	return dst.write(storedSHA, data)
}

// Usage returns the bytes of every file in the blob folder (stored photos
// and uploads under way).
func (b *Blobs) Usage() (stored, partial int64) {
	filepath.WalkDir(b.Dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		if strings.HasSuffix(path, ".part") {
			partial += info.Size()
		} else {
			stored += info.Size()
		}
		return nil
	})
	return stored, partial
}

// NormalizePhoto decodes a JPEG or PNG judged by its bytes (not by any
// name or declared type), refuses more than MaxPhotoSide pixels on the long
// side (checked from the header before decoding, so a decompression bomb
// is never decoded) and re-encodes the pixels alone: JPEG at quality 90,
// PNG as it was. It returns the new bytes, their type and the size.
func NormalizePhoto(raw []byte) ([]byte, string, int, int, error) {
	var typ string
	switch {
	case bytes.HasPrefix(raw, []byte{0xFF, 0xD8, 0xFF}):
		typ = "image/jpeg"
	case bytes.HasPrefix(raw, []byte("\x89PNG\r\n\x1a\n")):
		typ = "image/png"
	default:
		return nil, "", 0, 0, ErrNotImage
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(raw))
	if err != nil || (format != "jpeg" && format != "png") {
		return nil, "", 0, 0, ErrNotImage
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, "", 0, 0, ErrNotImage
	}
	if cfg.Width > MaxPhotoSide || cfg.Height > MaxPhotoSide {
		return nil, "", 0, 0, ErrPhotoTooLarge
	}
	var out bytes.Buffer
	if typ == "image/jpeg" {
		img, err := jpeg.Decode(bytes.NewReader(raw))
		if err != nil {
			return nil, "", 0, 0, ErrNotImage
		}
		if err := jpeg.Encode(&out, img, &jpeg.Options{Quality: 90}); err != nil {
			return nil, "", 0, 0, fmt.Errorf("re-encode photo: %w", err)
		}
	} else {
		img, err := png.Decode(bytes.NewReader(raw))
		if err != nil {
			return nil, "", 0, 0, ErrNotImage
		}
		if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&out, img); err != nil {
			return nil, "", 0, 0, fmt.Errorf("re-encode photo: %w", err)
		}
	}
	return out.Bytes(), typ, cfg.Width, cfg.Height, nil
}
