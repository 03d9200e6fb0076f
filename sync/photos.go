package sync

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
)

// PhotoMeta announces a photo (docs/protocol.md, "Photos"). SHA256 and
// Bytes are filled by SendPhoto from the bytes.
type PhotoMeta struct {
	ID         string `json:"id"`
	VisitID    string `json:"visit_id"`
	LocationID string `json:"location_id,omitempty"`
	Item       string `json:"item,omitempty"`
	NoteID     string `json:"note_id,omitempty"`
	Caption    string `json:"caption,omitempty"`
	TakenAt    string `json:"taken_at,omitempty"`
	SHA256     string `json:"sha256"`
	Bytes      int64  `json:"bytes"`
}

// PhotoStatus is the server's answer about a photo's bytes.
type PhotoStatus struct {
	Received   int64 `json:"received"`
	Complete   bool  `json:"complete"`
	ChunkBytes int64 `json:"chunk_bytes"`
}

// SendPhoto announces a photo and sends its bytes in the chunks the server
// asks for, each starting where the server's bytes end: after a cut
// connection it asks again how much arrived and goes on from there, up to
// retries times. A refusal by the server (*ErrHTTP, 4xx) ends it at once.
func (c *Client) SendPhoto(ctx context.Context, meta PhotoMeta, data []byte, retries int) error {
	sum := sha256.Sum256(data)
	meta.SHA256, meta.Bytes = hex.EncodeToString(sum[:]), int64(len(data))
	var lastErr error
	for attempt := 0; attempt <= retries; attempt++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		st, err := c.announcePhoto(ctx, meta)
		for err == nil && !st.Complete {
			st, err = c.sendChunk(ctx, meta, data, st)
		}
		if err == nil {
			return nil
		}
		var he *ErrHTTP
		if errors.As(err, &he) && he.Status/100 == 4 && he.Code != "offset_mismatch" {
			return err
		}
		lastErr = err
	}
	return fmt.Errorf("photo %s: gave up after %d attempts: %w", meta.ID, retries+1, lastErr)
}

func (c *Client) announcePhoto(ctx context.Context, meta PhotoMeta) (PhotoStatus, error) {
	body, _ := json.Marshal(meta)
	req, err := c.newRequest(ctx, http.MethodPost, "/api/v1/photos", body)
	if err != nil {
		return PhotoStatus{}, err
	}
	c.Requests++
	var st PhotoStatus
	err = doJSON(c.HTTP, req, &st)
	return st, err
}

func (c *Client) sendChunk(ctx context.Context, meta PhotoMeta, data []byte, st PhotoStatus) (PhotoStatus, error) {
	size := st.ChunkBytes
	if size <= 0 {
		size = 256 << 10
	}
	from := st.Received
	to := min(from+size, int64(len(data)))
	req, err := c.newRequest(ctx, http.MethodPut, "/api/v1/photos/"+meta.ID+"/content?offset="+strconv.FormatInt(from, 10), nil)
	if err != nil {
		return st, err
	}
	req.Body = http.NoBody
	if to > from {
		chunk := data[from:to]
		req.Body = readCloser{bytes.NewReader(chunk)}
		req.ContentLength = int64(len(chunk))
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	c.Requests++
	var next PhotoStatus
	if err := doJSON(c.HTTP, req, &next); err != nil {
		return st, err
	}
	if next.ChunkBytes == 0 {
		next.ChunkBytes = st.ChunkBytes
	}
	return next, nil
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }
