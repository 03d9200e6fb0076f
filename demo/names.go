package demo

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"

	"inspecta/store"
)

// names is a facility's name, authority and address in Russian and Kazakh;
// the English ones are the data set's own (facilitySpec).
type names struct {
	nameRu, nameKk, authorityRu, authorityKk, addressRu, addressKk string
}

const (
	miaPenalRu  = "МВД, Комитет уголовно-исполнительной системы"
	miaPenalKk  = "ІІМ, Қылмыстық-атқару жүйесі комитеті"
	noAddressRu = " (демонстрационная запись: улица не указана)"
	noAddressKk = " (демонстрациялық жазба: көше көрсетілмеген)"
)

// facilityNames holds the Russian and Kazakh names of the demo facilities,
// by facility key.
var facilityNames = map[string]names{
	"la155": {"Учреждение ЛА-155/14 (средней безопасности), Алматинская область", "ЛА-155/14 мекемесі (орташа қауіпсіздік), Алматы облысы",
		miaPenalRu, miaPenalKk, "Алматинская область" + noAddressRu, "Алматы облысы" + noAddressKk},
	"srdf": {"Специальный приёмник-распределитель Департамента полиции, Шымкент", "Полиция департаментінің арнаулы қабылдау-тарату орны, Шымкент",
		"МВД, Департамент полиции города Шымкент", "ІІМ, Шымкент қаласының Полиция департаменті", "Шымкент" + noAddressRu, "Шымкент" + noAddressKk},
	"inst78": {"Учреждение № 78 (максимальной безопасности, женское), Шымкент", "№ 78 мекеме (барынша қауіпсіз, әйелдерге арналған), Шымкент",
		miaPenalRu + ", Департамент по г. Шымкент и Туркестанской области", miaPenalKk + ", Шымкент қаласы және Түркістан облысы бойынша департамент",
		"Шымкент" + noAddressRu, "Шымкент" + noAddressKk},
	"sizo61": {"Следственный изолятор № 61, Карагандинская область", "№ 61 тергеу изоляторы, Қарағанды облысы",
		miaPenalRu, miaPenalKk, "Карагандинская область" + noAddressRu, "Қарағанды облысы" + noAddressKk},
	"saran": {"Изолятор временного содержания (ИВС), Сарань", "Уақытша ұстау изоляторы (УҰИ), Саран",
		"МВД, полиция", "ІІМ, полиция", "Сарань, Карагандинская область" + noAddressRu, "Саран, Қарағанды облысы" + noAddressKk},
	"no70": {"Следственный изолятор № 70, Актобе", "№ 70 тергеу изоляторы, Ақтөбе",
		miaPenalRu, miaPenalKk, "Актобе" + noAddressRu, "Ақтөбе" + noAddressKk},
	"no75": {"Следственный изолятор № 75, Атырау", "№ 75 тергеу изоляторы, Атырау",
		miaPenalRu, miaPenalKk, "Атырау" + noAddressRu, "Атырау" + noAddressKk},
	"colony15": {"Исправительная колония № 15, Атырауская область", "№ 15 түзеу колониясы, Атырау облысы",
		miaPenalRu, miaPenalKk, "Атырауская область" + noAddressRu, "Атырау облысы" + noAddressKk},
	"sizo73": {"Следственный изолятор № 73, Усть-Каменогорск", "№ 73 тергеу изоляторы, Өскемен",
		miaPenalRu, miaPenalKk, "Усть-Каменогорск" + noAddressRu, "Өскемен" + noAddressKk},
	"pavlodar": {"Областной детский психоневрологический центр оказания специальных социальных услуг, Павлодар",
		"Арнаулы әлеуметтік қызметтер көрсететін облыстық балалар психоневрологиялық орталығы, Павлодар",
		"Управление координации занятости и социальных программ Павлодарской области",
		"Павлодар облысының жұмыспен қамтуды үйлестіру және әлеуметтік бағдарламалар басқармасы",
		"Павлодар" + noAddressRu, "Павлодар" + noAddressKk},
	"no18": {"Следственный изолятор № 18, Алматы", "№ 18 тергеу изоляторы, Алматы",
		miaPenalRu, miaPenalKk, "Алматы" + noAddressRu, "Алматы" + noAddressKk},
}

// addNames puts the names of facility f in every language into its fields.
func addNames(fields map[string]any, f facilitySpec) {
	n, ok := facilityNames[f.key]
	if !ok {
		return
	}
	fields["name_ru"], fields["name_kk"], fields["name_en"] = "[DEMO] "+n.nameRu, "[DEMO] "+n.nameKk, "[DEMO] "+f.name
	fields["authority_ru"], fields["authority_kk"], fields["authority_en"] = n.authorityRu, n.authorityKk, f.authority
	fields["address_ru"], fields["address_kk"], fields["address_en"] = n.addressRu, n.addressKk, f.address
}

// demoOrg is the organisation of the demo data set, labelled demo in every
// language: modelled on the Coalition, with no real address or contact.
func demoOrg() *store.Org {
	return &store.Org{
		NameRu:      "[DEMO] Коалиция НПО Казахстана против пыток",
		NameKk:      "[DEMO] Қазақстанның азаптауларға қарсы ҮЕҰ коалициясы",
		NameEn:      "[DEMO] NGO Coalition of Kazakhstan against Torture",
		ShortNameRu: "[DEMO] Коалиция против пыток",
		ShortNameKk: "[DEMO] Азаптауларға қарсы коалиция",
		ShortNameEn: "[DEMO] Coalition against Torture",
		WhatRu:      "Коалиция НПО; её члены входят в Национальный превентивный механизм (демонстрационные настройки)",
		WhatKk:      "ҮЕҰ коалициясы; мүшелері Ұлттық алдын алу тетігінің құрамында (демонстрациялық баптаулар)",
		WhatEn:      "NGO coalition; members of the National Preventive Mechanism (demo settings)",
		Address:     "Almaty, Kazakhstan (demo settings: no real address)",
		Contact:     "demo@example.org",
		Logo:        demoLogo(),
		Demo:        true,
	}
}

// demoLogo draws a plain logo (a blue ring around a dot), so that the demo's
// reports show where a logo goes.
func demoLogo() []byte {
	const size = 96
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	blue := color.NRGBA{31, 73, 125, 255}
	c := float64(size-1) / 2
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			r := math.Hypot(float64(x)-c, float64(y)-c)
			if (r > 36 && r < 46) || r < 14 {
				img.Set(x, y, blue)
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err) // encoding an in-memory image cannot fail
	}
	return buf.Bytes()
}
