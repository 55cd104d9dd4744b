// Public face of the invitations feature: the only module other features (and app.ts, server.ts, realtime/) import.
// Everything else in this folder is internal. See ARCHITECTURE.md, "Module boundaries".

export { invitationRoutes, publicInvitationRoutes } from './routes.js';
export { acceptInvitation, chatVisitorsOfMany } from './service.js';
export { waitingInvitationJoin } from './waiting.js';
