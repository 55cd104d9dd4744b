/** The reports digest email, in English: the source catalogue. */
export default {
  subjectDaily: 'Beckon daily report: {date}',
  subjectWeekly: 'Beckon weekly report: {from} – {to}',
  greeting: 'Hi {name},',
  intro: 'Here are the headline numbers for {period} across {sites} site(s).',
  inquiries: 'Inquiries: {count} (previous period: {previous})',
  missedChats: 'Unanswered chats: {count} of {chats}',
  firstResponse: 'Median first response in chat: {value}',
  callbacksOnTime: 'Callbacks on time: {percent} ({overdue} overdue)',
  newLeads: 'New leads: {count}, won: {won}, lost: {lost}',
  nps: 'NPS: {value} ({count} answers)',
  none: 'no data',
  link: 'Open the reports:',
  unsubscribe: 'You get this email because you chose it in Beckon; switch it off on the Reports page.',
};
