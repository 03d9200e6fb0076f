package report

// Words of the obstruction and interview figures (access.go), in en, ru, kk.
func init() {
	for k, m := range accessUI {
		ui[k] = m
	}
}

var accessUI = map[string]msg{
	"access.h": {"Access to the facility and interviews", "Доступ в учреждение и беседы", "Мекемеге кіру және сұхбаттар"},
	"access.note": {"Obstruction is counted from what the team recorded at each visit: when it arrived and was let in, each refusal or delay of access (to areas, documents, persons or the team's devices) and the reason given. Interviews are counted only; what was said is never printed. A count of 1 or 2 persons is shown as \"fewer than 3\", and so is any figure it could be worked out from. The cap on the team size comes from a secondary source and is marked for verification.",
		"Воспрепятствование подсчитано по записям группы о каждом посещении: время прибытия и допуска, каждый отказ или задержка доступа (в помещения, к документам, к лицам, к технике группы) и названная причина. Беседы только подсчитываются; их содержание в отчёт не попадает. Число 1 или 2 человек показано как «менее 3», как и любое число, из которого его можно вычислить. Ограничение численности группы взято из вторичного источника и помечено «требует проверки».",
		"Кедергі әр барудағы топ жазбалары бойынша есептелді: келу және кіргізу уақыты, кіруден әрбір бас тарту немесе кідірту (үй-жайларға, құжаттарға, адамдарға, топтың құрылғыларына) және айтылған себеп. Сұхбаттар тек саналады; олардың мазмұны есепке енбейді. 1 немесе 2 адам саны «3-тен аз» деп көрсетіледі, оны есептеп шығаруға болатын кез келген сан да солай. Топ санының шегі қосалқы дереккөзден алынған және «тексеруді қажет етеді» деп белгіленген."},
	"access.period":               {"Period", "За период", "Кезеңде"},
	"access.arrived":              {"Arrived at the gate", "Прибытие к учреждению", "Мекемеге келу"},
	"access.admitted":             {"Let in", "Допуск в учреждение", "Мекемеге кіргізу"},
	"access.wait":                 {"Wait at the gate", "Ожидание у входа", "Кіреберісте күту"},
	"access.longest":              {"longest", "наибольшее", "ең ұзақ"},
	"access.longest.wait":         {"Longest wait at the gate", "Наибольшее ожидание у входа", "Кіреберісте ең ұзақ күту"},
	"access.minutes":              {"%d min", "%d мин", "%d мин"},
	"access.refused.by":           {"Access refused", "Отказ в доступе", "Кіруден бас тарту"},
	"access.delayed.by":           {"Access delayed", "Задержка доступа", "Кіруді кідірту"},
	"access.longest.delay":        {"Longest delay or exclusion", "Наибольшая задержка или недопуск", "Ең ұзақ кідірту немесе кіргізбеу"},
	"access.reasons":              {"Reasons given", "Названные причины", "Айтылған себептер"},
	"access.team":                 {"Team that entered, against the cap", "Численность вошедшей группы и ограничение", "Кірген топ саны және шегі"},
	"access.cap.of":               {"%s of at most %d", "%s из не более %d", "%s, ең көбі %d"},
	"access.cap.none":             {"no cap known", "ограничение неизвестно", "шегі белгісіз"},
	"access.cap.verify":           {"cap for verification", "ограничение требует проверки", "шегі тексеруді қажет етеді"},
	"access.visits.at.cap":        {"at the cap: %d of %d", "на пределе: %d из %d", "шекте: %d / %d"},
	"access.visits.of":            {"%d of %d visits", "%d из %d посещений", "%d / %d бару"},
	"access.rep.interviews":       {"Ombudsperson's representative present during private interviews", "Представитель Уполномоченного присутствовал при конфиденциальных беседах", "Уәкіл өкілі құпия сұхбаттарда қатысты"},
	"access.rep.interviews.short": {"Representative at interviews (visits)", "Представитель на беседах (посещений)", "Өкіл сұхбатта (бару)"},
	"access.visits":               {"Visits", "Посещений", "Бару"},
	"access.visits.refused":       {"Visits with a refusal", "Посещений с отказом", "Бас тартқан барулар"},
	"access.visits.delayed":       {"Visits with a delay", "Посещений с задержкой", "Кідіртілген барулар"},
	"access.at.cap":               {"Team at the cap", "Группа на пределе", "Топ шекте"},
	"access.region.total":         {"Region", "Регион", "Өңір"},
	"iv.total":                    {"Persons interviewed in private", "Проведено конфиденциальных бесед", "Өткізілген құпия сұхбаттар"},
	"iv.total.short":              {"Interviews", "Бесед", "Сұхбат"},
	"iv.private":                  {"held where staff could not hear", "без слышимости персонала", "қызметкерлер естімейтін жерде"},
	"iv.private.short":            {"In private", "Наедине", "Оңаша"},
	"iv.consent":                  {"with the person's consent", "с согласия собеседника", "сұхбаттасушының келісімімен"},
	"iv.consent.short":            {"Consent", "Согласие", "Келісім"},
	"iv.fear_of_reprisal":         {"person feared reprisals", "собеседник опасался преследования", "сұхбаттасушы қудалаудан қорықты"},
	"iv.fear_of_reprisal.short":   {"Fear of reprisal", "Опасение преследования", "Қудалау қаупі"},
	"iv.follow_up":                {"follow-up needed", "требуется последующая проверка", "кейінгі тексеру қажет"},
	"iv.follow_up.short":          {"Follow-up", "Проверка", "Тексеру"},
	"iv.present":                  {"also present", "также присутствовал(и)", "сондай-ақ қатысты"},
	"iv.complaint":                {"complaint about", "жалоба на", "шағым"},
}

