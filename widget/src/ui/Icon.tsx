/** Stroke icons on a 24 px grid (shapes after Tabler Icons, MIT). */
export const icons = {
  chat: 'M3 20l1.3-3.9C2 12.66 2.9 8.23 6.4 5.73c3.53-2.5 8.6-2.3 11.85.48 3.25 2.78 3.7 7.27 1.03 10.5-2.67 3.24-7.62 4.22-11.58 2.3L3 20',
  callback: 'M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2',
  feedback: 'M12 17.75l-6.17 3.25 1.18-6.88-5-4.86 6.9-1L12 2l3.09 6.26 6.9 1-5 4.86 1.18 6.88z',
  close: 'M18 6L6 18M6 6l12 12',
  chevron: 'M9 6l6 6-6 6',
  back: 'M15 6l-6 6 6 6',
  send: 'M10 14L21 3M21 3l-6.5 18a.55.55 0 0 1-1 0L10 14l-7-3.5a.55.55 0 0 1 0-1L21 3',
} as const;

export function Icon({ name, class: className }: { name: keyof typeof icons; class?: string }) {
  return (
    <svg class={className} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={icons[name]} />
    </svg>
  );
}
