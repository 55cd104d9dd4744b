/** Routing: the rules page, and how a routing decision and a temperature are described elsewhere. */
export { RoutingPage } from './RoutingPage';
export { describeRouting, temperatureRank } from './routing';
