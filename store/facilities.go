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
}

// FacilityFilter narrows a facility listing; empty fields do not filter.
type FacilityFilter struct {
	Region string
	Type   string
	Query  string // part of the name, any case
}

const facilityColumns = "id, name, type, authority, region, address, capacity, built_year, verified, demo, seq"

func scanFacility(row interface{ Scan(...any) error }) (*Facility, error) {
	var f Facility
	err := row.Scan(&f.ID, &f.Name, &f.Type, &f.Authority, &f.Region, &f.Address, &f.Capacity, &f.BuiltYear, &f.Verified, &f.Demo, &f.Seq)
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
		q += " AND name LIKE ? ESCAPE '\\'"
		args = append(args, "%"+strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)+"%")
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
