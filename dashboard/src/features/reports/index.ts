/**
 * Reports (issue 19): overview, speed and SLA, agents, leads and funnel, cost per inquiry, feedback, triggers.
 * The face exports a lazy wrapper: the reports' code, catalogue, styles and chart library load when an agent
 * first opens the section, so they cost nothing on the dashboard's first load.
 */
export { ReportsPage } from './LazyReportsPage';
