/** The embed snippet as documented in the public contract; the origin is where this dashboard is served. */
export function embedSnippet(origin: string, siteKey: string): string {
  return `<script async src="${origin}/beckon.js" data-site="${escapeAttribute(siteKey)}"></script>`;
}

/** Lets the page call `Beckon(...)` before the script has loaded; calls are queued and replayed. */
export const queueStub = 'window.Beckon=window.Beckon||function(){(Beckon.q=Beckon.q||[]).push(arguments)}';

export function queueStubSnippet(): string {
  return `<script>${queueStub}</script>`;
}

/** Site keys are `[a-z0-9_-]` by schema; escaping anyway keeps a copied snippet well-formed whatever comes back. */
function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
