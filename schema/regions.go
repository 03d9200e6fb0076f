package schema

// Region is one of the 17 regions (oblys) or 3 cities of republican significance
// of Kazakhstan, as they stand since June 2022, keyed by ISO 3166-2:KZ code.
type Region struct {
	Code string `json:"code"`
	Kind string `json:"kind"` // "region" or "city"
	Name Text   `json:"name"`
}

// Regions lists every region and city of republican significance.
var Regions = []Region{
	{"KZ-AST", "city", Text{"en": "Astana", "ru": "Астана", "kk": "Астана"}},
	{"KZ-ALA", "city", Text{"en": "Almaty", "ru": "Алматы", "kk": "Алматы"}},
	{"KZ-SHY", "city", Text{"en": "Shymkent", "ru": "Шымкент", "kk": "Шымкент"}},
	{"KZ-ABY", "region", Text{"en": "Abai Region", "ru": "Абайская область", "kk": "Абай облысы"}},
	{"KZ-AKM", "region", Text{"en": "Akmola Region", "ru": "Акмолинская область", "kk": "Ақмола облысы"}},
	{"KZ-AKT", "region", Text{"en": "Aktobe Region", "ru": "Актюбинская область", "kk": "Ақтөбе облысы"}},
	{"KZ-ALM", "region", Text{"en": "Almaty Region", "ru": "Алматинская область", "kk": "Алматы облысы"}},
	{"KZ-ATY", "region", Text{"en": "Atyrau Region", "ru": "Атырауская область", "kk": "Атырау облысы"}},
	{"KZ-ZAP", "region", Text{"en": "West Kazakhstan Region", "ru": "Западно-Казахстанская область", "kk": "Батыс Қазақстан облысы"}},
	{"KZ-ZHA", "region", Text{"en": "Jambyl Region", "ru": "Жамбылская область", "kk": "Жамбыл облысы"}},
	{"KZ-ULT", "region", Text{"en": "Jetisu Region", "ru": "Жетысуская область", "kk": "Жетісу облысы"}},
	{"KZ-KAR", "region", Text{"en": "Karaganda Region", "ru": "Карагандинская область", "kk": "Қарағанды облысы"}},
	{"KZ-KUS", "region", Text{"en": "Kostanay Region", "ru": "Костанайская область", "kk": "Қостанай облысы"}},
	{"KZ-KZY", "region", Text{"en": "Kyzylorda Region", "ru": "Кызылординская область", "kk": "Қызылорда облысы"}},
	{"KZ-MAN", "region", Text{"en": "Mangystau Region", "ru": "Мангистауская область", "kk": "Маңғыстау облысы"}},
	{"KZ-PAV", "region", Text{"en": "Pavlodar Region", "ru": "Павлодарская область", "kk": "Павлодар облысы"}},
	{"KZ-SEV", "region", Text{"en": "North Kazakhstan Region", "ru": "Северо-Казахстанская область", "kk": "Солтүстік Қазақстан облысы"}},
	{"KZ-YUZ", "region", Text{"en": "Turkistan Region", "ru": "Туркестанская область", "kk": "Түркістан облысы"}},
	{"KZ-ULY", "region", Text{"en": "Ulytau Region", "ru": "Улытауская область", "kk": "Ұлытау облысы"}},
	{"KZ-VOS", "region", Text{"en": "East Kazakhstan Region", "ru": "Восточно-Казахстанская область", "kk": "Шығыс Қазақстан облысы"}},
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
