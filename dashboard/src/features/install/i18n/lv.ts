import type { Translation } from '../../../lib/i18n';
import type en from './en';

export default {
  title: 'Uzstādīšana',
  description: 'Pievienojiet Beckon vietnei {site}: viens script tags, bez būvēšanas.',
  addSnippet: 'Pievienojiet kodu',
  addSnippetHint:
    'Ielīmējiet to katras lapas HTML tieši pirms {tag} vai pievienojiet kā pielāgotu HTML tagu savā tagu pārvaldniekā.',
  copySnippet: 'Kopēt kodu',
  queueSummary: 'Neobligāti: izsaukt Beckon pirms skripta ielādes',
  queueHint:
    'Pievienojiet šo rindu virs koda, ja lapa agri izsauc {identify} vai {track}. Izsaukumi tiek ierindoti un izpildīti, tiklīdz logrīks ir gatavs.',
  checkWorks: 'Pārbaudiet, vai darbojas',
  checkWorksHint:
    'Atveriet lapu ar kodu: stūrī parādās palaidējs, un apmeklējums sekundes laikā redzams lapā “Apmeklētāji”.',
  tryDemo: 'Izmēģināt demo veikalā',
  siteDetails: 'Vietnes dati',
  siteKey: 'Vietnes atslēga',
  template: 'Veidne',
  templateB2b: 'B2B / pakalpojumi',
  templateShop: 'Interneta veikals',
  created: 'Izveidota',
  allowWebsite: 'Atļaujiet savu vietni',
  allowWebsiteHint:
    'Logrīks darbojas tikai šajos avotos; pieprasījumi no citurienes tiek noraidīti. Pievienojiet katru domēnu, kurā ir kods, arī testa vidi.',
  saved: 'Saglabāts.',
  unsaved: 'Nesaglabātas izmaiņas',
  discard: 'Atmest',
  saving: 'Saglabā…',
  saveOrigins: 'Saglabāt avotus',
  adminsOnly: 'Atļautos avotus var mainīt tikai administratori.',
  addFailed: 'Neizdevās pievienot {origin}: {error}',
  healthTitle: 'Noraidīts un atmests (pēdējās 24 h)',
  loading: 'Ielādē…',
  noneRefused: 'Neviens pieprasījums netika noraidīts: katra lapa, kurā darbojās logrīks, ir atļauta.',
  refusedOrigins: 'Noraidītie avoti',
  refused: {
    zero: '{count} pieprasījumu no {origin} noraidīja pēdējās 24 h (pēdējais {latest})',
    one: '{count} pieprasījumu no {origin} noraidīja pēdējās 24 h (pēdējais {latest})',
    other: '{count} pieprasījumus no {origin} noraidīja pēdējās 24 h (pēdējais {latest})',
  },
  addIt: ' — pievienot?',
  adding: 'Pievieno…',
  allow: 'Atļaut',
  askAdmin: 'Palūdziet administratoram to pievienot atļautajiem avotiem.',
  noBots: 'Neviens notikums netika atmests kā bots.',
  bots: {
    zero: '{count} notikumu no {requests} atmeta kā botus pēdējās 24 h (pēdējais {latest}).',
    one: '{count} notikumu no {requests} atmeta kā botus pēdējās 24 h (pēdējais {latest}).',
    other: '{count} notikumus no {requests} atmeta kā botus pēdējās 24 h (pēdējais {latest}).',
  },
  requests: { zero: '{count} pieprasījumiem', one: '{count} pieprasījuma', other: '{count} pieprasījumiem' },
  botsHint:
    'Rāpuļprogrammas, saišu priekšskatījumi un automatizētas pārlūkprogrammas (headless Chrome, Playwright, Puppeteer, Lighthouse) tiek atpazītas pēc lietotāja aģenta un netiek saglabātas, tāpēc tās neparādās “Apmeklētājos” un neizkropļo vērtējumus. Pārbaudiet uzstādīšanu parastā pārlūka logā.',
} satisfies Translation<typeof en>;
