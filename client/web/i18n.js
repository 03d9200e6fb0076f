// Every interface string in English, Russian and Kazakh: S[key] = [en, ru, kk].
// The language is chosen from navigator.language on first start and can be
// switched at any time (kept in the store). Checklist labels come from the
// template's own translations through txt().

export const LANGS = ['ru', 'kk', 'en'];
const IDX = { en: 0, ru: 1, kk: 2 };

const S = {
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
  photo_may_publish: ['May be published', 'Можно публиковать', 'Жариялауға болады'],
  photo_not_cleared: ['Not for publication', 'Не для публикации', 'Жариялауға емес'],
  photo_confirm_no_person: ['I have looked at this photo: no person can be identified on it',
    'Я посмотрел(а) это фото: ни одного человека нельзя опознать',
    'Мен бұл фотоны қарадым: онда ешбір адамды тану мүмкін емес'],
  photo_clear: ['Mark as publishable', 'Отметить: можно публиковать', 'Жариялауға болады деп белгілеу'],
  photo_unclear: ['Withdraw publication', 'Снять разрешение', 'Рұқсатты алып тастау'],
  photo_not_received: ['not yet received', 'ещё не получено', 'әлі алынбаған'],
  photo_hidden: ['not visible to you', 'вам не видно', 'сізге көрінбейді'],
  storage_title: ['Storage', 'Хранилище', 'Сақтау орны'],
  storage_line: ['Database {db}; photos {photos} ({n}, {waiting} still arriving); uploads under way {partial}',
    'База данных {db}; фото {photos} ({n}, ещё поступают: {waiting}); незавершённые загрузки {partial}',
    'Дерекқор {db}; фото {photos} ({n}, әлі келуде: {waiting}); аяқталмаған жүктеулер {partial}'],
  // Sync status and conflicts (sync.js, conflicts.js).
  sending_n_of_m: ['Sending {n} of {m}', 'Отправка: {n} из {m}', 'Жіберілуде: {m} ішінен {n}'],
  rate_kbs: ['{r} KB/s', '{r} КБ/с', '{r} КБ/с'],
  downloading_n: ['Downloading: {n} pages received', 'Загрузка: получено страниц — {n}', 'Жүктелуде: {n} бет алынды'],
  link_too_weak: ['The connection is too weak right now; your data is safe on this phone', 'Связь сейчас слишком слабая; ваши данные сохранены на этом телефоне', 'Байланыс қазір тым әлсіз; деректеріңіз осы телефонда сақтаулы'],
  clock_differs: ['This phone’s clock differs from the server’s by about {min} min: please set the right time (sync still works)', 'Часы телефона расходятся с сервером примерно на {min} мин: установите точное время (синхронизация работает)', 'Телефон сағаты сервер уақытынан шамамен {min} мин өзгеше: дұрыс уақытты орнатыңыз (синхрондау жұмыс істейді)'],
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
  no_locations: ['No places yet: add the first cell, ward or yard below.', 'Помещений пока нет: добавьте первую камеру, палату или двор ниже.', 'Әзірге үй-жай жоқ: төменде алғашқы камераны, палатаны немесе ауланы қосыңыз.'],
  add_location: ['Add a place', 'Добавить помещение', 'Үй-жай қосу'],
  loc_kind: ['Kind', 'Вид', 'Түрі'],
  loc_label: ['Label', 'Обозначение', 'Белгісі'],
  loc_label_example: ['e.g. Cell 12', 'напр. Камера 12', 'мыс. 12-камера'],
  label_required: ['Enter a label, such as "Cell 12".', 'Введите обозначение, например «Камера 12».', 'Белгісін енгізіңіз, мысалы «12-камера».'],
  add: ['Add', 'Добавить', 'Қосу'],
  answered_n: ['{n} answered', 'ответов: {n}', 'жауап берілді: {n}'],
  visit_checklist: ['Visit checklist', 'Вопросы по посещению', 'Бару бойынша сұрақтар'],
  confidential_notes: ['Confidential notes', 'Конфиденциальные заметки', 'Құпия жазбалар'],
  submit_visit: ['Submit visit', 'Передать посещение', 'Баруды тапсыру'],
  submit_confirm: ['Submit this visit to the coordinator? You can still correct it until it is approved.', 'Передать посещение координатору? Исправлять можно до утверждения.', 'Баруды үйлестірушіге тапсырасыз ба? Бекітілгенге дейін түзетуге болады.'],
  visit_submitted_note: ['Submitted. Corrections are still possible until the coordinator approves the visit.', 'Передано. Исправления возможны до утверждения координатором.', 'Тапсырылды. Үйлестіруші бекіткенге дейін түзетуге болады.'],
  cancel: ['Cancel', 'Отмена', 'Бас тарту'],
  back_to_visit: ['Visit', 'К посещению', 'Баруға'],
  section: ['Section', 'Раздел', 'Бөлім'],
  prev_section: ['Back', 'Назад', 'Артқа'],
  next_section: ['Next section', 'Следующий раздел', 'Келесі бөлім'],
  done: ['Done', 'Готово', 'Дайын'],
  no_checklist: ['The checklist is not on this phone yet. Sync while online.', 'Контрольного листа ещё нет на телефоне. Синхронизируйте при наличии связи.', 'Бақылау парағы телефонда әлі жоқ. Байланыс болғанда синхрондаңыз.'],
  range_hint: ['{min} to {max} {unit}', 'от {min} до {max} {unit}', '{min}–{max} {unit}'],
  err_range: ['Enter a value from {min} to {max} {unit}.', 'Введите значение от {min} до {max} {unit}.', '{min}–{max} {unit} аралығындағы мәнді енгізіңіз.'],
  err_not_number: ['Enter a number, such as 11.5.', 'Введите число, например 11,5.', 'Сан енгізіңіз, мысалы 11,5.'],
  err_not_whole: ['Enter a whole number.', 'Введите целое число.', 'Бүтін сан енгізіңіз.'],
  err_too_long: ['At most {n} characters.', 'Не более {n} символов.', 'Ең көбі {n} таңба.'],
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
  desk_title: ['Visits to review', 'Посещения на проверку', 'Тексерілетін барулар'],
  desk_visits: ['Visits', 'Посещения', 'Барулар'],
  desk_intro: ['Visits of {region}: submitted ones first. Open one to compare the members’ values, settle what is open and approve it.',
    'Посещения региона {region}: сначала переданные. Откройте посещение, чтобы сравнить значения участников, решить открытые вопросы и утвердить его.',
    '{region} өңірінің барулары: алдымен тапсырылғандары. Қатысушылардың мәндерін салыстыру, ашық мәселелерді шешу және бекіту үшін баруды ашыңыз.'],
  desk_not_for_role: ['This screen is for coordinators, coalition staff and administrators.', 'Этот экран — для координаторов, сотрудников коалиции и администраторов.', 'Бұл экран үйлестірушілерге, коалиция қызметкерлеріне және әкімшілерге арналған.'],
  offline_desk: ['No connection to the server. The review screens need a connection.', 'Нет связи с сервером. Для экранов проверки нужна связь.', 'Сервермен байланыс жоқ. Тексеру экрандары үшін байланыс қажет.'],
  desk_signed_out: ['The server no longer accepts this sign-in. Sign out and sign in again.', 'Сервер больше не принимает этот вход. Выйдите и войдите снова.', 'Сервер бұл кіруді енді қабылдамайды. Шығып, қайта кіріңіз.'],
  desk_forbidden: ['Your role may not do this', 'Ваша роль не позволяет это сделать', 'Рөліңіз мұны істеуге рұқсат бермейді'],
  visit_locked: ['The visit is approved and locked. Reopen it first.', 'Посещение утверждено и закрыто для изменений. Сначала откройте его заново.', 'Бару бекітілген және өзгертуге жабық. Алдымен оны қайта ашыңыз.'],
  status: ['Status', 'Статус', 'Мәртебесі'],
  all_statuses: ['All statuses', 'Все статусы', 'Барлық мәртебелер'],
  shown_of: ['{n} of {total} visits', 'Посещений: {n} из {total}', 'Барулар: {total} ішінен {n}'],
  team_n: ['team of {n}', 'в группе: {n}', 'топта: {n}'],
  demo: ['demo data', 'демо-данные', 'демо-деректер'],
  no_visits_desk: ['No visits yet.', 'Посещений пока нет.', 'Әзірге барулар жоқ.'],
  no_facilities_desk: ['No facilities.', 'Учреждений нет.', 'Мекемелер жоқ.'],
  region_reports: ['Regional summary', 'Сводка по региону', 'Өңір бойынша жиынтық'],
  pick_region_for_report: ['Choose a region above to export its summary.', 'Выберите регион выше, чтобы выгрузить сводку.', 'Жиынтықты жүктеп алу үшін жоғарыдан өңірді таңдаңыз.'],
  ended_at: ['Ended at', 'Окончание', 'Аяқталуы'],
  announced_short: ['Announced', 'Объявлено заранее', 'Алдын ала хабарланды'],
  ombuds_short: ['Ombudsperson’s representative', 'Представитель Уполномоченного', 'Уәкілдің өкілі'],
  refused_short: ['Access refused or delayed', 'Отказ или задержка доступа', 'Кіруге рұқсат бермеу не кідірту'],
  facility_page: ['Facility page', 'Страница учреждения', 'Мекеме беті'],
  audit_trail: ['Audit trail', 'Журнал изменений', 'Өзгерістер журналы'],
  to_resolve: ['To resolve', 'Требует решения', 'Шешуді қажет етеді'],
  queue_hint: ['Members’ values that differ and sync conflicts. For each, write a short reason, then pick a member’s value or enter another one.',
    'Расхождения между участниками и конфликты синхронизации. Для каждого впишите краткую причину, затем выберите значение участника или введите другое.',
    'Қатысушылар мәндерінің алшақтықтары мен синхрондау қайшылықтары. Әрқайсысы үшін қысқа себебін жазып, қатысушының мәнін таңдаңыз немесе басқа мән енгізіңіз.'],
  queue_hint_readonly: ['Only the region’s coordinator can settle these.', 'Решать их может только координатор региона.', 'Оларды тек өңір үйлестірушісі шеше алады.'],
  queue_empty: ['Nothing left to resolve: every answered item is agreed or decided.', 'Решать больше нечего: по каждому пункту с ответами значения участников совпадают или решение принято.', 'Шешетін ештеңе қалмады: жауап берілген әр тармақ бойынша қатысушылардың мәндері сәйкес келеді немесе шешім қабылданған.'],
  open_disagreement: ['members’ values differ', 'значения участников расходятся', 'қатысушылардың мәндері сәйкес емес'],
  open_conflict: ['sync conflict', 'конфликт синхронизации', 'синхрондау қайшылығы'],
  reason: ['Reason for the decision', 'Причина решения', 'Шешімнің себебі'],
  reason_example: ['e.g. re-measured with the facility’s plan', 'напр. перепроверено по плану помещения', 'мыс. үй-жай жоспары бойынша қайта тексерілді'],
  reason_required: ['Write a short reason first.', 'Сначала впишите краткую причину.', 'Алдымен қысқа себебін жазыңыз.'],
  use_value: ['Use {value} ({name})', 'Принять {value} ({name})', '{value} мәнін қабылдау ({name})'],
  other_value: ['Another value', 'Другое значение', 'Басқа мән'],
  use_other_value: ['Use this value', 'Принять это значение', 'Осы мәнді қабылдау'],
  value_required: ['Enter the value.', 'Введите значение.', 'Мәнін енгізіңіз.'],
  pick_one: ['Pick one of the options.', 'Выберите один из вариантов.', 'Нұсқалардың бірін таңдаңыз.'],
  conflict_explain: ['Two devices changed the same field without seeing each other’s change ({name}, {time}). One value was kept; the other was set aside.',
    'Два устройства изменили одно поле, не видя изменений друг друга ({name}, {time}). Одно значение сохранено, другое отложено.',
    'Екі құрылғы бір-бірінің өзгерісін көрмей, бір өрісті өзгертті ({name}, {time}). Бір мән сақталды, екіншісі шетке қойылды.'],
  kept_value: ['Value kept', 'Сохранённое значение', 'Сақталған мән'],
  set_aside_value: ['Value set aside', 'Отложенное значение', 'Шетке қойылған мән'],
  keep_value: ['Keep {value}', 'Оставить {value}', '{value} мәнін қалдыру'],
  decision_saved: ['Saved: {what} = {value}', 'Сохранено: {what} = {value}', 'Сақталды: {what} = {value}'],
  approval: ['Approval', 'Утверждение', 'Бекіту'],
  approve_visit: ['Approve visit', 'Утвердить посещение', 'Баруды бекіту'],
  approve_hint: ['Approving locks the visit: members can no longer change it. You can reopen it with a reason.', 'Утверждение закрывает посещение: участники больше не смогут его изменить. Открыть заново можно, указав причину.', 'Бекіту баруды жабады: қатысушылар оны енді өзгерте алмайды. Себебін көрсетіп, қайта ашуға болады.'],
  approve_blocked_hint: ['{n} item(s) are still to resolve: the visit cannot be approved until they are settled.', 'Нерешённых вопросов: {n}. Пока они не решены, посещение нельзя утвердить.', 'Шешілмеген мәселелер: {n}. Олар шешілмейінше, баруды бекітуге болмайды.'],
  approve_refused: ['The visit cannot be approved yet: {n} item(s) are still to resolve.', 'Посещение пока нельзя утвердить: нерешённых вопросов — {n}.', 'Баруды әзірге бекітуге болмайды: шешілмеген мәселелер — {n}.'],
  visit_approved: ['The visit is approved and locked.', 'Посещение утверждено и закрыто для изменений.', 'Бару бекітілді және өзгертуге жабылды.'],
  approved_note: ['Approved: members can no longer change this visit.', 'Утверждено: участники больше не могут изменять это посещение.', 'Бекітілді: қатысушылар бұл баруды енді өзгерте алмайды.'],
  reopen_visit: ['Reopen visit', 'Открыть посещение заново', 'Баруды қайта ашу'],
  reopen_hint: ['Reopening lets members correct the visit again. The reason is kept in the visit’s history.', 'После повторного открытия участники снова смогут исправлять посещение. Причина сохраняется в истории посещения.', 'Қайта ашқаннан кейін қатысушылар баруды қайтадан түзете алады. Себебі бару тарихында сақталады.'],
  visit_reopened: ['The visit is open again.', 'Посещение снова открыто.', 'Бару қайта ашылды.'],
  read_only_desk: ['Read only: decisions are made by the region’s coordinator.', 'Только просмотр: решения принимает координатор региона.', 'Тек қарау: шешімдерді өңір үйлестірушісі қабылдайды.'],
  key_indicators: ['Key indicators', 'Основные показатели', 'Негізгі көрсеткіштер'],
  side_by_side: ['Members’ values side by side', 'Сравнение значений участников', 'Қатысушылардың мәндерін салыстыру'],
  side_by_side_hint: ['Each member’s value with their note, and the consolidated value that counts for the visit.', 'Значение каждого участника с его примечанием и сводное значение, которое учитывается для посещения.', 'Әр қатысушының мәні мен ескертпесі және баруға есептелетін жиынтық мән.'],
  item: ['Item', 'Пункт', 'Тармақ'],
  consolidated: ['Consolidated', 'Сводное', 'Жиынтық'],
  st_agreed: ['members agree', 'участники согласны', 'қатысушылар келіседі'],
  st_one_answered: ['one member answered', 'ответил один участник', 'бір қатысушы жауап берді'],
  st_decided_by: ['decided by {name}', 'решение: {name}', 'шешім: {name}'],
  st_to_resolve: ['to resolve', 'требует решения', 'шешуді қажет етеді'],
  changed_since_decision: ['changed after the decision', 'изменено после решения', 'шешімнен кейін өзгертілді'],
  nothing_answered: ['Nothing answered here.', 'Здесь нет ответов.', 'Мұнда жауаптар жоқ.'],
  unanswered_n: ['{n} item(s) not answered by anyone', 'Без ответа: {n}', 'Жауапсыз: {n}'],
  status_history: ['Status history', 'История статусов', 'Мәртебелер тарихы'],
  no_status_history: ['No approvals or reopenings yet.', 'Утверждений и повторных открытий пока не было.', 'Әзірге бекіту немесе қайта ашу болған жоқ.'],
  audit_hint: ['Every change of this visit’s records as the server received it: who, from which device, when, and what.', 'Все изменения записей посещения в том виде, как их получил сервер: кто, с какого устройства, когда и что.', 'Бару жазбаларының сервер алған күйіндегі барлық өзгерістері: кім, қай құрылғыдан, қашан және не.'],
  audit_empty: ['No changes recorded.', 'Изменений не записано.', 'Өзгерістер жазылмаған.'],
  redacted: ['Contents withheld from your role.', 'Содержание скрыто для вашей роли.', 'Мазмұны сіздің рөліңіз үшін жасырылған.'],
  aa_upsert: ['change', 'изменение', 'өзгеріс'],
  aa_delete: ['deletion', 'удаление', 'жою'],
  aa_approve: ['approval', 'утверждение', 'бекіту'],
  aa_reopen: ['reopening', 'повторное открытие', 'қайта ашу'],
  op_applied: ['applied', 'применено', 'қолданылды'],
  op_conflict: ['conflict', 'конфликт', 'қайшылық'],
  op_rejected: ['rejected', 'отклонено', 'қабылданбады'],
  op_duplicate: ['duplicate', 'повтор', 'қайталанған'],
  reports: ['Reports', 'Отчёты', 'Есептер'],
  report_pdf: ['Facility condition report (PDF)', 'Отчёт о состоянии (PDF)', 'Жағдай туралы есеп (PDF)'],
  report_csv: ['Tables for spreadsheets (CSV)', 'Таблицы для Excel (CSV)', 'Excel-ге арналған кестелер (CSV)'],
  csv_observations: ['consolidated values', 'сводные значения', 'жиынтық мәндер'],
  csv_indicators: ['indicators', 'показатели', 'көрсеткіштер'],
  csv_recommendations: ['recommendations', 'рекомендации', 'ұсынымдар'],
  period_from: ['From', 'С', 'Бастап'],
  period_to: ['To', 'По', 'Дейін'],
  period_hint: ['Leave the dates empty for every visit.', 'Оставьте даты пустыми, чтобы включить все посещения.', 'Барлық баруды қосу үшін күндерді бос қалдырыңыз.'],
  report_detail_all: ['Full annex: every location of every visit (longer)', 'Полное приложение: все помещения каждого посещения (длиннее)', 'Толық қосымша: әр барудың барлық үй-жайы (ұзағырақ)'],
  report_unapproved: ['The period holds visits the coordinator has not approved yet. Export them anyway? The report will be marked provisional.', 'За период есть посещения, ещё не утверждённые координатором. Всё равно выгрузить? Отчёт будет помечен как предварительный.', 'Кезеңде үйлестіруші әлі бекітпеген барулар бар. Бәрібір шығару керек пе? Есеп алдын ала деп белгіленеді.'],
  report_unapproved_yes: ['Export, marked provisional', 'Выгрузить как предварительный', 'Алдын ала деп шығару'],
  report_preparing: ['Preparing the report…', 'Готовим отчёт…', 'Есеп дайындалуда…'],
  report_downloaded: ['Downloaded {name} ({size})', 'Скачан файл {name} ({size})', '{name} файлы жүктелді ({size})'],
  visits_over_time: ['Visits over time', 'Посещения в динамике', 'Барулар динамикасы'],
  visits_over_time_hint: ['Consolidated indicators of each visit: the worst place counts. Open a visit below for each place’s figures.', 'Сводные показатели каждого посещения по худшему помещению. Ниже можно открыть данные по каждому помещению.', 'Әр барудың жиынтық көрсеткіштері ең нашар үй-жай бойынша. Төменде әр үй-жайдың деректерін ашуға болады.'],
  open_items_n: ['{n} open', 'открыто: {n}', 'ашық: {n}'],
  made_at: ['made at the visit of {date}', 'дана при посещении {date}', '{date} күнгі баруда берілген'],
  checked_at: ['checked at the visit of {date}', 'проверено при посещении {date}', '{date} күнгі баруда тексерілді'],
  quarantine: ['Quarantine', 'Карантин', 'Карантин'],
  quarantine_hint: ['Changes the server refused, kept verbatim with the reason: show them to the member who made them.', 'Изменения, отклонённые сервером, сохранены как есть вместе с причиной: покажите их участнику, который их сделал.', 'Сервер қабылдамаған өзгерістер себебімен бірге өзгеріссіз сақталған: оларды жасаған қатысушыға көрсетіңіз.'],
  quarantine_empty: ['No refused changes.', 'Отклонённых изменений нет.', 'Қабылданбаған өзгерістер жоқ.'],
  operation: ['Change', 'Изменение', 'Өзгеріс'],
  device: ['device', 'устройство', 'құрылғы'],
  users_devices: ['Users and devices', 'Пользователи и устройства', 'Пайдаланушылар мен құрылғылар'],
  users: ['Users', 'Пользователи', 'Пайдаланушылар'],
  user: ['User', 'Пользователь', 'Пайдаланушы'],
  all_users: ['All users', 'Все пользователи', 'Барлық пайдаланушылар'],
  devices: ['Devices', 'Устройства', 'Құрылғылар'],
  devices_hint: ['Revoke a lost or seized phone: its next request is refused. What it already sent stays on the server.', 'Отзовите доступ утерянного или изъятого телефона: его следующий запрос будет отклонён. Уже отправленное остаётся на сервере.', 'Жоғалған немесе алынып қойылған телефонның рұқсатын тоқтатыңыз: оның келесі сұрауы қабылданбайды. Бұрын жіберілгені серверде қалады.'],
  role: ['Role', 'Роль', 'Рөлі'],
  role_member: ['member', 'участник', 'қатысушы'],
  role_coordinator: ['coordinator', 'координатор', 'үйлестіруші'],
  role_staff: ['coalition staff', 'сотрудник коалиции', 'коалиция қызметкері'],
  role_admin: ['administrator', 'администратор', 'әкімші'],
  full_name: ['Full name', 'Имя и фамилия', 'Аты-жөні'],
  initial_password: ['First password', 'Первоначальный пароль', 'Алғашқы құпиясөз'],
  new_password: ['New password', 'Новый пароль', 'Жаңа құпиясөз'],
  password_short: ['At least {n} characters.', 'Не менее {n} символов.', 'Кемінде {n} таңба.'],
  password_long: ['The password is too long: at most 72 bytes (about 36 Cyrillic letters).', 'Пароль слишком длинный: не более 72 байт (около 36 букв кириллицы).', 'Құпиясөз тым ұзын: 72 байттан аспауы керек (шамамен 36 кирилл әрпі).'],
  password_has_username: ['The password must not contain the username.', 'Пароль не должен содержать имя пользователя.', 'Құпиясөзде пайдаланушы аты болмауы керек.'],
  password_common: ['This password is on the list of common passwords. Choose a longer phrase of your own.', 'Этот пароль есть в списке распространённых паролей. Придумайте свою, более длинную фразу.', 'Бұл құпиясөз жиі қолданылатын құпиясөздер тізімінде бар. Өзіңіз ойлап тапқан ұзынырақ сөз тіркесін таңдаңыз.'],
  region_required: ['Members and coordinators need a region.', 'Участнику и координатору нужен регион.', 'Қатысушы мен үйлестірушіге өңір қажет.'],
  new_user: ['New user', 'Новый пользователь', 'Жаңа пайдаланушы'],
  create_user: ['Create user', 'Создать пользователя', 'Пайдаланушы құру'],
  user_created: ['{name} can now sign in.', '{name} теперь может войти.', '{name} енді кіре алады.'],
  user_saved: ['Saved: {name}.', 'Сохранено: {name}.', 'Сақталды: {name}.'],
  manage: ['Manage', 'Управление', 'Басқару'],
  reset_password: ['Set new password', 'Задать новый пароль', 'Жаңа құпиясөз орнату'],
  password_set: ['New password set for {name}. Their devices stay signed in; revoke them if the account may be compromised.', 'Новый пароль для {name} задан. Устройства остаются в системе; отзовите их, если учётная запись могла быть скомпрометирована.', '{name} үшін жаңа құпиясөз орнатылды. Құрылғылар жүйеде қалады; тіркелгі бұзылған болуы мүмкін болса, олардың рұқсатын тоқтатыңыз.'],
  unlock: ['Lift sign-in lock', 'Снять блокировку входа', 'Кіру бұғатын алып тастау'],
  user_unlocked: ['{name} can sign in again.', '{name} снова может войти.', '{name} қайта кіре алады.'],
  disable: ['Disable account', 'Отключить учётную запись', 'Тіркелгіні тоқтату'],
  enable: ['Enable account', 'Включить учётную запись', 'Тіркелгіні қосу'],
  disabled: ['disabled', 'отключена', 'тоқтатылған'],
  user_disabled: ['{name} is disabled.', 'Учётная запись {name} отключена.', '{name} тіркелгісі тоқтатылды.'],
  user_enabled: ['{name} is enabled.', 'Учётная запись {name} включена.', '{name} тіркелгісі қосылды.'],
  self_hint: ['You cannot change your own role or disable yourself.', 'Нельзя изменить свою роль или отключить себя.', 'Өз рөліңізді өзгерте алмайсыз және өз тіркелгіңізді тоқтата алмайсыз.'],
  revoke: ['Revoke', 'Отозвать доступ', 'Рұқсатты тоқтату'],
  revoke_confirm: ['Revoke this device? At its next connection it deletes all Inspecta data it holds: whatever it has not synced is lost for good.',
    'Отозвать доступ этого устройства? При следующем подключении оно удалит все данные Inspecta: всё, что не было синхронизировано, будет потеряно безвозвратно.',
    'Бұл құрылғының рұқсатын тоқтату керек пе? Келесі қосылғанда ол Inspecta деректерінің бәрін жояды: синхрондалмағанның бәрі біржола жоғалады.'],
  last_push: ['last synced its changes {time}', 'последняя отправка изменений: {time}', 'өзгерістерді соңғы жіберген уақыты: {time}'],
  never_pushed: ['never sent changes', 'изменения ни разу не отправлялись', 'өзгерістер ешқашан жіберілмеген'],
  revoked: ['revoked', 'доступ отозван', 'рұқсат тоқтатылған'],
  device_revoked: ['The device is revoked.', 'Доступ устройства отозван.', 'Құрылғының рұқсаты тоқтатылды.'],
  device_since: ['signed in {time}', 'вход {time}', '{time} кірген'],
  last_seen: ['last seen {time}', 'последняя активность: {time}', 'соңғы белсенділік: {time}'],
  revoked_at: ['revoked {time}', 'отозван {time}', '{time} тоқтатылған'],
  no_devices: ['No devices.', 'Устройств нет.', 'Құрылғылар жоқ.'],
  audit_when: ['When', 'Когда', 'Қашан'],
  audit_who: ['Who', 'Кто', 'Кім'],
  audit_record: ['Record', 'Запись', 'Жазба'],
  audit_change: ['What changed', 'Что изменено', 'Не өзгерді'],
  af_checklist: ['Checklist', 'Контрольный лист', 'Бақылау парағы'],
  af_value: ['Value', 'Значение', 'Мәні'],
  reason_short: ['Reason', 'Причина', 'Себебі'],
  af_chosen: ['Member’s value chosen', 'Выбранное значение участника', 'Қатысушының таңдалған мәні'],
  af_checked_visit: ['Checked at visit', 'Проверено при посещении', 'Тексерілген бару'],
  reopened: ['reopened', 'открыто заново', 'қайта ашылды'],
  this_device: ['this device', 'это устройство', 'осы құрылғы'],
  af_deleted: ['deleted', 'удалено', 'жойылды'],
  af_kept: ['kept', 'сохранено', 'сақталды'],
  // The pre-approval check of what reports print (coord-publish.js).
  pub_title: ['What the reports will print', 'Что попадёт в отчёты', 'Есептерге не шығады'],
  pub_hint: ['Every free text of this visit that a report prints. Texts that may identify a person are marked and are not printed until you change them or clear them here.', 'Весь свободный текст этого посещения, который печатается в отчётах. Текст, который может указать на человека, отмечен и не печатается, пока вы его не измените или не разрешите здесь.', 'Осы барудың есептерде басылатын барлық еркін мәтіні. Адамды анықтауы мүмкін мәтін белгіленген және оны өзгерткенше не осы жерде рұқсат еткенше басылмайды.'],
  pub_none: ['This visit has no free text that a report prints.', 'В этом посещении нет свободного текста для отчётов.', 'Бұл баруда есепке шығатын еркін мәтін жоқ.'],
  pub_flag_name: ['looks like a person’s name', 'похоже на имя человека', 'адамның атына ұқсайды'],
  pub_flag_birth_date: ['looks like a date of birth', 'похоже на дату рождения', 'туған күнге ұқсайды'],
  pub_flag_iin: ['looks like an IIN', 'похоже на ИИН', 'ЖСН-ге ұқсайды'],
  pub_withheld: ['not printed until changed or cleared', 'не печатается, пока не изменено или не разрешено', 'өзгертілгенше не рұқсат етілгенше басылмайды'],
  pub_cleared: ['cleared for printing', 'разрешено к печати', 'басуға рұқсат етілді'],
  pub_clear: ['Clear for printing', 'Разрешить печать', 'Басуға рұқсат ету'],
  pub_rt_location: ['Place', 'Место', 'Орын'],
  pub_rt_recommendation: ['Recommendation', 'Рекомендация', 'Ұсыным'],
  pub_rt_observation: ['Note cleared for publication', 'Заметка, разрешённая к публикации', 'Жариялауға рұқсат етілген жазба'],
  pub_summary: ['{n} text(s), {f} flagged, {w} not printed', 'Текстов: {n}, отмечено: {f}, не печатается: {w}', 'Мәтін: {n}, белгіленген: {f}, басылмайды: {w}'],
  // The organisation settings and the annual report (coord-org.js).
  org_title: ['Organisation', 'Организация', 'Ұйым'],
  org_hint: ['The organisation that issues the reports: printed in the header of every report.',
    'Организация, от имени которой выпускаются отчёты: указывается в шапке каждого отчёта.',
    'Есептерді шығаратын ұйым: әр есептің тақырыпшасында көрсетіледі.'],
  org_is_demo: ['These are the demo data set’s settings (labelled [DEMO]). Replace them before any real report.',
    'Это настройки демонстрационного набора данных (с пометкой [DEMO]). Замените их до подготовки настоящих отчётов.',
    'Бұл демонстрациялық деректер жинағының баптаулары ([DEMO] белгісімен). Нақты есептерден бұрын оларды ауыстырыңыз.'],
  org_name: ['Full name', 'Полное название', 'Толық атауы'],
  org_short: ['Short name', 'Краткое название', 'Қысқаша атауы'],
  org_what: ['What it is (e.g. NGO coalition; members of the NPM)', 'Что это за организация (например, коалиция НПО; члены НПМ)', 'Ұйымның түрі (мысалы, ҮЕҰ коалициясы; ҰАТ мүшелері)'],
  org_contact: ['Contact (e-mail, telephone)', 'Контакты (эл. почта, телефон)', 'Байланыс (эл. пошта, телефон)'],
  org_logo: ['Logo', 'Логотип', 'Логотип'],
  org_no_logo: ['No logo', 'Логотипа нет', 'Логотип жоқ'],
  org_logo_pick: ['PNG file, at most 256 KB', 'Файл PNG, не более 256 КБ', 'PNG файлы, 256 КБ-тан аспайды'],
  org_logo_bad: ['The logo must be a PNG image of at most 256 KB.', 'Логотип должен быть изображением PNG не более 256 КБ.', 'Логотип көлемі 256 КБ-тан аспайтын PNG суреті болуы керек.'],
  org_logo_remove: ['Remove the logo', 'Удалить логотип', 'Логотипті жою'],
  org_saved: ['Organisation settings saved.', 'Настройки организации сохранены.', 'Ұйым баптаулары сақталды.'],
  annual_report: ['Annual report', 'Годовой доклад', 'Жылдық баяндама'],
  annual_hint: ['Visits, obstruction, facilities below the standards and recommendations over a period, compared with the period before. No region picked: all regions.',
    'Посещения, воспрепятствование, учреждения ниже стандартов и рекомендации за период в сравнении с предыдущим. Если регион не выбран — все регионы.',
    'Кезеңдегі барулар, кедергілер, стандарттан төмен мекемелер және ұсынымдар, алдыңғы кезеңмен салыстырғанда. Өңір таңдалмаса — барлық өңірлер.'],
  annual_regions: ['Regions', 'Регионы', 'Өңірлер'],
  fn_title: ['Name, authority and address in each language', 'Название, ведомство и адрес на каждом языке', 'Атауы, ведомствосы және мекенжайы әр тілде'],
  fn_hint: ['Reports print the reader\'s language; an empty field falls back to Russian, Kazakh, English, then the name first entered.', 'Отчёты печатают язык читателя; пустое поле заменяется русским, казахским, английским, затем первоначально введённым названием.', 'Есептер оқырманның тілінде басылады; бос өріс орыс, қазақ, ағылшын тілдеріндегі, содан кейін алғаш енгізілген атаумен ауыстырылады.'],
  fn_saved: ['Names saved.', 'Названия сохранены.', 'Атаулар сақталды.'],
  fn_nothing_changed: ['Nothing was changed.', 'Ничего не изменено.', 'Ештеңе өзгертілмеді.'],
  annual_include_unapproved: ['Count visits not yet approved (the report is marked provisional)', 'Учитывать ещё не утверждённые посещения (доклад будет помечен как предварительный)', 'Әлі бекітілмеген баруларды есепке алу (баяндама алдын ала деп белгіленеді)'],
  annual_need_period: ['Give both dates of the period.', 'Укажите обе даты периода.', 'Кезеңнің екі күнін де көрсетіңіз.'],
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
