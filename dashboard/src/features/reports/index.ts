/**
 * Reports (issue 19): overview, speed and SLA, agents, leads and funnel, cost per inquiry, feedback, triggers.
 * The page is not here: App loads it lazily from ./page.ts (with its catalogue, styles and, on the first chart,
 * uPlot), so the section costs nothing on the dashboard's first load.
 */
export {};
