/**
 * The panel's styles, for the real widget and the dashboard preview alike. They live in the widget's
 * shadow root, next to `launcherCss`; px units only, since `rem` would follow the host page.
 */
/**
 * System fonts that carry the scripts of the widget's languages where Latin UI fonts do not: Armenian
 * (Sylfaen on Windows, Noto Sans Armenian on Linux and Android), Ethiopic for Amharic (Ebrima,
 * Noto Sans Ethiopic) and Sinhala (Nirmala UI, Iskoola Pota, Noto Sans Sinhala); macOS and iOS ship all
 * three. Set on the whole layer once the panel loads, so the launcher gets them too.
 */
const scriptFonts =
  'system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans Armenian","Noto Sans Ethiopic","Noto Sans Sinhala","Nirmala UI",Sylfaen,Ebrima,"Iskoola Pota",sans-serif';

export const panelCss = `.bk-layer{font-family:${scriptFonts}}
.bk-badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#dc2626;color:#fff;font:700 12px/22px system-ui,sans-serif;text-align:center;box-shadow:0 0 0 2px #fff}
[aria-expanded=true] .bk-badge,.bk-badge:empty{display:none}
.bk-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
[data-position=left] .bk-badge{right:auto;left:-4px}
.bk-panel{pointer-events:auto;position:absolute;right:20px;bottom:calc(92px + env(safe-area-inset-bottom,0px));display:flex;flex-direction:column;width:376px;max-width:calc(100% - 40px);max-height:calc(100% - 112px);background:#fff;color:#1f2937;border-radius:16px;box-shadow:0 16px 48px rgba(17,24,39,.2),0 2px 8px rgba(17,24,39,.08);overflow:hidden;outline:0;transform-origin:bottom right;animation:bk-in .18s ease-out}
[data-position=left] .bk-panel{right:auto;left:20px;transform-origin:bottom left}
@keyframes bk-in{from{opacity:0;transform:translateY(8px) scale(.98)}}
.bk-head{position:relative;flex:none;padding:24px 64px 24px 24px;background:var(--bk-accent);color:var(--bk-on-accent)}
.bk-title{margin:0;font-size:20px;line-height:1.3;font-weight:700;color:inherit;overflow-wrap:anywhere}
.bk-greeting{margin:8px 0 0;font-size:15px;line-height:1.5;color:inherit;overflow-wrap:anywhere}
.bk-close{position:absolute;top:16px;right:16px;display:grid;place-items:center;width:36px;height:36px;border-radius:50%;color:inherit;transition:background-color .15s}
.bk-close:hover{background:rgba(127,127,127,.25)}
.bk-close:focus-visible{outline:2px solid currentColor;outline-offset:1px}
.bk-close svg{width:20px;height:20px}
.bk-body{flex:1 1 auto;min-height:0;padding:16px;overflow:auto;overscroll-behavior:contain}
.bk-entries{display:grid;gap:10px;margin:0;padding:0;list-style:none}
.bk-entry{display:flex;align-items:center;gap:14px;width:100%;min-height:64px;padding:12px 14px;border:1px solid #e5e7eb;border-radius:12px;background:#fff;color:#111827;text-align:left;transition:border-color .15s,background-color .15s}
.bk-entry:hover{border-color:var(--bk-ink);background:#f9fafb}
.bk-entry:focus-visible{outline:2px solid var(--bk-ink);outline-offset:2px}
.bk-icon{display:grid;place-items:center;flex:none;width:40px;height:40px;border-radius:10px;background:var(--bk-tint);color:var(--bk-ink)}
.bk-icon svg{width:22px;height:22px}
.bk-name{flex:1;min-width:0;font-weight:600;overflow-wrap:anywhere}
.bk-chevron{width:18px;height:18px;color:#9ca3af}
.bk-entry:hover .bk-chevron{color:var(--bk-ink)}
@container (max-width:480px){.bk-layer .bk-panel{left:0;right:0;bottom:0;width:100%;max-width:none;max-height:100%;border-radius:16px 16px 0 0;transform-origin:bottom center;box-shadow:0 0 0 100vmax rgba(17,24,39,.4)}.bk-body{padding-bottom:calc(16px + env(safe-area-inset-bottom,0px))}}
`;

/**
 * The chat view: header, log, the pre-chat card and composer (the other cards bring their styles: `chat/cards.tsx`).
 * Inputs are 16 px so iOS does not zoom into them. The header's status line (the widget's own short strings) wraps:
 * cut to one line, German's "Antwortet meist innerhalb von 5 Minuten" lost the very time it gives.
 */
