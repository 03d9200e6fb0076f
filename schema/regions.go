package schema

import (
	"time"
	_ "time/tzdata" // the regions' zones, whatever the host has
)

// Region is one of the 17 regions (oblys) or 3 cities of republican significance
// of Kazakhstan, as they stand since June 2022, keyed by ISO 3166-2:KZ code.
type Region struct {
	Code string `json:"code"`
	Kind string `json:"kind"` // "region" or "city"
	Name Text   `json:"name"`
	// Zone is the region's IANA time zone. Kazakhstan moved to a single
	// UTC+5 on 1 March 2024; before, most regions kept UTC+6. The tz
	// database holds both, so a date is shown in the offset then in force.
	Zone string `json:"zone"`
}

// Regions lists every region and city of republican significance.
var Regions = []Region{
	{"KZ-AST", "city", Text{"en": "Astana", "ru": "Астана", "kk": "Астана"}, "Asia/Almaty"},
	{"KZ-ALA", "city", Text{"en": "Almaty", "ru": "Алматы", "kk": "Алматы"}, "Asia/Almaty"},
	{"KZ-SHY", "city", Text{"en": "Shymkent", "ru": "Шымкент", "kk": "Шымкент"}, "Asia/Almaty"},
	{"KZ-ABY", "region", Text{"en": "Abai Region", "ru": "Абайская область", "kk": "Абай облысы"}, "Asia/Almaty"},
	{"KZ-AKM", "region", Text{"en": "Akmola Region", "ru": "Акмолинская область", "kk": "Ақмола облысы"}, "Asia/Almaty"},
	{"KZ-AKT", "region", Text{"en": "Aktobe Region", "ru": "Актюбинская область", "kk": "Ақтөбе облысы"}, "Asia/Aqtobe"},
	{"KZ-ALM", "region", Text{"en": "Almaty Region", "ru": "Алматинская область", "kk": "Алматы облысы"}, "Asia/Almaty"},
	{"KZ-ATY", "region", Text{"en": "Atyrau Region", "ru": "Атырауская область", "kk": "Атырау облысы"}, "Asia/Atyrau"},
	{"KZ-ZAP", "region", Text{"en": "West Kazakhstan Region", "ru": "Западно-Казахстанская область", "kk": "Батыс Қазақстан облысы"}, "Asia/Oral"},
	{"KZ-ZHA", "region", Text{"en": "Jambyl Region", "ru": "Жамбылская область", "kk": "Жамбыл облысы"}, "Asia/Almaty"},
	{"KZ-ULT", "region", Text{"en": "Jetisu Region", "ru": "Жетысуская область", "kk": "Жетісу облысы"}, "Asia/Almaty"},
	{"KZ-KAR", "region", Text{"en": "Karaganda Region", "ru": "Карагандинская область", "kk": "Қарағанды облысы"}, "Asia/Almaty"},
	{"KZ-KUS", "region", Text{"en": "Kostanay Region", "ru": "Костанайская область", "kk": "Қостанай облысы"}, "Asia/Qostanay"},
	{"KZ-KZY", "region", Text{"en": "Kyzylorda Region", "ru": "Кызылординская область", "kk": "Қызылорда облысы"}, "Asia/Qyzylorda"},
	{"KZ-MAN", "region", Text{"en": "Mangystau Region", "ru": "Мангистауская область", "kk": "Маңғыстау облысы"}, "Asia/Aqtau"},
	{"KZ-PAV", "region", Text{"en": "Pavlodar Region", "ru": "Павлодарская область", "kk": "Павлодар облысы"}, "Asia/Almaty"},
	{"KZ-SEV", "region", Text{"en": "North Kazakhstan Region", "ru": "Северо-Казахстанская область", "kk": "Солтүстік Қазақстан облысы"}, "Asia/Almaty"},
	{"KZ-YUZ", "region", Text{"en": "Turkistan Region", "ru": "Туркестанская область", "kk": "Түркістан облысы"}, "Asia/Almaty"},
	{"KZ-ULY", "region", Text{"en": "Ulytau Region", "ru": "Улытауская область", "kk": "Ұлытау облысы"}, "Asia/Almaty"},
	{"KZ-VOS", "region", Text{"en": "East Kazakhstan Region", "ru": "Восточно-Казахстанская область", "kk": "Шығыс Қазақстан облысы"}, "Asia/Almaty"},
}

// Location is the region's time zone, from the tz database embedded in the
// binary (time/tzdata), so that it does not depend on the host's files.
func (r Region) Location() *time.Location {
	if loc, err := time.LoadLocation(r.Zone); err == nil {
		return loc
	}
	return time.FixedZone("UTC+5", 5*60*60)
}

// RegionByCode returns the region with the given ISO 3166-2:KZ code.
func RegionByCode(code string) (Region, bool) {
	for _, r := range Regions {
		if r.Code == code {
			return r, true
		}
	}
	return Region{}, false
}
