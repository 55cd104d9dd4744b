import type { Translation } from '../../../lib/i18n';
import type en from './en';

export default {
  label: 'භාෂාව',
  hint: 'උපකරණ පුවරුව ඔබ සමඟ මෙම භාෂාවෙන් කතා කරයි; අමුත්තන්ට විජට් එක ඔවුන්ගේම භාෂාවෙන් පෙනේ.',
} satisfies Translation<typeof en>;
