/** Feedback: NPS, CSAT and chat ratings, with the feedback settings. */
export { FeedbackPage } from './FeedbackPage';
