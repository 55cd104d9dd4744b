import type { Translation } from '../../../lib/i18n';
import type en from './en';

export default {
  title: 'Справочник API',
  description:
    'Все маршруты API этого сервера: параметры, тела запросов и ответов, ошибки, нужная область API-ключа и события вебхуков.',
  keysLink: 'Создать API-ключ',
  documentLink: 'Документ OpenAPI 3.1 (JSON)',
  loading: 'Загружаем справочник API',
  loadFailed: 'Не удалось загрузить справочник API: {error}',
} satisfies Translation<typeof en>;
