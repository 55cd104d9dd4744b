/** Feedback: NPS, CSAT and chat ratings, with the feedback settings. */
// The page (FeedbackPage) is not here: App loads it lazily from ./page.ts, so importing this face never brings it in.
export {};
