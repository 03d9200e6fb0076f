package store

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"strings"
	"unicode/utf8"
)

// Limits of the organisation settings.
const (
	MaxLogoBytes   = 256 << 10 // a logo file as uploaded
	MaxLogoPixels  = 2000      // width and height
	maxOrgTextLen  = 300
	maxOrgLongText = 1000 // address and contact
)

// Org is the organisation that issues the reports, shown in every report's
// header. A database with no settings yet gives the zero Org.
type Org struct {
	NameRu      string `json:"name_ru"`
	NameKk      string `json:"name_kk"`
	NameEn      string `json:"name_en"`
	ShortNameRu string `json:"short_name_ru"`
	ShortNameKk string `json:"short_name_kk"`
	ShortNameEn string `json:"short_name_en"`
	// What the organisation is, e.g. "NGO coalition; members of the NPM".
	WhatRu  string `json:"what_ru"`
	WhatKk  string `json:"what_kk"`
	WhatEn  string `json:"what_en"`
	Address string `json:"address"`
	Contact string `json:"contact"`
	// Logo is a PNG as NormalizeLogo wrote it; nil when there is none.
	Logo      []byte `json:"-"`
	HasLogo   bool   `json:"has_logo"`
	Demo      bool   `json:"demo"`
	UpdatedBy string `json:"updated_by"`
	UpdatedAt string `json:"updated_at"`
}

// IsSet reports whether the organisation has a name in any language.
func (o *Org) IsSet() bool {
	return o != nil && strings.TrimSpace(o.NameRu+o.NameKk+o.NameEn) != ""
}

// NameIn is the organisation's name for a reader of lang, falling back as
// facility names do (lang, then ru, kk, en).
func (o *Org) NameIn(lang string) string { return inLanguage(lang, "", o.NameRu, o.NameKk, o.NameEn) }

// ShortNameIn is the short name for a reader of lang; the full name when no
// short name is given in any language.
func (o *Org) ShortNameIn(lang string) string {
	if s := inLanguage(lang, "", o.ShortNameRu, o.ShortNameKk, o.ShortNameEn); s != "" {
		return s
	}
	return o.NameIn(lang)
}

// WhatIn is what the organisation is, for a reader of lang.
func (o *Org) WhatIn(lang string) string { return inLanguage(lang, "", o.WhatRu, o.WhatKk, o.WhatEn) }

// Validate checks lengths and control characters; it reports the first bad
// field by its JSON name.
func (o *Org) Validate() (field string, err error) {
	texts := []struct {
		name  string
		value string
		max   int
	}{
		{"name_ru", o.NameRu, maxOrgTextLen}, {"name_kk", o.NameKk, maxOrgTextLen}, {"name_en", o.NameEn, maxOrgTextLen},
		{"short_name_ru", o.ShortNameRu, maxOrgTextLen}, {"short_name_kk", o.ShortNameKk, maxOrgTextLen},
		{"short_name_en", o.ShortNameEn, maxOrgTextLen},
		{"what_ru", o.WhatRu, maxOrgTextLen}, {"what_kk", o.WhatKk, maxOrgTextLen}, {"what_en", o.WhatEn, maxOrgTextLen},
		{"address", o.Address, maxOrgLongText}, {"contact", o.Contact, maxOrgLongText},
	}
	for _, t := range texts {
		if !utf8.ValidString(t.value) {
			return t.name, fmt.Errorf("%s is not valid UTF-8", t.name)
		}
		if n := utf8.RuneCountInString(t.value); n > t.max {
			return t.name, fmt.Errorf("%s is %d characters long; the limit is %d", t.name, n, t.max)
		}
		for _, r := range t.value {
			if r < 0x20 && r != '\n' || r == 0x7f {
				return t.name, fmt.Errorf("%s contains a control character", t.name)
			}
		}
	}
	return "", nil
}

// ErrBadLogo is returned for a logo that is not a PNG image within the limits.
var ErrBadLogo = errors.New("the logo must be a PNG image of at most 256 KiB and 2000×2000 pixels")

// NormalizeLogo checks that b is a PNG image within the limits, judged by
// its bytes (signature and full decoding, never a file name or a declared
// type), and re-encodes it as a plain 8-bit, non-interlaced PNG that the PDF
// writer can embed. It returns ErrBadLogo otherwise.
func NormalizeLogo(b []byte) ([]byte, error) {
	if len(b) == 0 || len(b) > MaxLogoBytes || !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
		return nil, ErrBadLogo
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil || cfg.Width < 1 || cfg.Height < 1 || cfg.Width > MaxLogoPixels || cfg.Height > MaxLogoPixels {
		return nil, ErrBadLogo
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, ErrBadLogo
	}
	flat := image.NewNRGBA(img.Bounds())
	draw.Draw(flat, flat.Bounds(), img, img.Bounds().Min, draw.Src)
	var out bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&out, flat); err != nil {
		return nil, fmt.Errorf("encode logo: %w", err)
	}
	return out.Bytes(), nil
}

const orgColumns = `name_ru, name_kk, name_en, short_name_ru, short_name_kk, short_name_en,
	what_ru, what_kk, what_en, address, contact, logo_png, demo, updated_by, updated_at`

// Org returns the organisation settings; the zero Org when none are set.
func (tx *Tx) Org() (*Org, error) {
	var o Org
	err := tx.QueryRow("SELECT "+orgColumns+" FROM org_settings WHERE id = 1").Scan(
		&o.NameRu, &o.NameKk, &o.NameEn, &o.ShortNameRu, &o.ShortNameKk, &o.ShortNameEn,
		&o.WhatRu, &o.WhatKk, &o.WhatEn, &o.Address, &o.Contact, &o.Logo, &o.Demo, &o.UpdatedBy, &o.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return &Org{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read organisation settings: %w", err)
	}
	o.HasLogo = len(o.Logo) > 0
	return &o, nil
}

// SetOrg writes the organisation settings whole, with who changed them (by:
// a person's name as shown; userID: the account, "" from the command line),
// and records the change in the audit trail. The caller validates o and
// normalizes its logo first.
func (tx *Tx) SetOrg(o *Org, userID, by string) error {
	var logo any
	if len(o.Logo) > 0 {
		logo = o.Logo
	}
	_, err := tx.Exec(`INSERT INTO org_settings (id, `+orgColumns+`) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name_ru = excluded.name_ru, name_kk = excluded.name_kk, name_en = excluded.name_en,
		short_name_ru = excluded.short_name_ru, short_name_kk = excluded.short_name_kk, short_name_en = excluded.short_name_en,
		what_ru = excluded.what_ru, what_kk = excluded.what_kk, what_en = excluded.what_en,
		address = excluded.address, contact = excluded.contact, logo_png = excluded.logo_png, demo = excluded.demo,
		updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		o.NameRu, o.NameKk, o.NameEn, o.ShortNameRu, o.ShortNameKk, o.ShortNameEn,
		o.WhatRu, o.WhatKk, o.WhatEn, o.Address, o.Contact, logo, o.Demo, by, tx.NowText())
	if err != nil {
		return fmt.Errorf("write organisation settings: %w", err)
	}
	o.UpdatedBy, o.UpdatedAt, o.HasLogo = by, tx.NowText(), len(o.Logo) > 0
	return tx.AddAuditEvent(userID, "org_settings_changed", "org", "by "+by, "")
}
