package report

// choiceSentences are the default checklist's choice answers as sentences in
// each language ("Insects were seen.", not "Pests seen: Insects."). An item
// or option of another template falls back to "label: option".
var choiceSentences = map[string]map[string]msg{
	"window_obstructed": {
		"none":      {"The window is not obstructed.", "Окно не закрыто.", "Терезе жабылмаған."},
		"partly":    {"The window is partly opaque, above eye level or blocked.", "Окно частично непрозрачное, выше уровня глаз или закрыто.", "Терезе ішінара мөлдір емес, көз деңгейінен жоғары немесе жабылған."},
		"fully":     {"The window is opaque, above eye level or blocked.", "Окно непрозрачное, выше уровня глаз или полностью закрыто.", "Терезе мөлдір емес, көз деңгейінен жоғары немесе толық жабылған."},
		"no_window": {"There is no window.", "Окна нет.", "Терезе жоқ."},
	},
	"ventilation": {
		"natural":    {"Ventilation is natural.", "Вентиляция естественная.", "Желдету табиғи."},
		"mechanical": {"Mechanical ventilation is working.", "Механическая вентиляция работает.", "Механикалық желдету жұмыс істейді."},
		"none":       {"There is no ventilation.", "Вентиляции нет.", "Желдету жоқ."},
	},
	"toilet_partition": {
		"full_with_door": {"The toilet is fully partitioned, with a door.", "Туалет полностью огорожен, есть дверь.", "Дәретхана толық қоршалған, есігі бар."},
		"partial":        {"The toilet is only partly partitioned (low wall, curtain, no door).", "Туалет огорожен лишь частично (низкая перегородка, шторка, без двери).", "Дәретхана ішінара ғана қоршалған (аласа қалқа, перде, есіксіз)."},
		"none":           {"The toilet is not partitioned.", "Туалет не огорожен.", "Дәретхана қоршалмаған."},
	},
	"pests": {
		"none":                {"No insects or rodents were seen.", "Насекомых и грызунов не замечено.", "Жәндіктер мен кеміргіштер байқалмады."},
		"insects":             {"Insects were seen.", "Замечены насекомые.", "Жәндіктер байқалды."},
		"rodents":             {"Rodents were seen.", "Замечены грызуны.", "Кеміргіштер байқалды."},
		"insects_and_rodents": {"Insects and rodents were seen.", "Замечены насекомые и грызуны.", "Жәндіктер мен кеміргіштер байқалды."},
	},
	"complaint_mechanism": {
		"working":            {"Complaints can be made without staff, and the mechanism works.", "Жалобу можно подать без участия персонала, механизм работает.", "Шағымды қызметкерлердің қатысуынсыз беруге болады, тетік жұмыс істейді."},
		"not_working":        {"A complaint mechanism exists but does not work or is not confidential.", "Механизм подачи жалоб есть, но не работает или не обеспечивает конфиденциальность.", "Шағым беру тетігі бар, бірақ жұмыс істемейді немесе құпиялылықты қамтамасыз етпейді."},
		"only_through_staff": {"Complaints can be made only through staff.", "Жалобу можно подать только через персонал.", "Шағымды тек қызметкерлер арқылы беруге болады."},
		"none":               {"There is no complaint mechanism.", "Механизма подачи жалоб нет.", "Шағым беру тетігі жоқ."},
	},
	"food_sufficient": {
		"sufficient":   {"Food is sufficient in quantity and quality.", "Питание достаточное по количеству и качеству.", "Тамақ мөлшері мен сапасы жағынан жеткілікті."},
		"partly":       {"Food is only partly sufficient in quantity and quality.", "Питание достаточно по количеству и качеству лишь частично.", "Тамақ мөлшері мен сапасы жағынан ішінара ғана жеткілікті."},
		"insufficient": {"Food is insufficient in quantity or quality.", "Питание недостаточное по количеству или качеству.", "Тамақ мөлшері немесе сапасы жағынан жеткіліксіз."},
	},
	"medical_care_available": {
		"available":     {"Medical care and medicines are available.", "Медицинская помощь и лекарства доступны.", "Медициналық көмек пен дәрі-дәрмек қолжетімді."},
		"partly":        {"Medical care and medicines are only partly available.", "Медицинская помощь и лекарства доступны лишь частично.", "Медициналық көмек пен дәрі-дәрмек ішінара ғана қолжетімді."},
		"not_available": {"Medical care and medicines are not available.", "Медицинская помощь и лекарства недоступны.", "Медициналық көмек пен дәрі-дәрмек қолжетімсіз."},
	},
}
