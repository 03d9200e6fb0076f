package store

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Facility is a place of detention as listed and shown.
type Facility struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Type      string `json:"type"`
	Authority string `json:"authority"`
	Region    string `json:"region"`
	Address   string `json:"address"`
	Capacity  *int64 `json:"capacity"`
	BuiltYear *int64 `json:"built_year"`
	Verified  bool   `json:"verified"`
	Demo      bool   `json:"demo"`
	Seq       int64  `json:"seq"`
	// The names per language (empty when not given); Name, Authority and
	// Address are the defaults that clients of version 1 read and write.
	NameRu      string `json:"name_ru"`
	NameKk      string `json:"name_kk"`
	NameEn      string `json:"name_en"`
	AuthorityRu string `json:"authority_ru"`
	AuthorityKk string `json:"authority_kk"`
	AuthorityEn string `json:"authority_en"`
	AddressRu   string `json:"address_ru"`
	AddressKk   string `json:"address_kk"`
	AddressEn   string `json:"address_en"`
}

// inLanguage picks the text for a reader of lang: the text in lang, else
// Russian, Kazakh, English in that order (Russian first because every reader
// of a Kazakh report reads it), else the default of unknown language.
func inLanguage(lang, def, ru, kk, en string) string {
	byLang := map[string]string{"ru": ru, "kk": kk, "en": en}
	if s := strings.TrimSpace(byLang[lang]); s != "" {
		return s
	}
	for _, s := range []string{ru, kk, en, def} {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

// NameIn is the facility's name for a reader of lang (ru, kk or en), with
// the fallback order of inLanguage.
func (f *Facility) NameIn(lang string) string {
	return inLanguage(lang, f.Name, f.NameRu, f.NameKk, f.NameEn)
}

// AuthorityIn is the facility's authority for a reader of lang.
func (f *Facility) AuthorityIn(lang string) string {
	return inLanguage(lang, f.Authority, f.AuthorityRu, f.AuthorityKk, f.AuthorityEn)
}

// AddressIn is the facility's address for a reader of lang.
func (f *Facility) AddressIn(lang string) string {
	return inLanguage(lang, f.Address, f.AddressRu, f.AddressKk, f.AddressEn)
}

// In returns a copy of the facility whose Name, Authority and Address are
// those for a reader of lang, so that code printing a facility needs no
// language logic of its own.
func (f *Facility) In(lang string) *Facility {
	c := *f
	c.Name, c.Authority, c.Address = f.NameIn(lang), f.AuthorityIn(lang), f.AddressIn(lang)
	return &c
}

// FacilityFilter narrows a facility listing; empty fields do not filter.
type FacilityFilter struct {
	Region string
	Type   string
	Query  string // part of the name in any language, any case
}

const facilityColumns = "id, name, type, authority, region, address, capacity, built_year, verified, demo, seq, " +
	"name_ru, name_kk, name_en, authority_ru, authority_kk, authority_en, address_ru, address_kk, address_en"

func scanFacility(row interface{ Scan(...any) error }) (*Facility, error) {
	var f Facility
	err := row.Scan(&f.ID, &f.Name, &f.Type, &f.Authority, &f.Region, &f.Address, &f.Capacity, &f.BuiltYear, &f.Verified, &f.Demo, &f.Seq,
		&f.NameRu, &f.NameKk, &f.NameEn, &f.AuthorityRu, &f.AuthorityKk, &f.AuthorityEn, &f.AddressRu, &f.AddressKk, &f.AddressEn)
	return &f, err
}

// Facilities lists live facilities by region and name.
func (tx *Tx) Facilities(f FacilityFilter) ([]*Facility, error) {
	q := "SELECT " + facilityColumns + " FROM facilities WHERE deleted = 0"
	var args []any
	if f.Region != "" {
		q += " AND region = ?"
		args = append(args, f.Region)
	}
	if f.Type != "" {
		q += " AND type = ?"
		args = append(args, f.Type)
	}
	if s := strings.TrimSpace(f.Query); s != "" {
		q += ` AND (name LIKE ? ESCAPE '\' OR name_ru LIKE ? ESCAPE '\' OR name_kk LIKE ? ESCAPE '\' OR name_en LIKE ? ESCAPE '\')`
		like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s) + "%"
		args = append(args, like, like, like, like)
	}
	rows, err := tx.Query(q+" ORDER BY region, name", args...)
	if err != nil {
		return nil, fmt.Errorf("list facilities: %w", err)
	}
	defer rows.Close()
	list := []*Facility{}
	for rows.Next() {
		fac, err := scanFacility(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, fac)
	}
	return list, rows.Err()
}

// Facility returns the live facility with id, or ErrNotFound.
func (tx *Tx) Facility(id string) (*Facility, error) {
	f, err := scanFacility(tx.QueryRow("SELECT "+facilityColumns+" FROM facilities WHERE id = ? AND deleted = 0", id))
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("facility %s: %w", id, err)
	}
	return f, nil
}
