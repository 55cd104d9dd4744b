/**
 * The panel's styles, for the real widget and the dashboard preview alike. They live in the widget's
 * shadow root, next to `launcherCss`; px units only, since `rem` would follow the host page.
 */
export const panelCss = `.bk-panel{pointer-events:auto;position:absolute;right:20px;bottom:calc(92px + env(safe-area-inset-bottom,0px));display:flex;flex-direction:column;width:376px;max-width:calc(100% - 40px);max-height:calc(100% - 112px);background:#fff;color:#1f2937;border-radius:16px;box-shadow:0 16px 48px rgba(17,24,39,.2),0 2px 8px rgba(17,24,39,.08);overflow:hidden;outline:0;transform-origin:bottom right;animation:bk-in .18s ease-out}
[data-position=left] .bk-panel{right:auto;left:20px;transform-origin:bottom left}
@keyframes bk-in{from{opacity:0;transform:translateY(8px) scale(.98)}}
.bk-head{position:relative;flex:none;padding:24px 64px 24px 24px;background:var(--bk-accent);color:var(--bk-on-accent)}
.bk-title{margin:0;font-size:20px;line-height:1.3;font-weight:700;color:inherit;overflow-wrap:anywhere}
.bk-greeting{margin:8px 0 0;font-size:15px;line-height:1.5;color:inherit;opacity:.92;overflow-wrap:anywhere}
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
