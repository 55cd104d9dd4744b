import { z } from 'zod';
import { text } from './text.js';

/** Small shapes many answers share; a file of their own so protocol files can use them without import cycles. */

/** An instant as every answer spells it (ISO 8601 with `Z` or an offset). */
export const isoTimeSchema = z.iso.datetime({ offset: true });

/** An agent as other records name them. */
export const agentRefSchema = z.object({ id: text(), name: text() });
export type AgentRef = z.infer<typeof agentRefSchema>;

/** What every list shows for a person, and where its link goes. */
export const personRefSchema = z
  .object({
    id: text(),
    /** `displayName`: name, else email, else phone, else the person's stable label. */
    name: text(),
  })
  .meta({ id: 'PersonRef' });
export type PersonRef = z.infer<typeof personRefSchema>;
