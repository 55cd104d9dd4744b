import type { ErrorBody } from './errors.js';

/** A pageview as the dashboard's Live page shows it. */
export interface LivePageview {
  id: string;
  siteId: string;
  visitorId: string;
  sessionId: string;
  url: string;
  title: string | null;
  referrer: string | null;
  /** Server time the event was stored, ISO 8601. */
  receivedAt: string;
}

/** `/agent` namespace: server → dashboard. */
export interface AgentServerToClient {
  'pageview:new': (pageview: LivePageview) => void;
  'site:updated': (site: { id: string }) => void;
  'error': (error: ErrorBody['error']) => void;
}

/** `/agent` namespace: dashboard → server. Initial lists come over REST; the socket only pushes. */
export interface AgentClientToServer {}

/** Room naming shared by every node so fan-out through the adapter reaches the right sockets. */
export const siteRoom = (siteId: string) => `site:${siteId}`;
