package store

import "inspecta/schema"

// versionNames are, per record type, the fields whose names a record's
// versions may write as one number (migration 0018's form): bit i of the
// number stands for names[i]. A stored number names fields by their place
// in these lists, so a list may only grow at its end, and never be
// reordered: TestVersionNamesOnlyGrow pins them. A field not in its type's
// list is written by name, as before.
var versionNames = map[schema.RecordType][]string{
	"confidential_note": {"_deleted", "visit_id", "location_id", "text", "consent_to_publish", "author_id"},
	"consolidation":     {"_deleted", "visit_id", "location_id", "item", "value", "reason", "observation_id", "decided_by"},
	"facility": {"_deleted", "name", "type", "authority", "region", "address", "capacity", "built_year", "verified", "demo",
		"created_by", "name_ru", "name_kk", "name_en", "authority_ru", "authority_kk", "authority_en", "address_ru", "address_kk",
		"address_en"},
	"interview": {"_deleted", "visit_id", "private_setting", "present", "consent", "fear_of_reprisal", "complaints", "follow_up",
		"author_id"},
	"location":       {"_deleted", "visit_id", "label", "kind", "created_by"},
	"observation":    {"_deleted", "visit_id", "location_id", "item", "value", "note", "author_id"},
	"obstruction":    {"_deleted", "visit_id", "kind", "target", "minutes", "reason_given", "note", "created_by"},
	"recommendation": {"_deleted", "facility_id", "visit_id", "text", "category", "addressee", "status", "checked_visit_id", "created_by"},
	"visit": {"_deleted", "facility_id", "kind", "announced", "started_at", "ended_at", "team", "ombudsperson_rep_present",
		"access_refused", "status", "checklist", "demo", "created_by", "arrived_at", "admitted_at", "team_size", "rep_in_interviews"},
}

// namesMask is the number standing for names in list, when every name is
// in it (at most 62 of them).
func namesMask(list, names []string) (int64, bool) {
	if len(list) == 0 || len(list) > 62 {
		return 0, false
	}
	var mask int64
	for _, n := range names {
		i := -1
		for j, l := range list {
			if l == n {
				i = j
				break
			}
		}
		if i < 0 {
			return 0, false
		}
		mask |= 1 << i
	}
	return mask, mask != 0
}
