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
    'iPhone мен iPad-та: «Бөлісу» → «Басты экранға қосу» басып, деректерді енгізбес БҰРЫН Inspecta-ны сол жерден ашыңыз. Әйтпесе Safari жазғаныңызды өшіруі мүмкін.'],
  offline: ['Offline: saved on this phone', 'Нет связи: сохранено на телефоне', 'Байланыс жоқ: телефонда сақталды'],
  sync_failed: ['Sync failed', 'Ошибка синхронизации', 'Синхрондау қатесі'],
  synced_at: ['Synced {time}', 'Синхронизировано {time}', 'Синхрондалды {time}'],
  never_synced: ['Not synced yet', 'Ещё не синхронизировано', 'Әлі синхрондалмаған'],
  waiting_n: ['{n} waiting to send', 'ждут отправки: {n}', 'жіберуді күтуде: {n}'],
  rejected_n: ['{n} rejected', 'отклонено: {n}', 'қабылданбады: {n}'],
  sync_now: ['Sync now', 'Синхронизировать', 'Қазір синхрондау'],
  syncing: ['Syncing…', 'Синхронизация…', 'Синхрондалуда…'],
  sync: ['Sync', 'Синхронизация', 'Синхрондау'],
  download_again: ['Download checklist and lists again', 'Заново загрузить контрольный лист и справочники', 'Бақылау парағы мен анықтамалықтарды қайта жүктеу'],
  facilities: ['Facilities', 'Учреждения', 'Мекемелер'],
  facility: ['Facility', 'Учреждение', 'Мекеме'],
  my_visits: ['My visits', 'Мои посещения', 'Менің барулар'],
  search_name: ['Search by name', 'Поиск по названию', 'Атауы бойынша іздеу'],
  region: ['Region', 'Регион', 'Өңір'],
  type: ['Type', 'Тип', 'Түрі'],
  all_regions: ['All regions', 'Все регионы', 'Барлық өңірлер'],
  all_types: ['All types', 'Все типы', 'Барлық түрлері'],
  no_match: ['No facility matches.', 'Ничего не найдено.', 'Ештеңе табылмады.'],
  no_facilities: ['No facilities on this phone yet. Sync to download them.', 'На телефоне пока нет учреждений. Синхронизируйте, чтобы загрузить.', 'Телефонда әлі мекемелер жоқ. Жүктеу үшін синхрондаңыз.'],
  unverified: ['not yet confirmed', 'не подтверждено', 'расталмаған'],
  add_facility: ['Add a facility', 'Добавить учреждение', 'Мекеме қосу'],
  add_facility_hint: ['A facility you add stays "not yet confirmed" until your coordinator confirms it.', 'Добавленное вами учреждение остаётся неподтверждённым, пока его не подтвердит координатор.', 'Сіз қосқан мекеме үйлестіруші растағанға дейін расталмаған болып қалады.'],
  name: ['Name', 'Название', 'Атауы'],
  authority: ['Authority (ministry)', 'Ведомство', 'Ведомство'],
  address: ['Address', 'Адрес', 'Мекенжайы'],
  capacity: ['Official capacity', 'Лимит наполнения', 'Белгіленген сыйымдылығы'],
  name_required: ['Enter the name.', 'Введите название.', 'Атауын енгізіңіз.'],
  capacity_whole: ['Capacity must be a whole number.', 'Лимит должен быть целым числом.', 'Сыйымдылық бүтін сан болуы керек.'],
  save: ['Save', 'Сохранить', 'Сақтау'],
  not_found: ['Not found on this phone.', 'На телефоне не найдено.', 'Телефоннан табылмады.'],
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
  ombuds_rep: ['Accompanied by a representative of the Ombudsperson?', 'Сопровождал ли представитель Уполномоченного по правам человека?', 'Адам құқықтары жөніндегі уәкілдің өкілі бірге жүрді ме?'],
  access_refused: ['Access to any area refused or delayed?', 'Был ли отказ или задержка доступа в помещения?', 'Қандай да бір үй-жайға кіруден бас тарту немесе кідірту болды ма?'],
  check_recommendations: ['Check earlier recommendations', 'Проверка прежних рекомендаций', 'Бұрынғы ұсынымдарды тексеру'],
  check_recommendations_hint: ['Mark what you find on this visit; leave "not checked" otherwise.', 'Отметьте, что вы увидели в этом посещении; иначе оставьте «не проверено».', 'Осы баруда көргеніңізді белгілеңіз; әйтпесе «тексерілмеді» қалдырыңыз.'],
  no_open_recommendations: ['No open recommendations for this facility.', 'Открытых рекомендаций по учреждению нет.', 'Мекеме бойынша ашық ұсынымдар жоқ.'],
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
  answered_n: ['{n} answered', 'ответов: {n}', 'жауаптар: {n}'],
  visit_checklist: ['Visit checklist', 'Вопросы по посещению', 'Бару бойынша сұрақтар'],
  confidential_notes: ['Confidential notes', 'Конфиденциальные заметки', 'Құпия жазбалар'],
  submit_visit: ['Submit visit', 'Отправить посещение', 'Баруды жіберу'],
  submit_confirm: ['Submit this visit to the coordinator? You can still correct it until it is approved.', 'Передать посещение координатору? Исправлять можно до утверждения.', 'Баруды үйлестірушіге жіберу керек пе? Бекітілгенге дейін түзетуге болады.'],
  visit_submitted_note: ['Submitted. Corrections are still possible until the coordinator approves the visit.', 'Отправлено. Исправления возможны до утверждения координатором.', 'Жіберілді. Үйлестіруші бекіткенге дейін түзетуге болады.'],
  cancel: ['Cancel', 'Отмена', 'Бас тарту'],
  back_to_visit: ['Visit', 'К посещению', 'Баруға'],
  section: ['Section', 'Раздел', 'Бөлім'],
  prev_section: ['Back', 'Назад', 'Артқа'],
  next_section: ['Next section', 'Следующий раздел', 'Келесі бөлім'],
  done: ['Done', 'Готово', 'Дайын'],
  no_checklist: ['The checklist is not on this phone yet. Sync while online.', 'Контрольного листа ещё нет на телефоне. Синхронизируйте при наличии связи.', 'Бақылау парағы телефонда әлі жоқ. Байланыс болғанда синхрондаңыз.'],
  range_hint: ['{min} to {max} {unit}', 'от {min} до {max} {unit}', '{min} бастап {max} дейін {unit}'],
  err_range: ['Enter a value from {min} to {max} {unit}.', 'Введите значение от {min} до {max} {unit}.', '{min} бастап {max} дейінгі мән енгізіңіз ({unit}).'],
  err_not_number: ['Enter a number, such as 11.5.', 'Введите число, например 11,5.', 'Сан енгізіңіз, мысалы 11,5.'],
  err_not_whole: ['Enter a whole number.', 'Введите целое число.', 'Бүтін сан енгізіңіз.'],
  err_too_long: ['At most {n} characters.', 'Не более {n} символов.', 'Ең көбі {n} таңба.'],
  now: ['Now', 'Сейчас', 'Қазір'],
  personal_hint: ['This answer may identify a person: it is never exported.', 'Ответ может указывать на человека: он не попадает в выгрузки.', 'Жауап адамды анықтауы мүмкін: ол экспортталмайды.'],
  help_and_note: ['How to measure · note', 'Как измерять · заметка', 'Қалай өлшеу · жазба'],
  note: ['Note', 'Заметка', 'Жазба'],
  others_values: ["Colleagues' values", 'Значения коллег', 'Әріптестердің мәндері'],
  no_value: ['no value', 'нет значения', 'мән жоқ'],
  standard: ['Standard', 'Стандарт', 'Стандарт'],
  source: ['Source', 'Источник', 'Дереккөз'],
  band_red: ['below standard', 'ниже стандарта', 'стандарттан төмен'],
  band_amber: ['close to the limit', 'на грани стандарта', 'стандарт шегінде'],
  band_green: ['meets standard', 'соответствует стандарту', 'стандартқа сай'],
  band_context: ['for context only', 'для сведения', 'мәлімет үшін'],
  band_context_long: ['The threshold is not yet confirmed from a primary source: shown for context, not judged.', 'Порог ещё не подтверждён первоисточником: показан для сведения, без оценки.', 'Шек бастапқы дереккөзден әлі расталмаған: бағасыз, мәлімет үшін көрсетілген.'],
  new_recommendation: ['New recommendation', 'Новая рекомендация', 'Жаңа ұсыным'],
  rec_text: ['Recommendation', 'Текст рекомендации', 'Ұсыным мәтіні'],
  rec_category: ['Category', 'Категория', 'Санаты'],
  rec_addressee: ['Addressed to', 'Адресат', 'Кімге'],
  text_required: ['Enter the text.', 'Введите текст.', 'Мәтінді енгізіңіз.'],
  confidential: ['CONFIDENTIAL', 'КОНФИДЕНЦИАЛЬНО', 'ҚҰПИЯ'],
  confidential_explainer: ['Confidential: seen only by you and your regional coordinator, never exported or published. Do not write names unless needed for protection.',
    'Конфиденциально: видят только вы и региональный координатор; никогда не выгружается и не публикуется. Не пишите имена без необходимости для защиты.',
    'Құпия: тек сіз және өңірлік үйлестіруші көреді; ешқашан экспортталмайды және жарияланбайды. Қорғау үшін қажет болмаса, есімдерді жазбаңыз.'],
  new_confidential_note: ['New confidential note', 'Новая конфиденциальная заметка', 'Жаңа құпия жазба'],
  confidential_text: ['Note (interview, allegation)', 'Заметка (беседа, жалоба)', 'Жазба (әңгіме, шағым)'],
  where: ['Where', 'Где', 'Қайда'],
  whole_visit: ['Whole visit', 'Посещение в целом', 'Бару толығымен'],
  consent_label: ['The person gave express consent to publish (without their name)', 'Человек дал явное согласие на публикацию (без имени)', 'Адам жариялауға анық келісім берді (есімсіз)'],
  consent_given: ['consent to publish', 'согласие на публикацию', 'жариялауға келісім'],
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
    '{n} изменений НЕ дошли до сервера. Выход сейчас УДАЛИТ их с телефона навсегда. По возможности сначала синхронизируйте.',
    '{n} өзгеріс серверге ЖЕТПЕДІ. Қазір шықсаңыз, олар телефоннан біржола ӨШІРІЛЕДІ. Мүмкін болса, алдымен синхрондаңыз.'],
  signout_delete: ['Delete unsent changes and sign out', 'Удалить неотправленное и выйти', 'Жіберілмегенді өшіріп, шығу'],
  rt_facility: ['Facility', 'Учреждение', 'Мекеме'],
  rt_visit: ['Visit', 'Посещение', 'Бару'],
  rt_location: ['Place', 'Помещение', 'Үй-жай'],
  rt_observation: ['Answer', 'Ответ', 'Жауап'],
  rt_consolidation: ['Consolidated value', 'Сводное значение', 'Жиынтық мән'],
  rt_recommendation: ['Recommendation', 'Рекомендация', 'Ұсыным'],
  rt_confidential_note: ['Confidential note', 'Конфиденциальная заметка', 'Құпия жазба'],
  vk_regular: ['Regular', 'Плановое', 'Жоспарлы'],
  vk_special: ['Special', 'Специальное', 'Арнайы'],
  vk_follow_up: ['Follow-up', 'Повторное', 'Қайталама'],
  vs_draft: ['draft', 'черновик', 'жоба'],
  vs_submitted: ['submitted', 'отправлено', 'жіберілді'],
  vs_approved: ['approved', 'утверждено', 'бекітілді'],
  rs_open: ['open', 'открыта', 'ашық'],
  rs_in_progress: ['in progress', 'выполняется', 'орындалуда'],
  rs_implemented: ['implemented', 'выполнена', 'орындалды'],
  rs_not_implemented: ['not implemented', 'не выполнена', 'орындалмады'],
  rs_superseded: ['superseded', 'заменена', 'ауыстырылды'],
  lk_cell: ['Cell', 'Камера', 'Камера'],
  lk_ward: ['Ward', 'Палата', 'Палата'],
  lk_dormitory: ['Dormitory', 'Общежитие (спальня)', 'Жатақхана'],
  lk_yard: ['Exercise yard', 'Прогулочный двор', 'Серуендеу ауласы'],
  lk_sanitary: ['Sanitary block', 'Санузел', 'Санитарлық бөлме'],
  lk_medical: ['Medical unit', 'Медчасть', 'Медициналық бөлім'],
  lk_kitchen: ['Kitchen', 'Пищеблок', 'Асхана'],
  lk_visiting_room: ['Visiting room', 'Комната свиданий', 'Кездесу бөлмесі'],
  lk_other: ['Other', 'Другое', 'Басқа'],
  ft_ivs: ['Temporary detention isolator (IVS)', 'ИВС', 'Уақытша ұстау изоляторы (УҰИ)'],
  ft_sizo: ['Pre-trial detention (SIZO)', 'СИЗО', 'Тергеу изоляторы (ТИ)'],
  ft_colony: ['Penal colony', 'Исправительное учреждение', 'Түзеу мекемесі'],
  ft_special_reception: ['Special reception centre', 'Спецприёмник', 'Арнайы қабылдау орны'],
  ft_reception_distribution: ['Reception-distribution centre', 'Приёмник-распределитель', 'Қабылдау-тарату орны'],
  ft_juvenile_centre: ['Juvenile adaptation centre', 'Центр адаптации несовершеннолетних', 'Кәмелетке толмағандарды бейімдеу орталығы'],
  ft_psychiatric: ['Psychiatric hospital', 'Психиатрическая больница', 'Психиатриялық аурухана'],
  ft_social_care: ['Social-care home', 'Медико-социальное учреждение', 'Медициналық-әлеуметтік мекеме'],
  ft_children_institution: ["Children's institution", 'Детское учреждение', 'Балалар мекемесі'],
  ft_military_guardhouse: ['Military guardhouse', 'Гауптвахта', 'Гауптвахта'],
  ft_other: ['Other', 'Другое', 'Басқа'],
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
  if (typeof v !== 'number') return '';
  return new Intl.NumberFormat(current, { maximumFractionDigits: plain ? 6 : 2, useGrouping: !plain }).format(v);
}

export function fmtTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(current, { dateStyle: 'short', timeStyle: 'short' }).format(d);
}

/** strings exposes the table for the unit test that checks every language is present. */
export const strings = S;
