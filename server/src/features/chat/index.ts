// Public face of the chat feature: the only module other features (and app.ts, server.ts, realtime/) import.
// Everything else in this folder is internal. See ARCHITECTURE.md, "Module boundaries".

export { registerAgentChat } from './agent-socket.js';
export { availability, publishConversation, recordChatLead, recordChatLeads } from './chat.js';
export { chatOpeningLimits } from './opening-limit.js';
export type { ChatOpeningLimits } from './opening-limit.js';
export { readAwayAgents } from './presence.js';
export { conversationRoutes, siteChatRoutes } from './routes.js';
export { appendMessage, toChatMessage } from './service.js';
export { routeConversations } from './routing.js';
export type { RoutedConversation } from './routing.js';
export { chatRoutedWork } from './routing-jobs.js';
export type { AcceptInvitation } from './visitor-socket.js';
export { registerVisitorChat } from './visitor-socket.js';
