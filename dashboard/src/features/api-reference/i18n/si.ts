import type { Translation } from '../../../lib/i18n';
import type en from './en';

export default {
  title: 'API යොමුව',
  description:
    'මෙම සේවාදායකයේ API හි සියලු මාර්ග: පරාමිති, ඉල්ලීම් සහ ප්\u200dරතිචාර අන්තර්ගතය, දෝෂ, අවශ්\u200dය API යතුරු විෂය පථය සහ webhook සිදුවීම්.',
  keysLink: 'API යතුරක් සාදන්න',
  documentLink: 'OpenAPI 3.1 ලේඛනය (JSON)',
  loading: 'API යොමුව පූරණය වෙමින්',
  loadFailed: 'API යොමුව පූරණය කළ නොහැකි විය: {error}',
} satisfies Translation<typeof en>;
