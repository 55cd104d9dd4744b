/**
 * This feature's route entry, loaded on demand by App (`lazyPage(() => import('./features/X/page'), …)`): the
 * reports' code, catalogue, styles and chart library load when an agent first opens the section.
 */
export { ReportsPage } from './ReportsPage';
