export {
  createChatClient,
  ChatClientError,
  emailPattern,
  maxMessageLength,
  type ChatClient,
  type ChatClientOptions,
  type ChatConversation,
  type ChatEntry,
  type ChatError,
  type ChatEvents,
  type ChatIo,
  type ChatIoOptions,
  type ChatSocket,
  type ChatState,
  type ChatStatus,
  type Delivery,
} from './client.js';
export { connectSocket, fallBackToPolling, type PollingFallbackSocket, type SocketOptions } from './socket.js';
export { chatStorageKey, type ChatStorage, type StoredChat } from './storage.js';
export type { ChatAvailability, ChatMessage, ChatSettings, Prechat } from '../protocol/chat.js';
