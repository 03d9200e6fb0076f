package store

import (
	"errors"
	"fmt"

	"inspecta/schema"
)

// FacilityText is one of a facility's registry texts (its name, authority or
// address, in any language) that looks like it names a person
// (schema.FlagPersonalData). Every report prints a facility's registry
// texts as they are, so such a text is not withheld: it is shown to the
// coordinator, who corrects the facility (or knows it is, say, a street
// named after a poet).
type FacilityText struct {
	FacilityID string            `json:"facility_id"`
	Field      string            `json:"field"`
	Text       string            `json:"text"`
	Flags      []schema.TextFlag `json:"flags"`
}

// facilityTextFields are the registry texts of a facility that reports print.
var facilityTextFields = []struct {
	field string
	get   func(f *Facility) string
}{
	{"name", func(f *Facility) string { return f.Name }},
	{"name_ru", func(f *Facility) string { return f.NameRu }},
	{"name_kk", func(f *Facility) string { return f.NameKk }},
	{"name_en", func(f *Facility) string { return f.NameEn }},
	{"authority", func(f *Facility) string { return f.Authority }},
	{"authority_ru", func(f *Facility) string { return f.AuthorityRu }},
	{"authority_kk", func(f *Facility) string { return f.AuthorityKk }},
	{"authority_en", func(f *Facility) string { return f.AuthorityEn }},
	{"address", func(f *Facility) string { return f.Address }},
	{"address_ru", func(f *Facility) string { return f.AddressRu }},
	{"address_kk", func(f *Facility) string { return f.AddressKk }},
	{"address_en", func(f *Facility) string { return f.AddressEn }},
}

// FlaggedFacilityTexts lists the flagged registry texts of a facility, in
// field order; none for a facility whose texts look safe.
func FlaggedFacilityTexts(f *Facility) []FacilityText {
	out := []FacilityText{}
	for _, ft := range facilityTextFields {
		text := ft.get(f)
		if text == "" {
			continue
		}
		if flags := schema.FlagPersonalData(text); len(flags) > 0 {
			out = append(out, FacilityText{FacilityID: f.ID, Field: ft.field, Text: text, Flags: flags})
		}
	}
	return out
}

// VisitFacilityTextFlags lists the flagged registry texts of the facility
// of a visit (FlaggedFacilityTexts), for the check before its approval.
func (tx *Tx) VisitFacilityTextFlags(visitID string) ([]FacilityText, error) {
	var facilityID string
	if err := tx.QueryRow("SELECT facility_id FROM visits WHERE id = ?", visitID).Scan(&facilityID); err != nil {
		return nil, fmt.Errorf("facility of visit %s: %w", visitID, err)
	}
	f, err := tx.Facility(facilityID)
	if errors.Is(err, ErrNotFound) {
		return []FacilityText{}, nil // a deleted facility: no report prints it
	}
	if err != nil {
		return nil, fmt.Errorf("facility texts of visit %s: %w", visitID, err)
	}
	return FlaggedFacilityTexts(f), nil
}
