/**
 * The English words of the chat's offline form, rating and transcript cards: in the extras chunk with the cards
 * (`../chat/cards.tsx`), not in the UI chunk. The other languages have them in their own chunks.
 */
export const enCards = {
  leaveMessage: 'Leave us a message',
  offlineNoAgents: 'No one is available right now. Leave a message and we will reply by email.',
  offlineClosed: 'We are closed right now. Leave a message and we will reply by email.',
  backAt: 'We are back at {time}.',
  backOn: 'We are back {day} at {time}.',
  sendMessage: 'Send message',
  sendFailed: 'Your message could not be sent. Please try again.',
  offlineThanks: 'Thank you! We will reply to {email} as soon as we can.',
  rateTitle: 'How did we do?',
  stars: '{n} of 5',
  comment: 'Anything to add? (optional)',
  submitRating: 'Send rating',
  rateThanks: 'Thank you for your feedback!',
  recommend: 'Would you recommend us? One more question',
  transcriptAsk: 'Email me this chat',
  transcriptSend: 'Send',
  transcriptSent: 'We sent this chat to {email}.',
};
