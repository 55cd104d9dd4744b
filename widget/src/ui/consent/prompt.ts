import type { ConsentPrompt, ConsentState } from '@beckon/sdk/protocol';
import { addStyles } from '../../shared/launcher.js';

/**
 * The built-in consent prompt: a small, non-modal card in the widget's shadow root. Plain DOM (no
 * Preact) so its lazy chunk stays tiny; loaded only in mode `required`, with the prompt enabled and no
 * stored choice. It never takes focus from the page; "Reject all" looks exactly like "Accept all" (on a
 * phone the three choices stack, each as wide as the card: wrapped, the last one alone grew to twice the
 * others). The site's texts go in through textContent only.
 */
const css = `.bk-consent{pointer-events:auto;position:absolute;left:20px;bottom:calc(20px + env(safe-area-inset-bottom,0px));width:min(380px,calc(100% - 40px));max-height:calc(100% - 40px);overflow:auto;padding:18px 18px 16px;border-radius:14px;background:#fff;color:#1f2937;box-shadow:0 10px 30px rgba(17,24,39,.22),0 1px 3px rgba(17,24,39,.12);border:1px solid #e5e7eb}
[data-position=left] .bk-consent{left:auto;right:20px}
.bk-consent h2{margin:0 0 6px;font-size:17px;font-weight:700;line-height:1.3;color:#111827}
.bk-consent p{margin:0 0 12px;font-size:14px;line-height:1.5;color:#374151}
.bk-consent a{color:var(--bk-ink);text-decoration:underline;text-underline-offset:2px}
.bk-consent-actions{display:flex;flex-wrap:wrap;gap:8px}
.bk-consent .bk-choice{flex:1 1 auto;min-height:40px;padding:8px 14px;border-radius:8px;font-weight:600;font-size:14px;border:1px solid var(--bk-ink);color:var(--bk-ink);background:#fff}
.bk-consent .bk-choice-main{background:var(--bk-accent);color:var(--bk-on-accent);border-color:var(--bk-accent)}
.bk-consent .bk-choice:hover{filter:brightness(.96)}
.bk-consent .bk-choice:focus-visible,.bk-consent a:focus-visible{outline:3px solid var(--bk-ink);outline-offset:2px}
@container (max-width:480px){.bk-consent{left:12px;right:12px;width:auto;bottom:calc(88px + env(safe-area-inset-bottom,0px))}[data-position=left] .bk-consent{right:12px}.bk-consent-actions{flex-direction:column}}`;

/** The link's own words (the rest of the prompt is the site's text, in the visitor's language). */
const policy: Record<string, string> = {
  en: 'Privacy policy',
  de: 'Datenschutzerklärung',
  fr: 'Politique de confidentialité',
  es: 'Política de privacidad',
  ru: 'Политика конфиденциальности',
  lv: 'Privātuma politika',
  hy: 'Գաղտնիության քաղաքականություն',
  uz: 'Maxfiylik siyosati',
  am: 'የግላዊነት መመሪያ',
  si: 'රහස්‍යතා ප්‍රතිපත්තිය',
};

export function mountConsentPrompt(
  layer: HTMLElement,
  prompt: ConsentPrompt,
  choose: (state: ConsentState) => void,
): () => void {
  const doc = layer.ownerDocument;
  addStyles(layer.getRootNode() as ShadowRoot, css);
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string) => {
    const node = doc.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  };
  // The server sent the site's texts in the visitor's language already; the link's words follow the layer's `lang`.
  const texts = prompt.texts;
  const card = el('section', 'bk-consent');
  card.setAttribute('aria-labelledby', 'bk-consent-title');
  const title = el('h2', undefined, texts.title);
  title.id = 'bk-consent-title';
  const body = el('p', undefined, texts.body);
  if (prompt.policyUrl && /^https?:\/\//.test(prompt.policyUrl)) {
    const link = el('a', undefined, policy[layer.lang] ?? policy.en!);
    link.href = prompt.policyUrl;
    link.target = '_blank';
    link.rel = 'noopener';
    body.append(' ', link);
  }
  const actions = el('div', 'bk-consent-actions');
  const remove = () => card.remove();
  const button = (text: string, state: ConsentState, main = false) => {
    const b = el('button', main ? 'bk-choice bk-choice-main' : 'bk-choice', text);
    b.type = 'button';
    b.addEventListener('click', () => {
      remove();
      choose(state);
    });
    actions.append(b);
  };
  button(texts.rejectAll, { analytics: false, marketing: false }, true);
  button(texts.analyticsOnly, { analytics: true, marketing: false });
  button(texts.acceptAll, { analytics: true, marketing: true }, true);
  card.append(title, body, actions);
  layer.prepend(card);
  return remove;
}