var (
	obstructionTargets = map[string]msg{
		"area":      {"areas", "помещения", "үй-жайлар"},
		"documents": {"documents", "документы", "құжаттар"},
		"person":    {"persons", "лица", "адамдар"},
		"devices":   {"devices", "техника", "құрылғылар"},
	}
	obstructionReasons = map[string]msg{
		"security":         {"security", "безопасность", "қауіпсіздік"},
		"no_authorisation": {"no authorisation", "нет разрешения", "рұқсат жоқ"},
		"staff_absent":     {"responsible staff absent", "нет ответственного сотрудника", "жауапты қызметкер жоқ"},
		"regime":           {"regime or schedule", "режим или распорядок", "режим немесе күн тәртібі"},
		"quarantine":       {"quarantine", "карантин", "карантин"},
		"person_unwilling": {"person said to be unwilling", "лицо якобы не желает", "адам қаламайды делінді"},
		"none_given":       {"no reason given", "причина не названа", "себеп айтылмады"},
		"other":            {"other", "другое", "басқа"},
	}
	interviewPresent = map[string]msg{
		"none":             {"no one else", "никто больше", "басқа ешкім"},
		"staff":            {"staff", "персонал", "қызметкерлер"},
		"ombudsperson_rep": {"Ombudsperson's representative", "представитель Уполномоченного", "уәкіл өкілі"},
		"other_detainees":  {"other detained persons", "другие содержащиеся", "басқа ұсталғандар"},
		"medical":          {"medical staff", "медицинский персонал", "медициналық қызметкерлер"},
		"interpreter":      {"interpreter", "переводчик", "аудармашы"},
		"other":            {"someone else", "другие лица", "басқа адамдар"},
	}
	interviewComplaints = map[string]msg{
		"ill_treatment": {"ill-treatment", "жестокое обращение", "қатыгез қарым-қатынас"},
		"conditions":    {"conditions", "условия содержания", "ұстау жағдайлары"},
		"health":        {"health care", "медицинская помощь", "медициналық көмек"},
		"contact":       {"contact with the outside", "связь с внешним миром", "сыртқы әлеммен байланыс"},
		"legal":         {"legal safeguards", "правовые гарантии", "құқықтық кепілдіктер"},
	}
	repInInterviews = map[string]msg{
		"yes":           {"yes", "да", "иә"},
		"no":            {"no", "нет", "жоқ"},
		"no_interviews": {"no private interviews", "бесед не было", "сұхбат болған жоқ"},
	}
)
