/** Routing: the rules page, and the hot-first order other features sort by. */
// The page (RoutingPage) is not here: App loads it lazily from ./page.ts, so importing this face never brings it in.
// Nor is the routing catalogue: a routing decision in words is lib/format's `describeRouting`.
export { temperatureRank } from './rank';
