/** Proactive triggers (admins). */
// The page (TriggersPage) is not here: App loads it lazily from ./page.ts, so importing this face never brings it in.
export {};
