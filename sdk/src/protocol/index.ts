export * from './errors.js';
export * from './site.js';
export * from './collect.js';
export * from './auth.js';
export * from './socket.js';
export * from './chat.js';
export * from './leads.js';
export * from './webhooks.js';
