// Every interface string in English, Russian and Kazakh: S[key] = [en, ru, kk].
// The language is chosen from navigator.language on first start and can be
// switched at any time (kept in the store). Checklist labels come from the
// template's own translations through txt().

export const LANGS = ['ru', 'kk', 'en'];
const IDX = { en: 0, ru: 1, kk: 2 };

const S = {
  err_range: ['Enter a value from {min} to {max} {unit}.', 'Введите значение от {min} до {max} {unit}.', '{min}–{max} {unit} аралығындағы мәнді енгізіңіз.'],
  err_not_number: ['Enter a number, such as 11.5.', 'Введите число, например 11,5.', 'Сан енгізіңіз, мысалы 11,5.'],
  err_not_whole: ['Enter a whole number.', 'Введите целое число.', 'Бүтін сан енгізіңіз.'],
  err_too_long: ['At most {n} characters.', 'Не более {n} символов.', 'Ең көбі {n} таңба.'],
  refused_in_field: ['Not accepted by the server; the problem is in: {field}. The server’s note for support shows on pointing at this line.', 'Не принято сервером; проблема в поле: {field}. Пояснение сервера для поддержки видно при наведении на эту строку.', 'Сервер қабылдамады; мәселе мына өрісте: {field}. Сервердің қолдау қызметіне арналған түсініктемесі осы жолды меңзегенде көрінеді.'],
  app_name: ['Inspecta', 'Inspecta', 'Inspecta'],
  settings: ['Sync & settings', 'Синхронизация и настройки', 'Синхрондау және баптаулар'],
  screen_failed: ['This screen could not be shown:', 'Не удалось показать экран:', 'Экранды көрсету мүмкін болмады:'],
  lang_en: ['English', 'English', 'English'],
  lang_ru: ['Русский', 'Русский', 'Русский'],
  lang_kk: ['Қазақша', 'Қазақша', 'Қазақша'],
  language: ['Language', 'Язык', 'Тіл'],
  sign_in: ['Sign in', 'Войти', 'Кіру'],
  sign_in_title: ['Sign in to Inspecta', 'Вход в Inspecta', 'Inspecta-ға кіру'],
  sign_in_intro: ['Sign in once while online. Afterwards the app works on this phone without a connection.',
    'Войдите один раз при наличии связи. После этого приложение работает на телефоне без интернета.',
    'Байланыс бар кезде бір рет кіріңіз. Одан кейін қосымша телефонда интернетсіз жұмыс істейді.'],
  username: ['Username', 'Имя пользователя', 'Пайдаланушы аты'],
  password: ['Password', 'Пароль', 'Құпиясөз'],
  signing_in: ['Signing in…', 'Вход…', 'Кіру…'],
  downloading: ['Downloading facilities and checklist…', 'Загрузка учреждений и контрольного листа…', 'Мекемелер мен бақылау парағы жүктелуде…'],
  signin_offline: ['No connection to the server. Signing in needs a connection once.', 'Нет связи с сервером. Для входа нужна связь (один раз).', 'Сервермен байланыс жоқ. Кіру үшін бір рет байланыс қажет.'],
  bad_credentials: ['Wrong username or password.', 'Неверное имя пользователя или пароль.', 'Пайдаланушы аты немесе құпиясөз қате.'],
  error: ['Error', 'Ошибка', 'Қате'],
  ios_hint: ['On iPhone and iPad: tap Share, then "Add to Home Screen", and open Inspecta from there BEFORE entering data. Otherwise Safari may delete what you record.',
    'На iPhone и iPad: нажмите «Поделиться» → «На экран „Домой“» и открывайте Inspecta оттуда, ПРЕЖДЕ чем вводить данные. Иначе Safari может удалить записанное.',
    'iPhone мен iPad-та: «Бөлісу» → «Басты экранға қосу» тармағын басып, деректерді енгізбес БҰРЫН Inspecta-ны сол жерден ашыңыз. Әйтпесе Safari жазғандарыңызды өшіріп тастауы мүмкін.'],
  offline: ['Offline: saved on this phone', 'Нет связи: сохранено на телефоне', 'Байланыс жоқ: телефонда сақталды'],
  sync_failed: ['Sync failed', 'Ошибка синхронизации', 'Синхрондау қатесі'],
  synced_at: ['Synced {time}', 'Синхронизировано {time}', 'Синхрондалды {time}'],
  never_synced: ['Not synced yet', 'Ещё не синхронизировано', 'Әлі синхрондалмаған'],
  waiting_n: ['{n} waiting to send', 'ждут отправки: {n}', 'жіберуді күтуде: {n}'],
  photos_waiting_n: ['photos waiting: {n}', 'фото ждут отправки: {n}', 'жіберуді күтетін фото: {n}'],
  photos: ['Photos', 'Фотографии', 'Фотосуреттер'],
  photo: ['Photo', 'Фото', 'Фото'],
  photos_of_place: ['Photos of this place', 'Фото этого места', 'Осы орынның фотосуреттері'],
  photo_caption: ['Caption of the next photo (optional; no names)', 'Подпись к следующему фото (необязательно; без имён)', 'Келесі фотоның жазуы (міндетті емес; есімсіз)'],
  photo_take: ['Take a photo', 'Сфотографировать', 'Суретке түсіру'],
  photo_pick: ['From the gallery', 'Из галереи', 'Галереядан'],
  photo_hint: ['The photo is made smaller and its hidden data (place, phone) removed on this phone before it is kept. Avoid faces: photos of people are not published.',
    'Перед сохранением фото уменьшается, а скрытые данные (место съёмки, телефон) удаляются на этом телефоне. Избегайте лиц: фото людей не публикуются.',
    'Сақтамас бұрын фото кішірейтіледі, ал жасырын деректер (түсірілген орны, телефон) осы телефонда өшіріледі. Беттерді түсірмеңіз: адамдардың фотосы жарияланбайды.'],
  photo_failed: ['This file could not be read as a photo.', 'Этот файл не удалось прочитать как фото.', 'Бұл файлды фото ретінде оқу мүмкін болмады.'],
  photo_waiting: ['waiting to send', 'ждёт отправки', 'жіберуді күтуде'],
  photo_sent: ['sent', 'отправлено', 'жіберілді'],
  photo_refused: ['refused', 'отклонено', 'қабылданбады'],
  photo_delete: ['Delete photo', 'Удалить фото', 'Фотоны өшіру'],
  photo_delete_confirm: ['Tap again to delete', 'Нажмите ещё раз, чтобы удалить', 'Өшіру үшін тағы басыңыз'],
  photo_send_again: ['Send again', 'Отправить снова', 'Қайта жіберу'],
  photo_held: ['not accepted yet; kept on this phone and sent again at the next sync', 'пока не принято; хранится на телефоне и будет отправлено снова при следующей синхронизации', 'әзірге қабылданбады; телефонда сақталады және келесі синхрондауда қайта жіберіледі'],
  photo_held_locked: ['The visit is approved. The photo stays on this phone and is sent when the coordinator reopens the visit.', 'Посещение утверждено. Фото остаётся на телефоне и будет отправлено, когда координатор снова откроет посещение.', 'Бару бекітілген. Фото телефонда қалады және үйлестіруші баруды қайта ашқанда жіберіледі.'],
  photo_held_forbidden: ['The server does not accept this photo from you yet (are you on this visit\'s team?). It stays on this phone and is sent again at the next sync.', 'Сервер пока не принимает это фото от вас (вы в группе этого посещения?). Фото остаётся на телефоне и будет отправлено снова при следующей синхронизации.', 'Сервер бұл фотоны сізден әзірге қабылдамайды (сіз осы барудың тобындасыз ба?). Фото телефонда қалады және келесі синхрондауда қайта жіберіледі.'],
  photo_held_full: ['The photos of this visit have reached their limit on the server. The photo stays on this phone; delete photos that are not needed, then send again.', 'Фото этого посещения на сервере достигли предела. Фото остаётся на телефоне; удалите ненужные фото и отправьте снова.', 'Бұл барудың серверде фотолары шегіне жетті. Фото телефонда қалады; қажетсіз фотоларды өшіріп, қайта жіберіңіз.'],
  photo_refused_not_image: ['Refused: the server could not read this file as a photo.', 'Отклонено: сервер не смог прочитать файл как фото.', 'Қабылданбады: сервер бұл файлды фото ретінде оқи алмады.'],
  photo_refused_too_large: ['Refused: the photo is too large.', 'Отклонено: фото слишком большое.', 'Қабылданбады: фото тым үлкен.'],
  photo_refused_deleted: ['This photo was deleted on the server.', 'Это фото удалено на сервере.', 'Бұл фото серверде өшірілген.'],
  photo_refused_parent_deleted: ['Not sent: its visit, place or note was deleted on the server. The photo stays on this phone until you delete it; ask the coordinator if the visit should be restored.', 'Не отправлено: посещение, место или заметка этого фото удалены на сервере. Фото остаётся на телефоне, пока вы его не удалите; спросите координатора, нужно ли восстановить посещение.', 'Жіберілмеді: бұл фотоның баруы, орны немесе жазбасы серверде жойылған. Фото сіз жоймайынша телефонда қалады; баруды қалпына келтіру керек пе, үйлестірушіден сұраңыз.'],
  photo_refused_other: ['Refused by the server; take the photo again.', 'Отклонено сервером; сделайте фото заново.', 'Сервер қабылдамады; фотоны қайта түсіріңіз.'],
  // Sync status and conflicts (sync.js, conflicts.js).
  sending_n_of_m: ['Sending {n} of {m}', 'Отправка: {n} из {m}', 'Жіберілуде: {m} ішінен {n}'],
  rate_kbs: ['{r} KB/s', '{r} КБ/с', '{r} КБ/с'],
  downloading_n: ['Downloading: {n} pages received', 'Загрузка: получено страниц — {n}', 'Жүктелуде: {n} бет алынды'],
  link_too_weak: ['The connection is too weak right now; your data is safe on this phone', 'Связь сейчас слишком слабая; ваши данные сохранены на этом телефоне', 'Байланыс қазір тым әлсіз; деректеріңіз осы телефонда сақтаулы'],
  clock_differs: ['This phone’s clock differs from the server’s by about {min} min: please set the right time (sync still works)', 'Часы телефона расходятся с сервером примерно на {min} мин: установите точное время (синхронизация работает)', 'Телефон сағаты сервер уақытынан шамамен {min} мин өзгеше: дұрыс уақытты орнатыңыз (синхрондау жұмыс істейді)'],
  signed_out_wiped: ['You signed out on this phone; its Inspecta data was deleted.', 'Вы вышли из Inspecta на этом телефоне; данные Inspecta на нём удалены.', 'Сіз бұл телефонда Inspecta-дан шықтыңыз; ондағы Inspecta деректері жойылды.'],
  device_revoked_wiped: ['The administrator signed this phone out; its Inspecta data was deleted.', 'Администратор отключил этот телефон; данные Inspecta на нём удалены.', 'Әкімші бұл телефонды ажыратты; ондағы Inspecta деректері жойылды.'],
  conflicts_title: ['Your values set aside', 'Ваши отложенные значения', 'Сіздің шеттетілген мәндеріңіз'],
  conflict_hint: ['A teammate changed the same field at the same time and their value was kept. Choose which value stays.', 'Коллега изменил то же поле одновременно с вами, и сохранилось его значение. Выберите, какое значение оставить.', 'Әріптесіңіз сол өрісті сізбен бір уақытта өзгертті, оның мәні сақталды. Қай мән қалатынын таңдаңыз.'],
  conflict_keep_mine: ['Keep mine: {v}', 'Оставить моё: {v}', 'Менікін қалдыру: {v}'],
  conflict_keep_current: ['Keep the current: {v}', 'Оставить текущее: {v}', 'Ағымдағыны қалдыру: {v}'],
  conflict_deleted: ['deleted', 'удалено', 'жойылған'],
  conflict_not_deleted: ['not deleted', 'не удалено', 'жойылмаған'],
  rejected_n: ['{n} rejected', 'отклонено: {n}', 'қабылданбады: {n}'],
  sync_now: ['Sync now', 'Синхронизировать', 'Қазір синхрондау'],
  syncing: ['Syncing…', 'Синхронизация…', 'Синхрондалуда…'],
  sync: ['Sync', 'Синхронизация', 'Синхрондау'],
  download_again: ['Download checklist and lists again', 'Заново загрузить контрольный лист и справочники', 'Бақылау парағы мен анықтамалықтарды қайта жүктеу'],
  facilities: ['Facilities', 'Учреждения', 'Мекемелер'],
  facility: ['Facility', 'Учреждение', 'Мекеме'],
  my_visits: ['My visits', 'Мои посещения', 'Менің баруларым'],
  search_name: ['Search by name', 'Поиск по названию', 'Атауы бойынша іздеу'],
  region: ['Region', 'Регион', 'Өңір'],
  type: ['Type', 'Тип', 'Түрі'],
  all_regions: ['All regions', 'Все регионы', 'Барлық өңірлер'],
  all_types: ['All types', 'Все типы', 'Барлық түрлер'],
  no_match: ['No facility matches.', 'Ничего не найдено.', 'Ештеңе табылмады.'],
  no_facilities: ['No facilities on this phone yet. Sync to download them.', 'На телефоне пока нет учреждений. Синхронизируйте, чтобы загрузить.', 'Телефонда әлі мекемелер жоқ. Жүктеу үшін синхрондаңыз.'],
  unverified: ['not yet confirmed', 'не подтверждено', 'расталмаған'],
  add_facility: ['Add a facility', 'Добавить учреждение', 'Мекеме қосу'],
  add_facility_hint: ['A facility you add stays "not yet confirmed" until your coordinator confirms it.', 'Добавленное вами учреждение остаётся неподтверждённым, пока его не подтвердит координатор.', 'Сіз қосқан мекеме үйлестіруші растағанға дейін расталмаған болып қалады.'],
  name: ['Name', 'Название', 'Атауы'],
  authority: ['Authority (ministry)', 'Ведомство', 'Ведомстволық тиесілігі'],
  address: ['Address', 'Адрес', 'Мекенжайы'],
  capacity: ['Official capacity', 'Лимит наполнения', 'Белгіленген сыйымдылығы'],
  name_required: ['Enter the name.', 'Введите название.', 'Атауын енгізіңіз.'],
  capacity_whole: ['Capacity must be a whole number.', 'Лимит должен быть целым числом.', 'Сыйымдылық бүтін сан болуы керек.'],
  save: ['Save', 'Сохранить', 'Сақтау'],
  not_found: ['Not found on this phone.', 'На телефоне не найдено.', 'Телефонда табылмады.'],
  start_visit: ['Start a visit', 'Начать посещение', 'Баруды бастау'],
  edit_visit: ['Visit details', 'Сведения о посещении', 'Бару туралы мәліметтер'],
  visits: ['Visits', 'Посещения', 'Барулар'],
  visit: ['Visit', 'Посещение', 'Бару'],
  recommendations: ['Recommendations', 'Рекомендации', 'Ұсынымдар'],
  no_recommendations: ['No recommendations yet.', 'Рекомендаций пока нет.', 'Әзірге ұсынымдар жоқ.'],
  visit_kind: ['Kind of visit', 'Вид посещения', 'Бару түрі'],
  announced: ['Announced in advance?', 'Посещение объявлено заранее?', 'Бару алдын ала хабарланды ма?'],
  started_at: ['Started at', 'Начало', 'Басталуы'],
  team: ['Team', 'Состав группы', 'Топ құрамы'],
  me: ['me', 'я', 'мен'],
  member: ['Member', 'Участник', 'Қатысушы'],
  team_unavailable: ['The list of colleagues is not on this phone yet; sync while online, then add them under "Visit details".', 'Списка коллег ещё нет на телефоне; синхронизируйте при наличии связи и добавьте их в «Сведениях о посещении».', 'Әріптестер тізімі телефонда әлі жоқ; байланыс болғанда синхрондап, оларды «Бару туралы мәліметтер» бөлімінде қосыңыз.'],
  ombuds_rep: ['Accompanied by a representative of the Ombudsperson?', 'Сопровождал ли группу представитель Уполномоченного по правам человека?', 'Топпен бірге Адам құқықтары жөніндегі уәкілдің өкілі болды ма?'],
  access_refused: ['Access to any area refused or delayed?', 'Был ли отказ или задержка доступа в какие-либо помещения?', 'Қандай да бір үй-жайға кіруге рұқсат берілмеді немесе кідіртілді ме?'],
  check_recommendations: ['Check earlier recommendations', 'Проверка прежних рекомендаций', 'Бұрынғы ұсынымдарды тексеру'],
  check_recommendations_hint: ['Mark what you find on this visit; leave "not checked" otherwise.', 'Отметьте, что вы установили при этом посещении; иначе оставьте «не проверено».', 'Осы баруда анықтағаныңызды белгілеңіз; әйтпесе «тексерілмеді» күйінде қалдырыңыз.'],
  no_open_recommendations: ['No open recommendations for this facility.', 'Открытых рекомендаций по учреждению нет.', 'Мекеме бойынша ашық ұсынымдар жоқ.'],
  rec_status: ['Status', 'Статус', 'Мәртебе'],
  rec_status_coordinator: ['The region\'s coordinator records the status of recommendations; tell them what you found.', 'Статус рекомендаций отмечает координатор региона; сообщите ему, что вы установили.', 'Ұсыныстардың мәртебесін өңір үйлестірушісі белгілейді; анықтағаныңызды оған хабарлаңыз.'],
  status_now: ['Status found', 'Установленный статус', 'Анықталған мәртебе'],
  not_checked: ['not checked', 'не проверено', 'тексерілмеді'],
  yes: ['Yes', 'Да', 'Иә'],
  no: ['No', 'Нет', 'Жоқ'],
  locations: ['Places inspected', 'Осмотренные помещения', 'Қаралған үй-жайлар'],
  no_locations: ['No places yet: add the first one below.', 'Помещений пока нет: добавьте первое ниже.', 'Әзірге үй-жай жоқ: алғашқысын төменде қосыңыз.'],
  add_location: ['Add a place', 'Добавить помещение', 'Үй-жай қосу'],
  loc_kind: ['Kind', 'Вид', 'Түрі'],
  loc_label: ['Label', 'Обозначение', 'Белгісі'],
  loc_label_example: ['e.g. No. 12, 2nd floor', 'напр. № 12, 2-й этаж', 'мыс. № 12, 2-қабат'],
  label_required: ['Enter a label, such as "No. 12".', 'Введите обозначение, например «№ 12».', 'Белгісін енгізіңіз, мысалы «№ 12».'],
  add: ['Add', 'Добавить', 'Қосу'],
  answered_n: ['{n} answered', 'ответов: {n}', 'жауап берілді: {n}'],
  visit_checklist_pick: ['Checklist for this visit', 'Контрольный лист для этого посещения', 'Осы баруға арналған бақылау парағы'],
  visit_checklist: ['Visit checklist', 'Вопросы по посещению', 'Бару бойынша сұрақтар'],
  confidential_notes: ['Confidential notes', 'Конфиденциальные заметки', 'Құпия жазбалар'],
  submit_visit: ['Submit visit', 'Передать посещение', 'Баруды тапсыру'],
  submit_confirm: ['Submit this visit to the coordinator? You can still correct it until it is approved.', 'Передать посещение координатору? Исправлять можно до утверждения.', 'Баруды үйлестірушіге тапсырасыз ба? Бекітілгенге дейін түзетуге болады.'],
  visit_submitted_note: ['Submitted. Corrections are still possible until the coordinator approves the visit.', 'Передано. Исправления возможны до утверждения координатором.', 'Тапсырылды. Үйлестіруші бекіткенге дейін түзетуге болады.'],
  cancel: ['Cancel', 'Отмена', 'Бас тарту'],
  // Access and obstruction, interviews (issue 13).
  arrived_at: ['Arrived at the gate', 'Прибытие к учреждению', 'Мекемеге келу'],
  admitted_at: ['Let in', 'Допуск в учреждение', 'Мекемеге кіргізу'],
  team_size: ['NPM members who entered', 'Сколько участников НПМ вошли', 'Кірген ҰАТ қатысушылары'],
  team_size_hint: ['The cap for this kind of visit is {cap} (to be verified against the law).', 'Ограничение для этого вида посещения: {cap} (требует проверки по закону).', 'Бару түрі үшін шек: {cap} (заң бойынша тексеруді қажет етеді).'],
  team_size_invalid: ['Team size: a whole number from 1 to 50.', 'Численность: целое число от 1 до 50.', 'Топ саны: 1-ден 50-ге дейінгі бүтін сан.'],
  checklist_type_pending: ['The checklist for this type of facility has not reached this phone yet: the visit starts on the general checklist. Sync while online to get it first.', 'Контрольный лист для этого типа учреждения ещё не загружен на телефон: визит начнётся по общему листу. Чтобы получить его, синхронизируйте телефон при подключении.', 'Мекеменің осы түріне арналған бақылау парағы телефонға әлі жүктелмеген: бару жалпы парақ бойынша басталады. Оны алу үшін желіге қосылғанда синхрондаңыз.'],
  admitted_before_arrived: ['The time let in is before the time of arrival at the gate.', 'Время допуска раньше времени прибытия к воротам.', 'Кіргізілген уақыт қақпаға келген уақыттан бұрын.'],
  team_at_cap: ['The team is at the cap for this kind of visit.', 'Группа на пределе численности для этого вида посещения.', 'Топ осы бару түрі үшін шекке жетті.'],
  rep_in_interviews: ['Did the Ombudsperson\'s representative stay during the private interviews?', 'Присутствовал ли представитель Уполномоченного при конфиденциальных беседах?', 'Уәкіл өкілі құпия сұхбаттарда қатысты ма?'],
  rep_no_interviews: ['No private interviews', 'Бесед не было', 'Сұхбат болған жоқ'],
  access_title: ['Access and obstruction', 'Доступ и воспрепятствование', 'Кіру және кедергі'],
  access_button: ['Access, obstruction', 'Доступ, воспрепятствование', 'Кіру, кедергі'],
  wait_at_gate: ['Wait at the gate', 'Ожидание у входа', 'Кіреберісте күту'],
  access_times_hint: ['Arrival and admission times are in the visit details.', 'Время прибытия и допуска — в сведениях о посещении.', 'Келу және кіргізу уақыты — бару туралы мәліметтерде.'],
  minutes_n: ['{n} min', '{n} мин', '{n} мин'],
  minutes_invalid: ['Minutes: a whole number from 0 to 10080.', 'Минуты: целое число от 0 до 10080.', 'Минут: 0-ден 10080-ге дейінгі бүтін сан.'],
  obstructions: ['Refusals and delays', 'Отказы и задержки', 'Бас тартулар мен кідіртулер'],
  no_obstructions: ['None recorded: access was full and immediate.', 'Не записано: доступ был полным и немедленным.', 'Жазылмаған: кіру толық әрі бірден болды.'],
  new_obstruction: ['Record a refusal or delay', 'Записать отказ или задержку', 'Бас тартуды немесе кідіртуді жазу'],
  ob_kind: ['What happened', 'Что произошло', 'Не болды'],
  ob_refused: ['Refused', 'Отказ', 'Бас тартылды'],
  ob_delayed: ['Delayed', 'Задержка', 'Кідіртілді'],
  ob_target: ['Access to', 'Доступ к', 'Кіру нысаны'],
  obt_area: ['an area', 'помещению', 'үй-жай'],
  obt_documents: ['documents', 'документам', 'құжаттар'],
  obt_person: ['a person', 'лицу', 'адам'],
  obt_devices: ['the team\'s devices', 'технике группы', 'топтың құрылғылары'],
  ob_minutes: ['For how long (minutes)', 'На какое время (минуты)', 'Қанша уақытқа (минут)'],
  ob_reason: ['Reason given', 'Названная причина', 'Айтылған себеп'],
  obr_security: ['security', 'безопасность', 'қауіпсіздік'],
  obr_no_authorisation: ['no authorisation', 'нет разрешения', 'рұқсат жоқ'],
  obr_staff_absent: ['responsible staff absent', 'нет ответственного сотрудника', 'жауапты қызметкер жоқ'],
  obr_regime: ['regime or schedule', 'режим или распорядок', 'режим немесе күн тәртібі'],
  obr_quarantine: ['quarantine', 'карантин', 'карантин'],
  obr_person_unwilling: ['person said to be unwilling', 'лицо якобы не желает', 'адам қаламайды делінді'],
  obr_none_given: ['no reason given', 'причина не названа', 'себеп айтылмады'],
  obr_other: ['other', 'другое', 'басқа'],
  ob_note: ['Details (never printed in reports)', 'Подробности (в отчёты не попадают)', 'Толығырақ (есепке енбейді)'],
  ob_note_hint: ['Area, staff by position only; no detainees\' names.', 'Помещение, сотрудники только по должности; без имён содержащихся.', 'Үй-жай, қызметкерлер тек лауазымымен; ұсталғандардың аты-жөнінсіз.'],
  interviews: ['Interviews', 'Беседы', 'Сұхбаттар'],
  interviews_explainer: ['One entry per private interview, with no name and nothing that identifies the person. Only you and the regional coordinator see the entries; reports print counts only.', 'Одна запись на каждую конфиденциальную беседу, без имени и без того, что позволяет узнать человека. Записи видите только вы и региональный координатор; в отчёты попадают только числа.', 'Әр құпия сұхбатқа бір жазба, аты-жөнсіз және адамды анықтайтын ештеңесіз. Жазбаларды тек сіз және өңірлік үйлестіруші көресіз; есепке тек сандар енеді.'],
  earlier_follow_ups: ['Follow-ups from earlier visits', 'Проверки по прежним посещениям', 'Бұрынғы барулар бойынша тексерулер'],
  earlier_follow_ups_hint: ['Interviews at earlier visits that asked for a follow-up: check for reprisals. No one is named.', 'Беседы прежних посещений, требующие последующей проверки: проверьте, не было ли преследования. Никто не назван.', 'Бұрынғы барулардағы кейінгі тексеруді қажет ететін сұхбаттар: қудалау болмағанын тексеріңіз. Ешкім аталмайды.'],
  no_follow_ups: ['No follow-up from earlier visits on this phone.', 'На телефоне нет проверок по прежним посещениям.', 'Телефонда бұрынғы барулар бойынша тексеру жоқ.'],
  interviews_this_visit: ['Interviews at this visit', 'Беседы этого посещения', 'Осы барудағы сұхбаттар'],
  no_interviews: ['No interview recorded yet.', 'Бесед пока не записано.', 'Сұхбат әлі жазылмаған.'],
  interview_n: ['Interview {n}', 'Беседа {n}', '{n}-сұхбат'],
  new_interview: ['Record an interview', 'Записать беседу', 'Сұхбатты жазу'],
  interview_no_names: ['Do not write a name, a cell number or anything else that identifies the person.', 'Не пишите имя, номер камеры и ничего, что позволяет узнать человека.', 'Аты-жөнді, камера нөмірін және адамды анықтайтын басқа ештеңені жазбаңыз.'],
  iv_private_q: ['Held where staff could not hear?', 'Беседа проходила без слышимости персонала?', 'Сұхбат қызметкерлер естімейтін жерде өтті ме?'],
  iv_present_q: ['Who else was present', 'Кто ещё присутствовал', 'Тағы кім қатысты'],
  ivp_none: ['no one else', 'никто больше', 'басқа ешкім'],
  ivp_staff: ['staff', 'персонал', 'қызметкерлер'],
  ivp_ombudsperson_rep: ['Ombudsperson\'s representative', 'представитель Уполномоченного', 'уәкіл өкілі'],
  ivp_other_detainees: ['other detained persons', 'другие содержащиеся', 'басқа ұсталғандар'],
  ivp_medical: ['medical staff', 'медицинский персонал', 'медициналық қызметкерлер'],
  ivp_interpreter: ['interpreter', 'переводчик', 'аудармашы'],
  ivp_other: ['someone else', 'другие лица', 'басқа адамдар'],
  iv_consent_q: ['Did the person consent to the interview and to its use?', 'Дал ли собеседник согласие на беседу и её использование?', 'Сұхбаттасушы сұхбатқа және оны пайдалануға келісті ме?'],
  iv_fear_q: ['Did the person fear reprisals?', 'Опасался ли собеседник преследования?', 'Сұхбаттасушы қудалаудан қорықты ма?'],
  iv_complaints_q: ['Complaints about', 'Жалобы на', 'Шағымдар'],
  ivc_ill_treatment: ['ill-treatment', 'жестокое обращение', 'қатыгез қарым-қатынас'],
  ivc_conditions: ['conditions', 'условия содержания', 'ұстау жағдайлары'],
  ivc_health: ['health care', 'медицинская помощь', 'медициналық көмек'],
  ivc_contact: ['contact with the outside', 'связь с внешним миром', 'сыртқы әлеммен байланыс'],
  ivc_legal: ['legal safeguards', 'правовые гарантии', 'құқықтық кепілдіктер'],
  iv_follow_q: ['Follow-up needed at the next visit?', 'Нужна проверка при следующем посещении?', 'Келесі баруда тексеру қажет пе?'],
  iv_private: ['in private', 'наедине', 'оңаша'],
  iv_not_private: ['not in private', 'не наедине', 'оңаша емес'],
  iv_consent: ['consented', 'согласие дано', 'келісім берілді'],
  iv_no_consent: ['no consent', 'без согласия', 'келісімсіз'],
  iv_fear: ['fears reprisals', 'опасается преследования', 'қудалаудан қорқады'],
  iv_follow_up: ['follow-up', 'нужна проверка', 'тексеру қажет'],
  iv_no_complaint: ['no complaint category', 'без категории жалобы', 'шағым санатысыз'],
  rt_obstruction: ['Refusal or delay of access', 'Отказ или задержка доступа', 'Кіруден бас тарту немесе кідірту'],
  rt_interview: ['Interview', 'Беседа', 'Сұхбат'],
  back_to_visit: ['Visit', 'К посещению', 'Баруға'],
  section: ['Section', 'Раздел', 'Бөлім'],
  prev_section: ['Back', 'Назад', 'Артқа'],
  next_section: ['Next section', 'Следующий раздел', 'Келесі бөлім'],
  done: ['Done', 'Готово', 'Дайын'],
  no_checklist: ['The checklist is not on this phone yet. Sync while online.', 'Контрольного листа ещё нет на телефоне. Синхронизируйте при наличии связи.', 'Бақылау парағы телефонда әлі жоқ. Байланыс болғанда синхрондаңыз.'],
  range_hint: ['{min} to {max} {unit}', 'от {min} до {max} {unit}', '{min}–{max} {unit}'],
  not_saved: ['NOT saved on this phone ({reason}). Enter the answer again; if this repeats, sync and restart the app.', 'НЕ сохранено на телефоне ({reason}). Введите ответ ещё раз; если повторится, синхронизируйте и перезапустите приложение.', 'Телефонда САҚТАЛМАДЫ ({reason}). Жауапты қайта енгізіңіз; қайталанса, синхрондап, қолданбаны қайта іске қосыңыз.'],
  not_saved_full: ['NOT saved: the phone\'s storage is full. Free some space (old photos, videos, other apps), then enter the answer again. What was saved before is safe.', 'НЕ сохранено: память телефона заполнена. Освободите место (старые фото, видео, другие приложения) и введите ответ ещё раз. Сохранённое ранее не пострадало.', 'САҚТАЛМАДЫ: телефон жады толы. Орын босатыңыз (ескі фото, бейне, басқа қолданбалар), содан кейін жауапты қайта енгізіңіз. Бұрын сақталғандар сақталған.'],
  now: ['Now', 'Сейчас', 'Қазір'],
  personal_hint: ['This answer may identify a person: it is never exported.', 'Ответ может указывать на человека: он не попадает в выгрузки.', 'Жауап адамды анықтауы мүмкін: ол ешқашан экспортталмайды.'],
  help_and_note: ['How to measure · note', 'Как измерять · примечание', 'Қалай өлшеу керек · ескертпе'],
  note: ['Note', 'Примечание', 'Ескертпе'],
  others_values: ["Colleagues' values", 'Значения коллег', 'Әріптестердің мәндері'],
  no_value: ['no value', 'нет значения', 'мән жоқ'],
  standard: ['Standard', 'Стандарт', 'Стандарт'],
  source: ['Source', 'Источник', 'Дереккөз'],
  band_red: ['does not meet the standard', 'не соответствует стандарту', 'стандартқа сай емес'],
  band_amber: ['partly meets the standard', 'стандарт выполнен частично', 'стандарт ішінара орындалған'],
  band_green: ['meets standard', 'соответствует стандарту', 'стандартқа сай'],
  band_context: ['for context only', 'справочно', 'анықтама үшін'],
  band_context_long: ['The threshold is not yet confirmed from a primary source: shown for context, not judged.', 'Порог ещё не подтверждён первоисточником: значение приводится справочно, без оценки.', 'Шекті мән бастапқы дереккөз бойынша әлі расталмаған: мән анықтама үшін, бағасыз көрсетілген.'],
  new_recommendation: ['New recommendation', 'Новая рекомендация', 'Жаңа ұсыным'],
  rec_text: ['Recommendation', 'Текст рекомендации', 'Ұсыным мәтіні'],
  rec_category: ['Category', 'Категория', 'Санаты'],
  rec_addressee: ['Addressed to', 'Адресат', 'Кімге жолданған'],
  text_required: ['Enter the text.', 'Введите текст.', 'Мәтінді енгізіңіз.'],
  confidential: ['CONFIDENTIAL', 'КОНФИДЕНЦИАЛЬНО', 'ҚҰПИЯ'],
  confidential_explainer: ['Confidential: seen only by you and your regional coordinator, never exported or published. Do not write names unless needed for protection.',
    'Конфиденциально: заметку видите только вы и региональный координатор; она никогда не выгружается и не публикуется. Не указывайте имена, если это не нужно для защиты человека.',
    'Құпия: жазбаны тек сіз және өңірлік үйлестіруші көреді; ол ешқашан экспортталмайды және жарияланбайды. Адамды қорғау үшін қажет болмаса, есімдерді жазбаңыз.'],
  new_confidential_note: ['New confidential note', 'Новая конфиденциальная заметка', 'Жаңа құпия жазба'],
  confidential_text: ['Note (interview, allegation)', 'Заметка (беседа, заявление)', 'Жазба (әңгіме, мәлімдеме)'],
  where: ['Where', 'Где', 'Қайда'],
  whole_visit: ['Whole visit', 'Посещение в целом', 'Жалпы бару бойынша'],
  consent_label: ['The person gave express consent to publish (without their name)', 'Человек дал явно выраженное согласие на публикацию (без указания имени)', 'Адам жариялауға айқын келісім берді (есімі көрсетілмей)'],
  consent_given: ['consent to publish', 'есть согласие на публикацию', 'жариялауға келісім бар'],
  no_consent: ['no consent to publish', 'без согласия на публикацию', 'жариялауға келісім жоқ'],
  signed_in_as: ['Signed in as {name} ({region})', 'Вы вошли как {name} ({region})', 'Сіз {name} ретінде кірдіңіз ({region})'],
  rejected_title: ['Changes the server refused', 'Изменения, отклонённые сервером', 'Сервер қабылдамаған өзгерістер'],
  no_rejected: ['None.', 'Нет.', 'Жоқ.'],
  dismiss: ['Dismiss', 'Скрыть', 'Жасыру'],
  storage: ['Storage on this phone', 'Хранение на телефоне', 'Телефондағы сақтау'],
  persist_granted: ['Persistent storage granted: the browser will not clear the data by itself.', 'Постоянное хранилище разрешено: браузер не удалит данные сам.', 'Тұрақты сақтауға рұқсат берілді: браузер деректерді өздігінен өшірмейді.'],
  persist_denied: ['Persistent storage NOT granted: the browser may clear data when space runs low. Sync often.', 'Постоянное хранилище НЕ разрешено: при нехватке места браузер может удалить данные. Синхронизируйте чаще.', 'Тұрақты сақтауға рұқсат БЕРІЛМЕДІ: орын жетпесе, браузер деректерді өшіруі мүмкін. Жиі синхрондаңыз.'],
  persist_unsupported: ['This browser cannot promise to keep the data. Sync often.', 'Браузер не гарантирует сохранность данных. Синхронизируйте чаще.', 'Браузер деректердің сақталуына кепілдік бермейді. Жиі синхрондаңыз.'],
  persist_unknown: ['Persistent storage not requested yet.', 'Постоянное хранилище ещё не запрошено.', 'Тұрақты сақтау әлі сұралмаған.'],
  persist_ask: ['Ask to keep data', 'Запросить постоянное хранение', 'Тұрақты сақтауды сұрау'],
  sign_out: ['Sign out', 'Выйти', 'Шығу'],
  signout_hint: ['Signing out deletes this phone’s copy of the data.', 'Выход удаляет копию данных на этом телефоне.', 'Шығу осы телефондағы деректер көшірмесін өшіреді.'],
  signout_warning: ['{n} changes have NOT reached the server. Signing out now DELETES them from this phone for good. Sync first if you can.',
    'Изменений, НЕ дошедших до сервера: {n}. Выход сейчас УДАЛИТ их с телефона навсегда. По возможности сначала синхронизируйте.',
    '{n} өзгеріс серверге ЖЕТПЕДІ. Қазір шықсаңыз, олар телефоннан біржола ӨШІРІЛЕДІ. Мүмкін болса, алдымен синхрондаңыз.'],
  signout_delete: ['Delete unsent changes and sign out', 'Удалить неотправленное и выйти', 'Жіберілмегендерді өшіріп, шығу'],
  // The app lock (lock.js).
  app_lock: ['App lock', 'Блокировка приложения', 'Қосымшаны құлыптау'],
  lock_title: ['Inspecta is locked', 'Inspecta заблокирована', 'Inspecta құлыпталған'],
  lock_intro: ['Enter your PIN to open the data on this phone.', 'Введите PIN-код, чтобы открыть данные на этом телефоне.', 'Осы телефондағы деректерді ашу үшін PIN-кодты енгізіңіз.'],
  pin: ['PIN', 'PIN-код', 'PIN-код'],
  lock_unlock: ['Unlock', 'Разблокировать', 'Құлыпты ашу'],
  unlocking: ['Checking the PIN…', 'Проверка PIN-кода…', 'PIN-код тексерілуде…'],
  lock_wrong: ['Wrong PIN. Attempts left before Inspecta’s data on this phone is erased: {n}.',
    'Неверный PIN-код. Осталось попыток до удаления данных Inspecta на этом телефоне: {n}.',
    'PIN-код қате. Осы телефондағы Inspecta деректері өшірілгенге дейін қалған әрекет саны: {n}.'],
  lock_wiped: ['Too many wrong PINs: Inspecta’s data on this phone has been erased. Sign in again: what was synced comes back from the server.',
    'Слишком много неверных PIN-кодов: данные Inspecta на этом телефоне удалены. Войдите снова: синхронизированные данные вернутся с сервера.',
    'Қате PIN-код тым көп рет енгізілді: осы телефондағы Inspecta деректері өшірілді. Қайта кіріңіз: синхрондалған деректер серверден қайтады.'],
  lock_forgot: ['Forgot the PIN?', 'Забыли PIN-код?', 'PIN-кодты ұмыттыңыз ба?'],
  lock_forgot_text: ['Without the PIN nobody can open the data on this phone, not even an administrator. You can erase it and sign in again: everything already synced comes back from the server; the changes not yet sent ({n}) are lost.',
    'Без PIN-кода данные на этом телефоне не может открыть никто, даже администратор. Можно удалить их и войти снова: всё синхронизированное вернётся с сервера; ещё не отправленные изменения ({n}) будут потеряны.',
    'PIN-кодсыз осы телефондағы деректерді ешкім, тіпті әкімші де аша алмайды. Оларды өшіріп, қайта кіруге болады: синхрондалғанның бәрі серверден қайтады; әлі жіберілмеген өзгерістер ({n}) жоғалады.'],
  lock_erase: ['Erase Inspecta’s data on this phone', 'Удалить данные Inspecta на этом телефоне', 'Осы телефондағы Inspecta деректерін өшіру'],
  sign_in_again_needed: ['Sign in again to sync; nothing on this phone is lost', 'Войдите снова, чтобы синхронизировать; ничего на телефоне не потеряно', 'Синхрондау үшін қайта кіріңіз; телефондағы ештеңе жоғалмайды'],
  sign_in_again_hint: ['Your access has changed. Sign in again: what this phone holds and has not sent yet is kept.',
    'Ваш доступ изменился. Войдите снова: всё, что есть на телефоне и ещё не отправлено, сохранится.',
    'Қолжетімділігіңіз өзгерді. Қайта кіріңіз: телефондағы және әлі жіберілмеген деректер сақталады.'],
  signin_other_user: ['This phone holds another user\'s unsent data: only that user may sign in here.', 'На телефоне есть неотправленные данные другого пользователя: войти может только он.', 'Телефонда басқа пайдаланушының жіберілмеген деректері бар: тек сол ғана кіре алады.'],
  sign_in_again: ['Sign in again', 'Войти снова', 'Қайта кіру'],
  lock_off_hint: ['No PIN is set: anyone holding this phone can read the notes on it. Set a PIN to encrypt them.',
    'PIN-код не задан: любой, у кого в руках этот телефон, может прочитать записи. Задайте PIN-код, чтобы зашифровать их.',
    'PIN-код орнатылмаған: телефонды қолына алған кез келген адам жазбаларды оқи алады. Оларды шифрлау үшін PIN-код орнатыңыз.'],
  lock_on_hint: ['The data on this phone is encrypted with your PIN. The app locks after 5 minutes without use, and when it has been in the background that long.',
    'Данные на этом телефоне зашифрованы вашим PIN-кодом. Приложение блокируется после 5 минут бездействия, а также если столько же пробыло в фоне.',
    'Осы телефондағы деректер сіздің PIN-кодыңызбен шифрланған. Қосымша 5 минут қолданылмаса немесе сонша уақыт фонда тұрса, құлыпталады.'],
  pin_set: ['Set a PIN', 'Задать PIN-код', 'PIN-код орнату'],
  lock_nudge: ['Anyone holding this phone can read the notes on it.', 'Любой, у кого в руках этот телефон, может прочитать записи.', 'Телефонды қолына алған кез келген адам жазбаларды оқи алады.'],
  pin_change: ['Change the PIN', 'Сменить PIN-код', 'PIN-кодты өзгерту'],
  lock_now: ['Lock now', 'Заблокировать сейчас', 'Қазір құлыптау'],
  pin_current: ['Current PIN', 'Текущий PIN-код', 'Қазіргі PIN-код'],
  pin_new: ['New PIN (at least 6 digits)', 'Новый PIN-код (не менее 6 цифр)', 'Жаңа PIN-код (кемінде 6 цифр)'],
  pin_repeat: ['Repeat the new PIN', 'Повторите новый PIN-код', 'Жаңа PIN-кодты қайталаңыз'],
  pin_invalid: ['The PIN must be 6 to 32 digits.', 'PIN-код должен состоять из 6–32 цифр.', 'PIN-код 6–32 цифрдан тұруы керек.'],
  pin_mismatch: ['The two PINs differ.', 'PIN-коды не совпадают.', 'PIN-кодтар сәйкес келмейді.'],
  pin_wrong_current: ['The current PIN is wrong.', 'Текущий PIN-код неверен.', 'Қазіргі PIN-код қате.'],
  pin_forget_warning: ['Remember this PIN. If you forget it, nobody can recover the data on this phone: you will have to erase it and sign in again. What has been synced comes back from the server; what has not been synced yet ({n} changes now) is lost.',
    'Запомните этот PIN-код. Если вы его забудете, данные на этом телефоне не сможет восстановить никто: их придётся удалить и войти снова. Синхронизированное вернётся с сервера; ещё не синхронизированное (сейчас изменений: {n}) будет потеряно.',
    'Бұл PIN-кодты есте сақтаңыз. Егер оны ұмытсаңыз, осы телефондағы деректерді ешкім қалпына келтіре алмайды: оларды өшіріп, қайта кіруге тура келеді. Синхрондалғаны серверден қайтады; әлі синхрондалмағаны (қазір өзгерістер саны: {n}) жоғалады.'],
  pin_saving: ['Encrypting the data on this phone…', 'Шифрование данных на телефоне…', 'Телефондағы деректер шифрлануда…'],
  rt_facility: ['Facility', 'Учреждение', 'Мекеме'],
  rt_visit: ['Visit', 'Посещение', 'Бару'],
  rt_location: ['Place', 'Помещение', 'Үй-жай'],
  rt_observation: ['Answer', 'Ответ', 'Жауап'],
  rt_consolidation: ['Consolidated value', 'Сводное значение', 'Жиынтық мән'],
  rt_recommendation: ['Recommendation', 'Рекомендация', 'Ұсыным'],
  rt_confidential_note: ['Confidential note', 'Конфиденциальная заметка', 'Құпия жазба'],
  vk_regular: ['Regular', 'Плановое', 'Жоспарлы'],
  vk_special: ['Special', 'Специальное', 'Арнайы'],
  vk_follow_up: ['Follow-up', 'Повторное (контрольное)', 'Қайталама (бақылау)'],
  vs_draft: ['draft', 'черновик', 'жоба'],
  vs_submitted: ['submitted', 'передано', 'тапсырылды'],
  vs_approved: ['approved', 'утверждено', 'бекітілді'],
  rs_open: ['open', 'открыта', 'ашық'],
  rs_in_progress: ['in progress', 'выполняется', 'орындалуда'],
  rs_implemented: ['implemented', 'выполнена', 'орындалды'],
  rs_not_implemented: ['not implemented', 'не выполнена', 'орындалмады'],
  rs_superseded: ['superseded', 'утратила актуальность', 'өзектілігін жоғалтты'],
  lk_cell: ['Cell', 'Камера', 'Камера'],
  lk_ward: ['Ward', 'Палата', 'Палата'],
  lk_dormitory: ['Dormitory', 'Общежитие (спальное помещение)', 'Жатақхана (ұйықтайтын бөлме)'],
  lk_yard: ['Exercise yard', 'Прогулочный двор', 'Серуендеу ауласы'],
  lk_sanitary: ['Sanitary block', 'Санитарный блок', 'Санитариялық блок'],
  lk_medical: ['Medical unit', 'Медчасть', 'Медициналық бөлім'],
  lk_kitchen: ['Kitchen', 'Пищеблок', 'Тамақ блогы'],
  lk_visiting_room: ['Visiting room', 'Комната свиданий', 'Кездесу бөлмесі'],
  lk_other: ['Other', 'Другое', 'Басқа'],
  lk_shared_cell: ['Shared cell', 'Многоместная камера', 'Көп орындық камера'],
  lk_single_cell: ['Single cell', 'Одиночная камера', 'Бір орындық камера'],
  lk_disciplinary_cell: ['Disciplinary or isolation cell (ShIZO, PKT)', 'Дисциплинарная или изоляционная камера (ШИЗО, ПКТ)', 'Тәртіптік немесе оқшаулау камерасы (ШИЗО, ПКТ)'],
  lk_police_cell: ['Police cell (IVS, special reception centre)', 'Камера (ИВС, спецприёмник)', 'Камера (УҰИ, арнайы қабылдау орны)'],
  lk_interview_room: ['Interview room', 'Комната для допросов', 'Жауап алу бөлмесі'],
  lk_room: ['Shared room', 'Многоместная комната', 'Көп орындық бөлме'],
  lk_single_room: ['Single room', 'Одноместная комната', 'Бір орындық бөлме'],
  lk_isolation_room: ['Isolation room', 'Изолятор (комната для изоляции)', 'Оқшаулау бөлмесі'],
  ft_ivs: ['Temporary detention isolator (IVS)', 'Изолятор временного содержания (ИВС)', 'Уақытша ұстау изоляторы (УҰИ)'],
  ft_sizo: ['Pre-trial detention (SIZO)', 'Следственный изолятор (СИЗО)', 'Тергеу изоляторы (ТИ)'],
  ft_colony: ['Penal colony', 'Исправительное учреждение (колония)', 'Түзеу мекемесі (колония)'],
  ft_special_reception: ['Special reception centre', 'Специальный приёмник', 'Арнаулы қабылдау орны'],
  ft_reception_distribution: ['Reception-distribution centre', 'Приёмник-распределитель', 'Қабылдау-тарату орны'],
  ft_juvenile_centre: ['Juvenile adaptation centre', 'Центр адаптации несовершеннолетних', 'Кәмелетке толмағандарды бейімдеу орталығы'],
  ft_psychiatric: ['Psychiatric hospital', 'Психиатрическая больница', 'Психиатриялық аурухана'],
  ft_social_care: ['Social-care home', 'Медико-социальное учреждение (дом-интернат)', 'Медициналық-әлеуметтік мекеме (интернат үйі)'],
  ft_children_institution: ["Children's institution", 'Детское учреждение', 'Балалар мекемесі'],
  ft_military_guardhouse: ['Military guardhouse', 'Гауптвахта', 'Гауптвахта'],
  ft_other: ['Other', 'Другое', 'Басқа'],
  // The field app in a monitor's hands (issue 16).
  signin_locked: ['Too many failed sign-ins: this name is locked for 15 minutes. An administrator can lift the lock sooner.', 'Слишком много неудачных попыток входа: имя заблокировано на 15 минут. Администратор может снять блокировку раньше.', 'Кіру әрекеттері тым көп сәтсіз болды: бұл атау 15 минутқа бұғатталды. Әкімші бұғатты ертерек алып тастай алады.'],
  signin_failed: ['Signing in did not work. Try again in a moment.', 'Войти не удалось. Попробуйте ещё раз чуть позже.', 'Кіру сәтсіз аяқталды. Сәлден соң қайталап көріңіз.'],
  refused_invalid: ['The server did not accept this value.', 'Сервер не принял это значение.', 'Сервер бұл мәнді қабылдамады.'],
  refused_forbidden: ['You may not change this record: it belongs to another region or another member, or you are not on the visit’s team.', 'Вы не можете изменить эту запись: она относится к другому региону или другому участнику, либо вы не входите в группу посещения.', 'Бұл жазбаны өзгерте алмайсыз: ол басқа өңірге не басқа қатысушыға тиесілі немесе сіз бару тобында жоқсыз.'],
  refused_locked: ['The visit was approved before your change arrived. Ask the coordinator to reopen it, then enter the change again.', 'Посещение утвердили раньше, чем пришло ваше изменение. Попросите координатора открыть его заново и внесите изменение ещё раз.', 'Сіздің өзгерісіңіз жеткенше бару бекітілді. Үйлестірушіден оны қайта ашуды сұрап, өзгерісті қайта енгізіңіз.'],
  refused_bad_base: ['This phone’s copy does not come from this server. Sync, then enter the change again.', 'Копия данных на телефоне не с этого сервера. Синхронизируйте и внесите изменение ещё раз.', 'Телефондағы деректер көшірмесі бұл серверден емес. Синхрондап, өзгерісті қайта енгізіңіз.'],
  refused_op_id_taken: ['The change could not be told apart from another one. Enter it again.', 'Изменение не удалось отличить от другого. Внесите его ещё раз.', 'Өзгерісті басқасынан ажырату мүмкін болмады. Оны қайта енгізіңіз.'],
  refused_other: ['The server refused this change.', 'Сервер отклонил это изменение.', 'Сервер бұл өзгерісті қабылдамады.'],
  refused_value: ['You entered: {value}', 'Вы ввели: {value}', 'Сіз енгіздіңіз: {value}'],
  refused_rolled_back: ['The phone shows the server’s value again.', 'На телефоне снова значение с сервера.', 'Телефонда қайтадан сервердегі мән көрсетіледі.'],
  approved_banner: ['Approved by {name}. The visit is locked: nothing can be changed on the phone.', 'Утверждено: {name}. Посещение закрыто: на телефоне ничего изменить нельзя.', 'Бекіткен: {name}. Бару жабық: телефонда ештеңені өзгертуге болмайды.'],
  approved_how_reopen: ['To correct something, ask {name} to reopen the visit (on the desk: “Reopen visit”, with a reason).', 'Чтобы что-то исправить, попросите {name} открыть посещение заново (на экране проверки: «Открыть посещение заново», с причиной).', 'Бір нәрсені түзету үшін {name} баруды қайта ашуын сұраңыз (тексеру экранында: «Баруды қайта ашу», себебімен).'],
  your_coordinator: ['your region’s coordinator', 'координатор вашего региона', 'өңіріңіздің үйлестірушісі'],
  display: ['Display and language', 'Вид и язык', 'Көрініс және тіл'],
  large_text: ['Large text', 'Крупный текст', 'Ірі мәтін'],
  dark_follows_system: ['The dark theme comes on with the phone’s dark theme.', 'Тёмная тема включается вместе с тёмной темой телефона.', 'Қараңғы тақырып телефонның қараңғы тақырыбымен бірге қосылады.'],
  all_sections: ['all sections', 'все разделы', 'барлық бөлімдер'],
  left_n: ['{n} left', 'осталось: {n}', 'қалды: {n}'],
  section_done: ['all answered', 'всё отвечено', 'бәріне жауап берілді'],
  left_in_section: ['Left in this section: {n} of {total}', 'Осталось в разделе: {n} из {total}', 'Бөлімде қалды: {total} ішінен {n}'],
  copy_prev: ['Same as “{place}”…', 'Как в «{place}»…', '«{place}» сияқты…'],
  copy_confirm: ['Copy {n} answers from “{place}” into this place? Answers you already gave here stay. Each copied answer stays marked until you confirm or change it.', 'Скопировать ответы ({n}) из «{place}» в это помещение? Уже данные здесь ответы останутся. Каждый скопированный ответ помечен, пока вы его не подтвердите или не измените.', '«{place}» ішінен {n} жауапты осы үй-жайға көшіру керек пе? Мұнда берілген жауаптар сақталады. Көшірілген әр жауап сіз оны растағанша немесе өзгерткенше белгіленіп тұрады.'],
  copy_do: ['Copy {n} answers', 'Скопировать ответы: {n}', 'Жауаптарды көшіру: {n}'],
  copy_nothing: ['Nothing to copy: this place already has those answers.', 'Копировать нечего: в этом помещении эти ответы уже есть.', 'Көшіретін ештеңе жоқ: бұл үй-жайда ол жауаптар бар.'],
  copied_mark: ['Copied from “{place}”: check it', 'Скопировано из «{place}»: проверьте', '«{place}» ішінен көшірілді: тексеріңіз'],
  confirm: ['Confirm', 'Подтвердить', 'Растау'],
  confirm_copied_n: ['Confirm the {n} copied answers above', 'Подтвердить скопированные ответы выше: {n}', 'Жоғарыдағы көшірілген жауаптарды растау: {n}'],
  missing_title: ['Required questions not answered yet', 'Обязательные вопросы без ответа', 'Жауап берілмеген міндетті сұрақтар'],
  missing_hint: ['The standards are measured with these. Tap one to answer it; you can also submit without them.', 'По ним оцениваются стандарты. Нажмите на вопрос, чтобы ответить; передать можно и без них.', 'Стандарттар солар арқылы бағаланады. Жауап беру үшін сұрақты басыңыз; оларсыз да тапсыруға болады.'],
  missing_none: ['Every required question has an answer.', 'На все обязательные вопросы есть ответы.', 'Барлық міндетті сұрақтарға жауап берілген.'],
  read_only: ['read only', 'только просмотр', 'тек қарау'],
  // The coordinator's desk (coord.js, coord-admin.js, coord-format.js).
  desk_nav: ['Desk', 'Проверка', 'Тексеру'],
  offline_desk: ['No connection to the server. The review screens need a connection.', 'Нет связи с сервером. Для экранов проверки нужна связь.', 'Сервермен байланыс жоқ. Тексеру экрандары үшін байланыс қажет.'],
  status: ['Status', 'Статус', 'Мәртебесі'],
  ended_at: ['Ended at', 'Окончание', 'Аяқталуы'],
  announced_short: ['Announced', 'Объявлено заранее', 'Алдын ала хабарланды'],
  ombuds_short: ['Ombudsperson’s representative', 'Представитель Уполномоченного', 'Уәкілдің өкілі'],
  refused_short: ['Access refused or delayed', 'Отказ или задержка доступа', 'Кіруге рұқсат бермеу не кідірту'],
  open_disagreement: ['members’ values differ', 'значения участников расходятся', 'қатысушылардың мәндері сәйкес емес'],
  open_conflict: ['sync conflict', 'конфликт синхронизации', 'синхрондау қайшылығы'],
  reason: ['Reason for the decision', 'Причина решения', 'Шешімнің себебі'],
  item: ['Item', 'Пункт', 'Тармақ'],
  st_agreed: ['members agree', 'участники согласны', 'қатысушылар келіседі'],
  st_one_answered: ['one member answered', 'ответил один участник', 'бір қатысушы жауап берді'],
  st_decided_by: ['decided by {name}', 'решение: {name}', 'шешім: {name}'],
  st_not_applicable: ['not applicable (condition not met): not counted', 'не применимо (условие не выполнено): не учитывается', 'қолданылмайды (шарт орындалмады): есепке алынбайды'],
  aa_upsert: ['change', 'изменение', 'өзгеріс'],
  aa_delete: ['deletion', 'удаление', 'жою'],
  aa_approve: ['approval', 'утверждение', 'бекіту'],
  aa_reopen: ['reopening', 'повторное открытие', 'қайта ашу'],
  quarantine: ['Quarantine', 'Карантин', 'Карантин'],
  users: ['Users', 'Пользователи', 'Пайдаланушылар'],
  devices: ['Devices', 'Устройства', 'Құрылғылар'],
  unlock: ['Lift sign-in lock', 'Снять блокировку входа', 'Кіру бұғатын алып тастау'],
  disabled: ['disabled', 'отключена', 'тоқтатылған'],
  device_revoked: ['The device is revoked.', 'Доступ устройства отозван.', 'Құрылғының рұқсаты тоқтатылды.'],
  af_checklist: ['Checklist', 'Контрольный лист', 'Бақылау парағы'],
  af_value: ['Value', 'Значение', 'Мәні'],
  reason_short: ['Reason', 'Причина', 'Себебі'],
  af_chosen: ['Member’s value chosen', 'Выбранное значение участника', 'Қатысушының таңдалған мәні'],
  af_checked_visit: ['Checked at visit', 'Проверено при посещении', 'Тексерілген бару'],
  af_deleted: ['deleted', 'удалено', 'жойылды'],
  af_kept: ['kept', 'сохранено', 'сақталды'],
  // The pre-approval check of what reports print (coord-publish.js).
  // Checklists for administrators (coord-checklists.js).
  // The organisation settings and the annual report (coord-org.js).
  // What a refusal means (refusals.js): rf_<code> for each code the server answers
  // (server/errorcodes_test.go checks every one is here), rf_<code>__<field> where
  // the field changes what to say, fld_<field> the request fields by name.
  rf_offline: ['No connection to the server: nothing was sent. Try again when there is a connection.', 'Нет связи с сервером: ничего не отправлено. Повторите, когда появится связь.', 'Сервермен байланыс жоқ: ештеңе жіберілмеді. Байланыс болғанда қайталаңыз.'],
  rf_timeout: ['The server did not answer in time; the connection may be too weak. Try again.', 'Сервер не ответил вовремя; возможно, связь слишком слабая. Повторите попытку.', 'Сервер уақытында жауап бермеді; байланыс тым әлсіз болуы мүмкін. Қайталап көріңіз.'],
  rf_http: ['The server answered with an error (HTTP {status}). Try again later; if it goes on, tell the administrator.', 'Сервер ответил ошибкой (HTTP {status}). Повторите позже; если ошибка повторяется, сообщите администратору.', 'Сервер қатемен жауап берді (HTTP {status}). Кейінірек қайталаңыз; қате қайталанса, әкімшіге хабарлаңыз.'],
  rf_bad_answer: ['The server’s answer could not be read. Try again later; if it goes on, tell the administrator.', 'Не удалось прочитать ответ сервера. Повторите позже; если ошибка повторяется, сообщите администратору.', 'Сервердің жауабын оқу мүмкін болмады. Кейінірек қайталаңыз; қате қайталанса, әкімшіге хабарлаңыз.'],
  rf_device_full: ['This device’s storage is full: it was not saved. Free some space (old photos, other apps), then try again.', 'Память устройства заполнена: не сохранено. Освободите место (старые фото, другие приложения) и повторите.', 'Құрылғы жады толы: сақталмады. Орын босатып (ескі фотолар, басқа қосымшалар), қайталаңыз.'],
  rf_device_failed: ['Something failed on this device ({code}). Try again; if it goes on, reload the app. What was saved before stays on the device.', 'Сбой на этом устройстве ({code}). Повторите; если сбой повторяется, перезапустите приложение. Сохранённое ранее остаётся на устройстве.', 'Бұл құрылғыда ақау болды ({code}). Қайталаңыз; ақау қайталанса, қосымшаны қайта іске қосыңыз. Бұрын сақталғандар құрылғыда қалады.'],
  rf_unknown: ['The server refused this (code “{code}”). Nothing was changed; tell the administrator the code.', 'Сервер отклонил это (код «{code}»). Ничего не изменено; сообщите код администратору.', 'Сервер мұны қабылдамады («{code}» коды). Ештеңе өзгертілмеді; кодты әкімшіге хабарлаңыз.'],
  rf_invalid: ['{field}: the server did not accept this value. Correct it and try again.', '{field}: сервер не принял это значение. Исправьте его и повторите.', '{field}: сервер бұл мәнді қабылдамады. Оны түзетіп, қайталаңыз.'],
  rf_invalid_nofield: ['The server did not accept what was entered. Check it and try again.', 'Сервер не принял введённые данные. Проверьте их и повторите.', 'Сервер енгізілген деректерді қабылдамады. Оларды тексеріп, қайталаңыз.'],
  rf_invalid__username: ['Enter a username and a password.', 'Введите имя пользователя и пароль.', 'Пайдаланушы аты мен құпиясөзді енгізіңіз.'],
  rf_invalid__role: ['Choose a role: member, coordinator, staff or administrator.', 'Выберите роль: участник, координатор, сотрудник или администратор.', 'Рөлді таңдаңыз: қатысушы, үйлестіруші, қызметкер немесе әкімші.'],
  rf_invalid__region: ['Choose a region: a member or a coordinator works in one region.', 'Выберите регион: участник и координатор работают в одном регионе.', 'Өңірді таңдаңыз: қатысушы мен үйлестіруші бір өңірде жұмыс істейді.'],
  rf_invalid__name: ['The name must be 1 to 200 characters.', 'Имя должно содержать от 1 до 200 символов.', 'Аты 1-ден 200-ге дейін таңбадан тұруы керек.'],
  rf_invalid__reason: ['Give a short reason for the decision.', 'Укажите краткую причину решения.', 'Шешімнің қысқаша себебін көрсетіңіз.'],
  rf_invalid__value: ['Give the agreed value, or choose one of the members’ values.', 'Укажите согласованное значение или выберите одно из значений участников.', 'Келісілген мәнді көрсетіңіз немесе қатысушылардың мәндерінің бірін таңдаңыз.'],
  rf_invalid__observation_id: ['The value chosen is not a value of this item in this visit. Reload the page and choose again.', 'Выбранное значение не относится к этому пункту этого посещения. Обновите страницу и выберите снова.', 'Таңдалған мән осы барудың осы тармағына жатпайды. Бетті жаңартып, қайта таңдаңыз.'],
  rf_invalid__from: ['Give the period’s first day as a date (day, month, year).', 'Укажите первый день периода как дату (день, месяц, год).', 'Кезеңнің бірінші күнін күн ретінде көрсетіңіз (күн, ай, жыл).'],
  rf_invalid__to: ['Give the period’s last day as a date, not before its first day.', 'Укажите последний день периода как дату, не раньше первого дня.', 'Кезеңнің соңғы күнін бірінші күнінен ерте емес күн ретінде көрсетіңіз.'],
  rf_invalid__logo_png_base64: ['The logo must be a PNG image of at most 256 KB.', 'Логотип должен быть изображением PNG не более 256 КБ.', 'Логотип көлемі 256 КБ-тан аспайтын PNG суреті болуы керек.'],
  rf_invalid__no_person_identifiable: ['Confirm that no person can be identified on the photo before marking it as publishable.', 'Прежде чем разрешить публикацию, подтвердите, что на фото нельзя опознать ни одного человека.', 'Жариялауға рұқсат бермес бұрын фотода ешбір адамды тану мүмкін емес екенін растаңыз.'],
  rf_invalid__publication_check: ['The publication check could not be read. Reload the page and approve again.', 'Не удалось прочитать проверку перед публикацией. Обновите страницу и утвердите снова.', 'Жарияламас бұрынғы тексеруді оқу мүмкін болмады. Бетті жаңартып, қайта бекітіңіз.'],
  rf_invalid__device_time: ['This phone’s clock gives a time the server cannot read. Check the date and time in the phone’s settings.', 'Часы телефона показывают время, которое сервер не может прочитать. Проверьте дату и время в настройках телефона.', 'Телефон сағаты сервер оқи алмайтын уақытты көрсетеді. Телефон баптауларындағы күн мен уақытты тексеріңіз.'],
  rf_invalid__fields_admitted_at: ['The time let in is before the time of arrival at the gate. Correct one of the two times.', 'Время допуска раньше времени прибытия к воротам. Исправьте одно из двух времён.', 'Кіргізілген уақыт қақпаға келген уақыттан бұрын. Екі уақыттың бірін түзетіңіз.'],
  rf_invalid__fields_arrived_at: ['The time let in is before the time of arrival at the gate. Correct one of the two times.', 'Время допуска раньше времени прибытия к воротам. Исправьте одно из двух времён.', 'Кіргізілген уақыт қақпаға келген уақыттан бұрын. Екі уақыттың бірін түзетіңіз.'],
  rf_forbidden: ['You may not do this: it belongs to another region or another member, or your role does not allow it.', 'Вы не можете это сделать: это относится к другому региону или другому участнику, либо ваша роль этого не позволяет.', 'Мұны істей алмайсыз: бұл басқа өңірге не басқа қатысушыға тиесілі немесе рөліңіз бұған рұқсат бермейді.'],
  rf_locked: ['The visit is approved and locked. Ask the coordinator to reopen it first.', 'Посещение утверждено и закрыто для изменений. Сначала попросите координатора открыть его заново.', 'Бару бекітілген және өзгертуге жабық. Алдымен үйлестірушіден оны қайта ашуды сұраңыз.'],
  rf_signin_locked: ['Too many failed sign-ins: this name is locked for 15 minutes. An administrator can lift the lock sooner.', 'Слишком много неудачных попыток входа: имя заблокировано на 15 минут. Администратор может снять блокировку раньше.', 'Кіру әрекеттері тым көп сәтсіз болды: бұл атау 15 минутқа бұғатталды. Әкімші бұғатты ертерек алып тастай алады.'],
  rf_not_found: ['Not found on the server: it may have been deleted, or the link is wrong. Reload the page.', 'Не найдено на сервере: возможно, удалено, или ссылка неверна. Обновите страницу.', 'Серверде табылмады: өшірілген болуы мүмкін немесе сілтеме қате. Бетті жаңартыңыз.'],
  rf_wrong_status: ['The visit is not in a state that allows this (it may already be submitted, approved or reopened). Reload the page to see its state.', 'Посещение не в том состоянии, чтобы это сделать (возможно, оно уже отправлено, утверждено или открыто заново). Обновите страницу, чтобы увидеть его состояние.', 'Бару мұны істеуге болатын күйде емес (ол жіберілген, бекітілген немесе қайта ашылған болуы мүмкін). Күйін көру үшін бетті жаңартыңыз.'],
  rf_unauthenticated: ['You are signed out. Sign in again.', 'Вы вышли из системы. Войдите снова.', 'Сіз жүйеден шықтыңыз. Қайта кіріңіз.'],
  rf_token_expired: ['Your sign-in has expired. Sign in again.', 'Срок вашего входа истёк. Войдите снова.', 'Кіру мерзімі өтті. Қайта кіріңіз.'],
  rf_signed_out: ['This device was signed out; its Inspecta data is removed from it. Sign in again to use it.', 'На этом устройстве был выполнен выход; данные Inspecta с него удалены. Чтобы пользоваться им, войдите снова.', 'Бұл құрылғыдан шығу орындалды; ондағы Inspecta деректері жойылды. Оны пайдалану үшін қайта кіріңіз.'],
  rf_device_revoked: ['An administrator has withdrawn this device’s access. Sign in again to use it.', 'Администратор отозвал доступ этого устройства. Чтобы пользоваться им, войдите снова.', 'Әкімші бұл құрылғының рұқсатын кері қайтарды. Оны пайдалану үшін қайта кіріңіз.'],
  rf_bad_credentials: ['Wrong username or password.', 'Неверное имя пользователя или пароль.', 'Пайдаланушы аты немесе құпиясөз қате.'],
  rf_too_large: ['What was sent is larger than the server accepts. Send a smaller file.', 'Отправленное больше, чем принимает сервер. Отправьте файл меньшего размера.', 'Жіберілген дерек сервер қабылдайтыннан үлкен. Кішірек файл жіберіңіз.'],
  rf_too_many_ops: ['Too many changes in one sending. The app sends them again in smaller parts.', 'Слишком много изменений за одну отправку. Приложение отправит их снова меньшими частями.', 'Бір жіберуде өзгерістер тым көп. Қосымша оларды кішірек бөліктермен қайта жібереді.'],
  rf_photo_too_large: ['The photo is too large for the server.', 'Фото слишком большое для сервера.', 'Фото сервер үшін тым үлкен.'],
  rf_not_an_image: ['The server could not read this file as a photo (JPEG or PNG).', 'Сервер не смог прочитать этот файл как фото (JPEG или PNG).', 'Сервер бұл файлды фото ретінде оқи алмады (JPEG немесе PNG).'],
  rf_hash_mismatch: ['The photo arrived damaged (its check sum differs). It is sent again.', 'Фото пришло повреждённым (контрольная сумма не совпадает). Оно будет отправлено снова.', 'Фото бүлінген күйде келді (бақылау сомасы сәйкес келмейді). Ол қайта жіберіледі.'],
  rf_offset_mismatch: ['The upload got out of step with the server; it goes on from where the server is.', 'Загрузка разошлась с сервером; она продолжится с того места, где остановился сервер.', 'Жүктеу сервермен сәйкеспей қалды; ол сервер тоқтаған жерден жалғасады.'],
  rf_deleted: ['This photo was deleted.', 'Это фото удалено.', 'Бұл фото өшірілген.'],
  rf_not_received: ['This photo has not reached the server yet: look at it once it has arrived, then mark it.', 'Это фото ещё не дошло до сервера: посмотрите его, когда оно придёт, и тогда отметьте.', 'Бұл фото серверге әлі жеткен жоқ: ол келгенде қарап, содан кейін белгілеңіз.'],
  rf_id_taken: ['Another photo already has this identifier. Take the photo again.', 'У другого фото уже есть такой идентификатор. Сделайте фото заново.', 'Басқа фотода мұндай идентификатор бар. Фотоны қайта түсіріңіз.'],
  rf_visit_photos_full: ['The photos of this visit have reached their limit on the server. Delete photos that are not needed.', 'Фото этого посещения на сервере достигли предела. Удалите ненужные фото.', 'Бұл барудың серверде фотолары шегіне жетті. Қажетсіз фотоларды өшіріңіз.'],
  rf_missing_parent: ['{field}: not on the server yet (it may come later from another phone). This is sent again at the next sync.', '{field}: ещё нет на сервере (может прийти позже с другого телефона). Это будет отправлено снова при следующей синхронизации.', '{field}: серверде әлі жоқ (кейінірек басқа телефоннан келуі мүмкін). Бұл келесі синхрондауда қайта жіберіледі.'],
  rf_missing_parent_nofield: ['A record this depends on has not reached the server yet. This is sent again at the next sync.', 'Запись, от которой это зависит, ещё не дошла до сервера. Это будет отправлено снова при следующей синхронизации.', 'Бұл тәуелді жазба серверге әлі жеткен жоқ. Бұл келесі синхрондауда қайта жіберіледі.'],
  rf_bad_base: ['This phone’s copy does not come from this server. Sync, then enter the change again.', 'Копия данных на телефоне не с этого сервера. Синхронизируйте и внесите изменение ещё раз.', 'Телефондағы деректер көшірмесі бұл серверден емес. Синхрондап, өзгерісті қайта енгізіңіз.'],
  rf_op_id_taken: ['The change could not be told apart from another one. Enter it again.', 'Изменение не удалось отличить от другого. Внесите его ещё раз.', 'Өзгерісті басқасынан ажырату мүмкін болмады. Оны қайта енгізіңіз.'],
  rf_username_taken: ['This username is already taken. Choose another.', 'Это имя пользователя уже занято. Выберите другое.', 'Бұл пайдаланушы аты бос емес. Басқасын таңдаңыз.'],
  rf_password_short: ['The password is too short: at least {n} characters.', 'Пароль слишком короткий: не менее {n} символов.', 'Құпиясөз тым қысқа: кемінде {n} таңба.'],
  rf_password_long: ['The password is too long: at most 72 bytes (about 36 Cyrillic letters).', 'Пароль слишком длинный: не более 72 байт (около 36 букв кириллицы).', 'Құпиясөз тым ұзын: 72 байттан аспауы керек (шамамен 36 кирилл әрпі).'],
  rf_password_has_username: ['The password must not contain the username.', 'Пароль не должен содержать имя пользователя.', 'Құпиясөзде пайдаланушы аты болмауы керек.'],
  rf_password_common: ['This password is on the list of common passwords. Choose a longer phrase of your own.', 'Этот пароль есть в списке распространённых паролей. Придумайте свою, более длинную фразу.', 'Бұл құпиясөз жиі қолданылатын құпиясөздер тізімінде бар. Өзіңіз ойлап тапқан ұзынырақ сөз тіркесін таңдаңыз.'],
  rf_self: ['You cannot change your own role or disable your own account; ask another administrator.', 'Нельзя изменить свою роль или отключить свою учётную запись; обратитесь к другому администратору.', 'Өз рөліңізді өзгертуге немесе өз тіркелгіңізді өшіруге болмайды; басқа әкімшіге жүгініңіз.'],
  rf_last_admin: ['This is the last enabled administrator: make another one first.', 'Это последний действующий администратор: сначала назначьте другого.', 'Бұл соңғы белсенді әкімші: алдымен басқасын тағайындаңыз.'],
  rf_already_revoked: ['This device’s access was already withdrawn.', 'Доступ этого устройства уже отозван.', 'Бұл құрылғының рұқсаты бұрын кері қайтарылған.'],
  rf_publication_check_stale: ['The visit was not approved: the texts the reports will print changed since the list was shown. The list as it is now is shown above: read it, then approve again.', 'Посещение не утверждено: тексты, которые попадут в отчёты, изменились с тех пор, как был показан список. Выше показан список в его нынешнем виде: прочитайте его и утвердите снова.', 'Бару бекітілмеді: тізім көрсетілгеннен бері есептерге шығатын мәтіндер өзгерді. Жоғарыда тізімнің қазіргі түрі көрсетілген: оны оқып, қайта бекітіңіз.'],
  rf_open_items: ['The visit cannot be approved yet: some items are still to resolve.', 'Посещение пока нельзя утвердить: есть нерешённые вопросы.', 'Баруды әзірге бекітуге болмайды: шешілмеген мәселелер бар.'],
  rf_unapproved: ['Some visits of this report are not approved yet. Approve them, or confirm a provisional report.', 'Часть посещений этого отчёта ещё не утверждена. Утвердите их или подтвердите предварительный отчёт.', 'Бұл есептің кейбір барулары әлі бекітілмеген. Оларды бекітіңіз немесе алдын ала есепті растаңыз.'],
  rf_checklist_invalid: ['The checklist was refused; nothing was stored.', 'Контрольный лист отклонён; ничего не сохранено.', 'Бақылау парағы қабылданбады; ештеңе сақталмады.'],
  rf_checklist_version: ['This checklist’s version is already stored, or is older than a stored one. Raise the version number in the settings sheet.', 'Эта версия контрольного листа уже сохранена или старше сохранённой. Увеличьте номер версии на листе settings.', 'Бақылау парағының бұл нұсқасы бұрын сақталған немесе сақталғанынан ескі. settings парағында нұсқа нөмірін үлкейтіңіз.'],
  rf_export_refused: ['This checklist cannot be written as an XLSForm workbook. Download it as JSON.', 'Этот контрольный лист нельзя записать как книгу XLSForm. Скачайте его в формате JSON.', 'Бұл бақылау парағын XLSForm кітабы ретінде жазу мүмкін емес. Оны JSON пішімінде жүктеп алыңыз.'],
  rf_bad_json: ['The server could not read the request. Reload the page (the app may be out of date) and try again.', 'Сервер не смог прочитать запрос. Обновите страницу (приложение могло устареть) и повторите.', 'Сервер сұрауды оқи алмады. Бетті жаңартып (қосымша ескірген болуы мүмкін), қайталаңыз.'],
  rf_bad_body: ['The request reached the server incomplete. Try again.', 'Запрос дошёл до сервера не полностью. Повторите.', 'Сұрау серверге толық жетпеді. Қайталаңыз.'],
  rf_unsupported_encoding: ['The server cannot read the way this app packed what it sent. Update the app, or tell the administrator.', 'Сервер не может прочитать, как приложение упаковало отправленное. Обновите приложение или сообщите администратору.', 'Сервер қолданба жіберілгенді қалай буып-түйгенін оқи алмайды. Қолданбаны жаңартыңыз немесе әкімшіге хабарлаңыз.'],
  rf_bad_encoding: ['The text sent has characters the server cannot read. Check for unusual characters and try again.', 'В отправленном тексте есть символы, которые сервер не может прочитать. Проверьте необычные символы и повторите.', 'Жіберілген мәтінде сервер оқи алмайтын таңбалар бар. Ерекше таңбаларды тексеріп, қайталаңыз.'],
  rf_method_not_allowed: ['The server does not allow this request. Reload the page: the app may be out of date.', 'Сервер не допускает такой запрос. Обновите страницу: приложение могло устареть.', 'Сервер мұндай сұрауға рұқсат бермейді. Бетті жаңартыңыз: қосымша ескірген болуы мүмкін.'],
  rf_internal: ['The server failed; nothing was saved. Try again; if it goes on, tell the administrator.', 'Сбой на сервере; ничего не сохранено. Повторите; если сбой повторяется, сообщите администратору.', 'Серверде ақау болды; ештеңе сақталмады. Қайталаңыз; ақау қайталанса, әкімшіге хабарлаңыз.'],
  rf_storage_full: ['The server has no room left: nothing was saved. Keep the data and tell the administrator; try again later.', 'На сервере закончилось место: ничего не сохранено. Сохраните данные и сообщите администратору; повторите позже.', 'Серверде орын қалмады: ештеңе сақталмады. Деректерді сақтап, әкімшіге хабарлаңыз; кейінірек қайталаңыз.'],
  rf_unhealthy: ['The server cannot read its database right now. Tell the administrator.', 'Сервер сейчас не может прочитать свою базу данных. Сообщите администратору.', 'Сервер қазір өз дерекқорын оқи алмайды. Әкімшіге хабарлаңыз.'],
  conflict_field_deleted: ['whether it is deleted', 'удалено ли', 'жойылған ба'],
  fld_id: ['The identifier', 'Идентификатор', 'Идентификатор'],
  fld_status: ['The status', 'Статус', 'Мәртебесі'],
  fld_region: ['The region', 'Регион', 'Өңір'],
  fld_item: ['The checklist item', 'Пункт контрольного листа', 'Бақылау парағының тармағы'],
  fld_reason: ['The reason', 'Причина', 'Себебі'],
  fld_value: ['The value', 'Значение', 'Мәні'],
  fld_keep: ['The value to keep', 'Сохраняемое значение', 'Сақталатын мән'],
  fld_conflict_id: ['The conflict', 'Конфликт', 'Қайшылық'],
  fld_publication_check: ['The publication check', 'Проверка перед публикацией', 'Жарияламас бұрынғы тексеру'],
  fld_limit: ['The number of rows asked for', 'Запрошенное число строк', 'Сұралған жолдар саны'],
  fld_type: ['The record type', 'Тип записи', 'Жазба түрі'],
  fld_from: ['The first day', 'Первый день', 'Бірінші күн'],
  fld_to: ['The last day', 'Последний день', 'Соңғы күн'],
  fld_kind: ['The kind of report', 'Вид отчёта', 'Есеп түрі'],
  fld_code: ['The region code', 'Код региона', 'Өңір коды'],
  fld_unapproved: ['Visits not yet approved', 'Ещё не утверждённые посещения', 'Әлі бекітілмеген барулар'],
  fld_username: ['The username', 'Имя пользователя', 'Пайдаланушы аты'],
  fld_password: ['The password', 'Пароль', 'Құпиясөз'],
  fld_logo_png_base64: ['The logo', 'Логотип', 'Логотип'],
  fld_device_id: ['This device', 'Это устройство', 'Бұл құрылғы'],
  fld_device_time: ['This phone’s clock', 'Часы телефона', 'Телефон сағаты'],
  fld_since: ['The sync position', 'Позиция синхронизации', 'Синхрондау орны'],
  fld_set: ['The set of records asked for', 'Запрошенный набор записей', 'Сұралған жазбалар жиыны'],
  fld_format: ['The file format', 'Формат файла', 'Файл пішімі'],
  fld_ref: ['The checklist version', 'Версия контрольного листа', 'Бақылау парағының нұсқасы'],
  fld_version: ['The checklist version', 'Версия контрольного листа', 'Бақылау парағының нұсқасы'],
  fld_offset: ['The upload position', 'Позиция загрузки', 'Жүктеу орны'],
  fld_sha256: ['The photo’s check sum', 'Контрольная сумма фото', 'Фотоның бақылау сомасы'],
  fld_bytes: ['The photo’s size', 'Размер фото', 'Фото өлшемі'],
  fld_taken_at: ['The time the photo was taken', 'Время съёмки', 'Түсірілген уақыты'],
  fld_caption: ['The photo’s caption', 'Подпись к фото', 'Фотоның жазуы'],
  fld_no_person_identifiable: ['The confirmation that no person can be identified', 'Подтверждение, что никого нельзя опознать', 'Ешкімді тануға болмайтынын растау'],
  fld_may_publish: ['Publication of the photo', 'Публикация фото', 'Фотоны жариялау'],
  fld_record_id: ['The record', 'Запись', 'Жазба'],
  fld_role: ['The role', 'Роль', 'Рөлі'],
  fld_name: ['The name', 'Имя', 'Аты'],
  fld_observation_id: ['The member’s value chosen', 'Выбранное значение участника', 'Қатысушының таңдалған мәні'],
  fld_visit_id: ['The visit', 'Посещение', 'Бару'],
  fld_location_id: ['The place', 'Место', 'Орын'],
  fld_note_id: ['The confidential note', 'Конфиденциальная заметка', 'Құпия жазба'],
  fld_lang: ['The report’s language', 'Язык отчёта', 'Есеп тілі'],
  fld_detail: ['The level of detail', 'Степень подробности', 'Толықтық деңгейі'],
  fld_facility_id: ['The facility', 'Учреждение', 'Мекеме'],
  fld_ops: ['The changes sent', 'Отправленные изменения', 'Жіберілген өзгерістер'],
  // A visit's dates that look wrong, on the review screen (coord-format.js visitDateWarnings).
  date_warn_end_before_start: ['It ends ({end}) before it starts ({start}).', 'Окончание ({end}) раньше начала ({start}).', 'Аяқталуы ({end}) басталуынан ({start}) бұрын.'],
  date_warn_future: ['{field}: {date} is in the future.', '{field}: {date} — дата в будущем.', '{field}: {date} — болашақтағы күн.'],
  date_warn_before_2000: ['{field}: {date} is before the year 2000.', '{field}: {date} — раньше 2000 года.', '{field}: {date} — 2000 жылдан бұрын.'],
  // A refused checklist file's problems (coord-checklists.js), by xlsform.Problem's code;
  // {0}, {1}… are the values the problem names (xlsform/problemcodes_test.go checks each code is here).
  // Photos whose bytes arrived damaged (photos.js, settleMismatch).
  photo_held_mismatch: ['The photo arrived damaged on the server. It stays on this phone and is sent again later by itself; "Send again" tries now.',
    'Фото пришло на сервер повреждённым. Оно остаётся на телефоне и будет отправлено снова позже само; «Отправить снова» — попробовать сейчас.',
    'Фото серверге бүлінген күйде жетті. Ол телефонда қалады және кейін өздігінен қайта жіберіледі; «Қайта жіберу» қазір жібереді.'],
  // A change inside a visit or place deleted on the server (sync code parent_deleted).
  refused_parent_deleted: ['The visit or place this belongs to was deleted on the server before your change arrived, so the change was not stored. If it was deleted by mistake, ask the coordinator to restore it, then enter the change again.',
    'Посещение или место, к которому это относится, удалили на сервере раньше, чем пришло ваше изменение, поэтому изменение не сохранено. Если его удалили по ошибке, попросите координатора восстановить его и внесите изменение ещё раз.',
    'Сіздің өзгерісіңіз жеткенше бұл жататын бару немесе орын серверде өшірілді, сондықтан өзгеріс сақталмады. Егер ол қателесіп өшірілсе, үйлестірушіден оны қалпына келтіруді сұрап, өзгерісті қайта енгізіңіз.'],
  rf_parent_deleted: ['The visit or place this belongs to was deleted on the server, so this was not stored. If it was deleted by mistake, ask the coordinator to restore it, then enter it again.',
    'Посещение или место, к которому это относится, удалено на сервере, поэтому это не сохранено. Если его удалили по ошибке, попросите координатора восстановить его и внесите это ещё раз.',
    'Бұл жататын бару немесе орын серверде өшірілген, сондықтан бұл сақталмады. Егер ол қателесіп өшірілсе, үйлестірушіден оны қалпына келтіруді сұрап, мұны қайта енгізіңіз.'],
};