export const chatCss = `.bk-chat{height:calc(100% - 112px);max-height:640px}
.bk-chead{position:relative;flex:none;display:flex;align-items:center;gap:10px;padding:12px 10px 12px 6px;background:var(--bk-accent);color:var(--bk-on-accent)}
.bk-ib{display:grid;place-items:center;flex:none;width:40px;height:40px;border-radius:50%;color:inherit;transition:background-color .15s}
.bk-ib:hover{background:rgba(127,127,127,.25)}
.bk-ib:focus-visible{outline:2px solid currentColor;outline-offset:-2px}
.bk-ib svg{width:22px;height:22px}
.bk-av{position:relative;display:grid;place-items:center;flex:none;width:40px;height:40px;border-radius:50%;background:var(--bk-on-accent);color:var(--bk-accent);font-weight:700;font-size:17px}
.bk-dot{position:absolute;right:-1px;bottom:-1px;width:12px;height:12px;border-radius:50%;background:#9ca3af;box-shadow:0 0 0 2px var(--bk-accent)}
.bk-dot.bk-live{background:#22c55e}
.bk-who{flex:1;min-width:0}
.bk-cname{margin:0;font-size:16px;line-height:1.3;font-weight:700;color:inherit;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.bk-cstatus{margin:1px 0 0;min-height:17px;font-size:13px;line-height:1.3;color:inherit}
.bk-scroll{flex:1 1 auto;min-height:0;overflow-y:auto;overscroll-behavior:contain;padding:14px 14px 10px;background:#f8fafc}
.bk-log{display:flex;flex-direction:column;margin:0;padding:0;list-style:none}
.bk-msg{display:flex;flex-direction:column;align-items:flex-start;max-width:86%;margin-top:3px}
.bk-msg.bk-first{margin-top:10px}
.bk-log>.bk-msg:first-child{margin-top:0}
.bk-mine{align-self:flex-end;align-items:flex-end}
.bk-from{margin:0 0 3px 12px;font-size:12px;font-weight:600;color:#6b7280}
.bk-bubble{padding:9px 13px;border-radius:18px;background:#fff;color:#111827;box-shadow:0 1px 2px rgba(17,24,39,.08);white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-word}
.bk-mine .bk-bubble{background:var(--bk-accent);color:var(--bk-on-accent);box-shadow:none}
.bk-sys .bk-bubble{background:var(--bk-tint);color:#1f2937;box-shadow:none}
.bk-bubble a{color:inherit;text-decoration:underline;text-underline-offset:2px}
.bk-bubble a:focus-visible{outline:2px solid currentColor;outline-offset:1px;border-radius:2px}
.bk-sending .bk-bubble{opacity:.7}
.bk-failed .bk-bubble{opacity:.6}
.bk-meta{margin:3px 8px 0;font-size:12px;line-height:1.4;color:#6b7280}
.bk-meta button{font-size:12px;font-weight:600;color:var(--bk-ink);text-decoration:underline}
.bk-fail{color:#b91c1c;font-weight:600}
.bk-note{align-self:center;margin:14px 8px 4px;font-size:13px;color:#6b7280;text-align:center}
.bk-banner{margin:0 0 12px;padding:10px 12px;border-radius:10px;background:#fef3c7;color:#78350f;font-size:14px}
.bk-typing{display:inline-flex;margin-top:10px;padding:12px 14px;border-radius:18px;background:#fff;box-shadow:0 1px 2px rgba(17,24,39,.08)}
.bk-dots{display:flex;gap:4px}
.bk-dots i{width:7px;height:7px;border-radius:50%;background:#9ca3af;animation:bk-blink 1.2s infinite ease-in-out}
.bk-dots i:nth-child(2){animation-delay:.2s}
.bk-dots i:nth-child(3){animation-delay:.4s}
@keyframes bk-blink{0%,80%,100%{opacity:.3;transform:none}40%{opacity:1;transform:translateY(-2px)}}
.bk-spin{width:28px;height:28px;margin:40px auto;border:3px solid #e5e7eb;border-top-color:var(--bk-ink);border-radius:50%;animation:bk-turn .8s linear infinite}
@keyframes bk-turn{to{transform:rotate(1turn)}}
.bk-card{margin:14px 0 4px;padding:14px;border:1px solid #e5e7eb;border-radius:14px;background:#fff}
.bk-card-t{margin:0 0 10px;font-size:15px;font-weight:600;color:#111827}
.bk-card-t:last-child{margin:0}
.bk-field{margin:0 0 10px}
.bk-field label{display:block;margin:0 0 4px;font-size:13px;font-weight:600;color:#374151}
.bk-opt{font-weight:400;color:#6b7280}
.bk-in,.bk-ta{display:block;width:100%;margin:0;border:1px solid #d1d5db;background:#fff;color:#111827;font-family:inherit;font-size:16px;font-weight:400;line-height:1.4;-webkit-appearance:none;appearance:none}
.bk-in{min-height:44px;padding:10px 12px;border-radius:10px}
.bk-in:focus,.bk-ta:focus{outline:2px solid var(--bk-ink);outline-offset:-1px;border-color:transparent}
.bk-in[aria-invalid=true]{border-color:#dc2626}
.bk-err{margin:4px 0 8px;font-size:13px;color:#b91c1c}
.bk-meta button:focus-visible{outline:2px solid var(--bk-ink);outline-offset:2px}
.bk-foot{flex:none;display:flex;flex-wrap:wrap;align-items:flex-end;gap:8px;padding:10px 10px calc(10px + env(safe-area-inset-bottom,0px)) 12px;border-top:1px solid #e5e7eb;background:#fff}
.bk-ta{flex:1;width:auto;min-width:0;height:44px;max-height:128px;padding:11px 14px;border-radius:22px;resize:none;overflow-y:auto}
.bk-ta::placeholder{color:#6b7280;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.bk-send{display:grid;place-items:center;flex:none;width:44px;height:44px;border-radius:50%;background:var(--bk-accent);color:var(--bk-on-accent);transition:opacity .15s}
.bk-send:disabled{opacity:.4;cursor:default}
.bk-send:focus-visible{outline:2px solid var(--bk-ink);outline-offset:2px}
.bk-send svg{width:20px;height:20px}
.bk-over{flex-basis:100%;margin:0 4px;font-size:13px;color:#b91c1c}
@container (max-width:480px){.bk-layer .bk-panel.bk-chat{top:var(--bk-vt,0px);bottom:auto;height:var(--bk-vh,100%);max-height:none;border-radius:0;box-shadow:none;animation:none}.bk-chead{padding-top:calc(12px + env(safe-area-inset-top,0px))}}
`;
