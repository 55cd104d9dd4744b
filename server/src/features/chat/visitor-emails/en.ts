/** Emails to a visitor (an agent's reply after they left, the transcript they asked for), in English: the source catalogue. */
export default {
  replySubject: '{agent} replied to your message to {site}',
  replySignature: '— {agent}, {site}',
  continuesAt: 'Your conversation continues in the chat on {url}',
  continuesOnSite: 'Your conversation continues in the chat on our website.',
  transcriptSubject: 'Your chat with {site}',
  transcriptIntro: 'Your conversation with {site}:',
  you: 'You',
};