let current = 'en';
const listeners = new Set();

/** pick chooses ru, kk or en from the browser's preferred languages. */
export function pick(languages) {
  for (const l of languages || []) {
    const base = String(l).toLowerCase().split('-')[0];
    if (base === 'kk' || base === 'kz') return 'kk';
    if (base === 'ru') return 'ru';
    if (base === 'en') return 'en';
  }
  return 'ru';
}

let store = null;
export async function initLang(s) {
  store = s;
  current = (await s.meta('lang')) || pick(navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language]);
  document.documentElement.lang = current;
}

export function lang() {
  return current;
}

export async function setLang(l) {
  if (!(l in IDX)) return;
  current = l;
  document.documentElement.lang = l;
  if (store) await store.setMeta('lang', l);
  for (const fn of listeners) fn(l);
}

export function onLang(fn) {
  listeners.add(fn);
}

/** t returns the string for key in the current language, with {name} filled from params. */
export function t(key, params) {
  const row = S[key];
  let s = row ? row[IDX[current]] || row[0] : key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m)).replace(/\s+([.,)])/g, '$1').trim();
  return s;
}

/** txt picks a template text ({en, ru, kk}) in the current language, English if missing. */
export function txt(text) {
  if (!text) return '';
  return text[current] || text.en || '';
}

