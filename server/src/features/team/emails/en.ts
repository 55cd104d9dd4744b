/** The invitation email, in English: the source catalogue. */
export default {
  subject: '{inviter} invited you to Beckon',
  greeting: 'Hi {name},',
  body: '{inviter} invited you to answer chats and callbacks in Beckon. Choose a password here:',
  expires: 'The link works once and expires {date}.',
};
