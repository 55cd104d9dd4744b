import { postJson } from '../callback/api.js';

export const sendFeedback = (endpoint: string, body: Record<string, unknown>) =>
  postJson<{ feedback: { id: string; kind: string; createdAt: string } }>(`${endpoint}/v1/feedback`, body);
