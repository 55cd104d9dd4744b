// A module of its own so these styles travel in the lazily imported forms chunk, not the UI chunk.
/**
 * The callback and feedback forms; they reuse the chat's header, cards, fields and buttons. The buttons' and the
 * cards' texts' styles come in the extras chunk (`chat/cards.tsx`), which may arrive before or after this one: a rule
 * here that changes one of those wins by specificity, never by coming later (`.bk-card-p.bk-lead`).
 */
export const formCss = `.bk-panel.bk-form{height:auto;max-height:min(680px,calc(100% - 112px))}
.bk-fbody{padding:14px}
.bk-form .bk-card{margin:0}
.bk-card-p.bk-lead{margin:0 0 14px}
.bk-phone{display:flex;gap:8px}
.bk-cc{position:relative;flex:none}
.bk-ccv{display:flex;align-items:center;white-space:nowrap;font-variant-numeric:tabular-nums}
.bk-ccs{position:absolute;inset:0;width:100%;height:100%;margin:0;opacity:0;font-size:16px;cursor:pointer}
.bk-cc:focus-within .bk-ccv{outline:2px solid var(--bk-ink);outline-offset:-1px;border-color:transparent}
select.bk-in,.bk-ccv{background:#fff url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='12' height='8'%3E%3Cpath d='M1 1l5 5 5-5' fill='none' stroke='%236b7280' stroke-width='2'/%3E%3C/svg%3E") no-repeat right 10px center;padding-right:30px}
.bk-hp{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}
.bk-modes,.bk-scoreset{min-width:0;margin:0 0 10px;padding:0;border:0}
.bk-legend{padding:0;margin:0 0 6px;font-size:13px;font-weight:600;color:#374151}
.bk-mode{display:inline-flex;align-items:center;gap:8px;box-sizing:border-box;width:calc(50% - 4px);min-height:44px;padding:10px 12px;border:1px solid #d1d5db;border-radius:10px;font-size:15px;color:#111827;cursor:pointer;vertical-align:top}
.bk-mode+.bk-mode{margin-left:8px}
.bk-mode:has(input:checked){border-color:var(--bk-ink);background:var(--bk-tint)}
.bk-mode input{flex:none;width:18px;height:18px;margin:0;accent-color:var(--bk-ink)}
.bk-mode:focus-within{outline:2px solid var(--bk-ink);outline-offset:1px}
.bk-slots{display:grid;grid-template-columns:1.4fr 1fr;gap:8px}
.bk-fine{margin:10px 0 0;font-size:12px;color:#6b7280;text-align:center}
.bk-done{padding:24px 16px;text-align:center}
.bk-done .bk-card-t{font-size:18px;margin-bottom:6px}
.bk-done .bk-card-p{margin:0 0 18px}
.bk-count{margin:4px 0 10px;font-size:52px;line-height:1;font-weight:700;color:var(--bk-ink);font-variant-numeric:tabular-nums}
.bk-count small{font-size:22px;margin-left:2px}
.bk-tabs{display:flex;gap:4px;margin:0 0 14px;padding:4px;border-radius:10px;background:#f1f5f9}
.bk-tab{flex:1;min-height:38px;border-radius:8px;font-size:14px;font-weight:600;color:#4b5563}
.bk-tab.bk-on{background:#fff;color:#111827;box-shadow:0 1px 2px rgba(17,24,39,.14)}
.bk-scores{display:grid;grid-template-columns:repeat(5,1fr);gap:6px}
.bk-scores.bk-nps{grid-template-columns:repeat(11,1fr);gap:3px}
.bk-score{min-height:44px;padding:0;border:1px solid #d1d5db;border-radius:8px;background:#fff;color:#111827;font-size:15px;font-weight:600}
.bk-score:hover{border-color:var(--bk-ink)}
.bk-score.bk-on{border-color:transparent;background:var(--bk-accent);color:var(--bk-on-accent)}
.bk-tab:focus-visible,.bk-score:focus-visible{outline:2px solid var(--bk-ink);outline-offset:1px}
.bk-ends{display:flex;justify-content:space-between;margin:6px 0 4px;font-size:12px;color:#6b7280}
@container (max-width:480px){.bk-layer .bk-panel.bk-form .bk-fbody{background:#f8fafc}}
`;
