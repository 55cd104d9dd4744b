import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebhookPayload } from '@beckon/sdk/server';

/** What Beckon sends: the Standard Webhooks envelope, typed by the sdk. */
export type BeckonEvent = WebhookPayload;

export interface ReceiverOptions {
  /** The endpoint's `whsec_...` secret, shown once in the dashboard. */
  secret: string;
  /** Called once per `webhook-id`; throw to answer 500 and have Beckon retry. */
  onEvent(event: BeckonEvent, id: string): void | Promise<void>;
  /** Ids already processed (in memory by default; a CRM keeps them in its database). */
  seen?: Set<string>;
  maxSeen?: number;
}

export function createReceiver(options: ReceiverOptions): (request: IncomingMessage, response: ServerResponse) => Promise<void>;
export function describeEvent(event: BeckonEvent): string;