/** fmtNum formats a number for the current language; plain drops grouping (for inputs). */
export function fmtNum(v, plain) {
  return formatNumber(v, current, plain);
}

/** fmtTime shows a moment as a date and time of day in the current language ("" if unreadable). */
export function fmtTime(iso) {
  return formatDateTime(iso, current);
}

/** fmtDate shows a moment's date only in the current language. */
export function fmtDate(iso) {
  return formatDateTime(iso, current, false);
}

// Numbers and dates are formatted by hand, not with Intl: browsers often
// lack Kazakh's locale data and fall back to English ("2,000.5",
// "2026-11-29"), and making the first Intl formatter loads locale data for
// 130 to 300 ms at a low-end phone's speed, a freeze in the middle of a sync
// (issue 20). Kazakh and Russian write a decimal comma and group thousands
// with a non-breaking space, English a point and commas.
const NBSP = '\u00a0';
const SEPARATORS = { en: [',', '.'], ru: [NBSP, ','], kk: [NBSP, ','] };

/**
 * formatNumber is the one number format of the app and the desk: language
 * l's decimal sign and grouping, at most 2 decimals (6 and no grouping when
 * plain, for inputs), rounded half away from zero. Not a number gives "".
 */
export function formatNumber(v, l, plain = false) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '';
  const [group, point] = SEPARATORS[l] || SEPARATORS.ru;
  const fixed = Math.abs(v).toFixed(plain ? 6 : 2);
  let [int, frac] = fixed.split('.');
  frac = (frac || '').replace(/0+$/, '');
  if (!plain) int = int.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const sign = v < 0 && (Number(int.replace(/\D/g, '')) > 0 || frac) ? '-' : '';
  return sign + int + (frac ? point + frac : '');
}

