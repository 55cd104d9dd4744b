/**
 * The reasons the server stores with an automatic reassignment (a conversation event's `reason`), and
 * how a reader tells them apart. The stored English stays what the API and webhooks return; the dashboard
 * recognises these and says them in the agent's language. No zod here: the dashboard imports it at
 * runtime through `@beckon/sdk/protocol/constants`.
 */

/** A chat nobody answered in time went to another agent. */
export const unansweredReason = (seconds: number) => `no reply within ${seconds} s: reassigned`;
/** A chat nobody had was routed again when its visitor turned hot. */
export const turnedHotReason = 'visitor turned hot: routed again';

export type AssignmentCause = { kind: 'unanswered'; seconds: number } | { kind: 'turned_hot' };

const unansweredPattern = /^no reply within (\d+) s: reassigned$/;

/** Which of the reasons above a stored reason is, else null (a routing sentence, an agent's note). */
export function assignmentCause(reason: string | null | undefined): AssignmentCause | null {
  if (reason === turnedHotReason) return { kind: 'turned_hot' };
  const unanswered = unansweredPattern.exec(reason ?? '');
  return unanswered ? { kind: 'unanswered', seconds: Number(unanswered[1]) } : null;
}
