export default {
  label: 'Language',
  hint: 'The dashboard speaks this language to you; visitors see the widget in their own.',
};