/**
 * formatDateTime is the one date format of the app and the desk, in the
 * device's time zone: "dd.mm.yyyy hh:mm" in Kazakh and Russian,
 * "dd/mm/yyyy hh:mm" in English; withTime false leaves the time out. "" if unreadable.
 */
export function formatDateTime(iso, l, withTime = true) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n) => String(n).padStart(2, '0');
  const sep = l === 'en' ? '/' : '.';
  const date = `${p(d.getDate())}${sep}${p(d.getMonth() + 1)}${sep}${d.getFullYear()}`;
  return withTime ? `${date} ${p(d.getHours())}:${p(d.getMinutes())}` : date;
}

// The Kazakh alphabet, which holds the Russian one in the same order.
const ALPHABET = 'аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя';
const RANK = new Map([...ALPHABET].map((c, i) => [c, 0x10000 + i]));

/**
 * compareNames orders names as a list shows them: case aside, Cyrillic in
 * Kazakh (and so Russian) alphabetical order after digits and Latin. By hand
 * for the same reason as the formats above: the first localeCompare loads
 * the collation data, a 250 ms freeze on a low-end phone.
 */
export function compareNames(a, b) {
  const x = (a || '').toLowerCase();
  const y = (b || '').toLowerCase();
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const cx = RANK.get(x[i]) ?? x.charCodeAt(i);
    const cy = RANK.get(y[i]) ?? y.charCodeAt(i);
    if (cx !== cy) return cx - cy;
  }
  return x.length - y.length;
}

/** strings exposes the table for the unit test that checks every language is present. */
export const strings = S;

/**
 * addStrings adds a table of more strings (S's form) for screens loaded
 * later: the coordinator's desk brings its own (i18n-desk.js), so that a
 * monitor's phone does not download them with the app.
 */
export function addStrings(table) {
  Object.assign(S, table);
}
