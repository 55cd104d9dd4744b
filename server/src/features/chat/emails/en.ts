/** The email to agents about a message left while nobody was available, in English: the source catalogue. */
export default {
  subject: 'New message on {site} from {from}',
  subjectAnonymous: 'New message on {site} from a visitor',
  intro: '{from} left a message while no agent was available:',
  introAnonymous: 'A visitor left a message while no agent was available:',
  answer: 'Answer it in Beckon: {link}',
};
