/**
 * The one display-name rule, shared by the server and the dashboard. No zod here: the dashboard imports
 * it at runtime through `@beckon/sdk/protocol/constants`.
 */

const labelAlphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'; // no 0/O, 1/I: read aloud over the phone
const labelPrefix = 'Visitor ';
const labelPattern = new RegExp(`^${labelPrefix}([${labelAlphabet}]{4})$`);

/**
 * "Visitor 7F3K": a short label derived from an id (FNV-1a), the same on every page and every node.
 * A person keeps the label of the visitor id it was created from, so an anonymous visitor keeps their
 * label when they later become a person.
 */
export function visitorLabel(id: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  let label = '';
  for (let i = 0; i < 4; i++) {
    label += labelAlphabet[hash % 32];
    hash = Math.floor(hash / 32);
  }
  return labelPrefix + label;
}

/**
 * The code of a label `visitorLabel` made ("Visitor 7F3K" → "7F3K"), else null. The server sends finished
 * names in English (webhooks, e-mails and the API read them as they are); the dashboard recognises a
 * label with this and shows it in the agent's language. A name typed exactly like a label reads as one.
 */
export function visitorLabelCode(name: string): string | null {
  return labelPattern.exec(name)?.[1] ?? null;
}

/**
 * The name the server gives an agent who has since been removed (assignees, authors of audit entries and
 * notes): English for the API and webhooks, recognised by the dashboard and shown in the agent's language.
 */
export const formerAgentName = 'Former agent';

/** The one display name: name, else email, else phone, else the stable label of `labelSeed` (an id). */
export function displayName(
  contact: { name?: string | null; email?: string | null; phone?: string | null },
  labelSeed: string,
): string {
  return contact.name?.trim() || contact.email?.trim() || contact.phone?.trim() || visitorLabel(labelSeed);
}
