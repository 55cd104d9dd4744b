/** Routing: the rules page, and how a routing decision and a temperature are described elsewhere. */
// The page (RoutingPage) is not here: App loads it lazily from ./page.ts, so importing this face never brings it in.
export { describeRouting, temperatureRank } from './routing';
