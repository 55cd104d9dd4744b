// @vitest-environment node
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/** gzip -9 budgets in bytes; scripts/size-report.mjs prints the same numbers on every build. */
const budgets = {
  // 6,144 until issue 21: the widget's controls after the config and the tracker moved to the shell chunk
  // (fetched in parallel with the config), 4,932 measured.
  loader: 5120,
  // 18,432 until the chat view took the sdk's shared linkify (stricter about brackets and trailing punctuation) and
  // business-hours code: 18,656 measured after that merge. 18,752 until 17,581 -> 17,454 measured (the JSX runtime
  // on Preact's createElement, the launcher imported from the shell). 17,664 until 17,486 measured (the chat chunk's
  // three exports taken by name). 17,536 until 15,513 measured: the chat's offline form, rating and transcript cards,
  // the teaser and the cards' English words went to the lazy extras chunk (issue 21).
  ui: 15552,
  // The chat client on socket.io-client, WebSocket only until one fails (long-polling is the `polling` chunk):
  // 18,227 with polling and WebTransport in it, 16,422 without (issue 21). A hand-written socket.io client was
  // 6,811 but is not shipped (the stack keeps socket.io's own client). 16,896 until 13,806 measured: no class-field
  // helper, text-only socket.io and engine.io parsers, the URI parser on `URL`, unused socket methods dropped
  // (vite.text-socket.ts, vite.unused-members.ts). 14,080 until 11,958 measured: socket.io-client without the code
  // behind options the widget never sets (vite.unused-options.ts) and without namespace objects.
  chat: 12016,
  // 1,835 measured, 1,963 once engine.io-parser's entry (the payload codecs only long-polling uses) came here.
  polling: 2048,
  locale: 1536,
  forms: 8192,
  phone: 30720,
  formLocale: 2048,
  lazyLoaderChunk: 1536,
  // 3,072 until the widget's controls and the tracker came here from the loader: 4,823 measured. 5,120 until the
  // launcher and chat-storage modules joined the shell file (three files, 5,122, became one, 4,753). 4,864 until
  // ratcheted to the 4,753 measured.
  shell: 4800,
  /**
   * Everything beyond beckon.js up to a usable chat: the shell with the config, then on the click the UI and chat.
   * 32,768 was met only with a hand-written socket.io client; with socket.io-client 42,384 measured, 39,125 once
   * long-polling, Vite's preload helper and the panel-core chunk left the first click (issue 21). 39,424 until
   * 36,013 measured (shell 4,753 + UI 17,454 + chat 13,806). 36,352 until 34,197 measured (shell 4,753 + UI 17,486
   * + chat 11,958). 34,256 until 32,224 measured (shell 4,753 + UI 15,513 + chat 11,958), issue 21's 32,768 met: what a
   * first chat seldom shows is the extras chunk, not counted here (widget/README.md, "Size budget", says what was tried).
   */
  firstChatOpen: 32256,
  triggers: 2048,
  /**
   * What the first chat open seldom shows, off its path since issue 21: the chat view's offline form, rating and
   * transcript cards and the bubbles above the launcher (teaser, callback countdown), with their styles and the cards'
   * English words: 3,397 measured.
   */
  extras: 3456,
} as const;

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

function read(path: string): string {
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: build the widget first (npm run build -w sdk && npm run build -w widget)`);
  }
  return readFileSync(path, 'utf8');
}

function chunks(pattern: RegExp): string[] {
  const dir = `${dist}widget`;
  return (existsSync(dir) ? readdirSync(dir).filter((file) => pattern.test(file)) : []).map((file) =>
    read(`${dir}/${file}`),
  );
}

function chunk(name: string): string {
  // Exactly `<name>-<8-character hash>.js`, so that `chat` does not also match a shared `chat-storage-…` chunk.
  const found = chunks(new RegExp(`^${name}-[\\w-]{8}\\.js$`));
  if (found.length !== 1)
    throw new Error(`expected one ${name} chunk in ${dist}widget, found ${found.length}: build the widget first`);
  return found[0]!;
}

/** The chunk files a chunk imports statically (hashes may contain '-': take whole file names). */
const staticImports = (code: string) =>
  [...code.matchAll(/from\s*["'`]\.\/([\w-]+\.js)["'`]/g)].map((match) => match[1]!);
const file = (name: string) => read(`${dist}widget/${name}`);

/**
 * What every page downloads besides the loader: the launcher shell, imported together with the config
 * fetch, and the chunks it imports statically.
 */
const shellChunks = () => [chunk('shell'), ...staticImports(chunk('shell')).map(file)].join('\n');

/**
 * What the first click downloads: the UI entry (with Preact and the panel frame, which the lazily imported
 * forms and language chunks import from it) and the chunks it imports statically, minus what the shell
 * already brought on page load.
 */
const uiChunk = () => {
  const entry = chunk('ui');
  // The shell itself too: the UI imports the launcher from it (vite.ui.config.ts puts the launcher there).
  const loaded = new Set([fileOf('shell'), ...staticImports(chunk('shell'))]);
  return [
    entry,
    ...staticImports(entry)
      .filter((name) => !loaded.has(name))
      .map(file),
  ].join('\n');
};
const chatChunk = () => chunk('chat');

const gzip = (code: string) => gzipSync(code, { level: 9 }).length;
/** Each file is its own response: gzip each, then add up (a joined gzip would share one dictionary). */
const gzipEach = (names: string[]) => names.reduce((total, name) => total + gzip(file(name)), 0);
const fileOf = (name: string) => {
  const found = readdirSync(`${dist}widget`).filter((entry) => new RegExp(`^${name}-[\\w-]{8}\\.js$`).test(entry));
  if (found.length !== 1) throw new Error(`expected one ${name} chunk, found ${found.length}: build the widget first`);
  return found[0]!;
};

// Strings that only appear in these libraries' minified builds.
const preactMarker = 'acit|ex(?:s|g|n|p|$)|rph|grid'; // Preact's non-dimensional style regexp
const zodMarkers = ['ZodError', 'invalid_type', 'too_small'];
const socketMarkers = ['socket.io', 'engine.io', 'EIO=', 'transports'];

describe('size budget', () => {
  it(`keeps the loader beckon.js within ${budgets.loader} bytes gzipped`, () => {
    expect(gzip(read(`${dist}beckon.js`))).toBeLessThanOrEqual(budgets.loader);
  });

  it('keeps Preact, zod and socket.io out of the loader', () => {
    const loader = read(`${dist}beckon.js`);
    expect(uiChunk()).toContain(preactMarker); // the marker is real: the UI chunk has it
    expect(loader).not.toContain(preactMarker);
    expect(loader).not.toContain('__H'); // Preact hooks state
    for (const marker of [...zodMarkers, ...socketMarkers]) expect(loader).not.toContain(marker);
  });

  it(`keeps the launcher shell every page loads with the config (and its static imports) within ${budgets.shell} bytes gzipped, without Preact, zod or socket.io`, () => {
    const shell = shellChunks();
    expect(gzip(shell)).toBeLessThanOrEqual(budgets.shell);
    for (const marker of [preactMarker, ...zodMarkers, ...socketMarkers]) expect(shell).not.toContain(marker);
  });

  it('injects the UI chunk name into the loader', () => {
    expect(read(`${dist}beckon.js`)).toMatch(/widget\/ui-[\w-]+\.js/);
  });

  it(`keeps the UI chunk and its static imports (panel and chat view) within ${budgets.ui} bytes gzipped, without socket.io`, () => {
    const ui = uiChunk();
    expect(gzip(ui)).toBeLessThanOrEqual(budgets.ui);
    for (const marker of [...zodMarkers, ...socketMarkers]) expect(ui).not.toContain(marker);
  });

  it(`keeps the lazily imported chat chunk (client and its socket) within ${budgets.chat} bytes gzipped, without zod`, () => {
    const chat = chatChunk();
    expect(chat).toContain('socket.io'); // the marker is real: socket.io-client lives here
    expect(gzip(chat)).toBeLessThanOrEqual(budgets.chat);
    for (const marker of zodMarkers) expect(chat).not.toContain(marker);
    expect(uiChunk()).toMatch(/import\(["'`]\.\/chat-[\w-]+\.js["'`]\)/);
  });

  it('bundles socket.io-client with the text-only parsers (vite.text-socket.ts), in the chat and polling chunks', () => {
    // The marker is real: the text-only socket.io parser's refusal is in the chat chunk.
    expect(chatChunk()).toContain('not a text socket.io packet');
    // socket.io-parser's binary attachments and engine.io-parser's base64 encoding of binary frames.
    for (const code of [chatChunk(), chunk('polling')])
      for (const marker of ['_placeholder', 'FileReader', 'got binary data']) expect(code).not.toContain(marker);
  });

  it(`keeps long-polling out of the chat chunk: a lazy chunk (${budgets.polling} bytes) imported only after a WebSocket failed`, () => {
    // engine.io-client's XHR transport (the marker is real: the polling chunk has it).
    const pollMarker = 'xhr poll error';
    expect(chunk('polling')).toContain(pollMarker);
    expect(gzip(chunk('polling'))).toBeLessThanOrEqual(budgets.polling);
    expect(chatChunk()).not.toContain(pollMarker);
    expect(chatChunk()).not.toContain('new WebTransport');
    expect(chatChunk()).toMatch(/import\(["'`]\.\/polling-[\w-]+\.js["'`]\)/);
  });

  it("fetches no preload helper: nothing in the widget's chunks is Vite's (library build)", () => {
    expect(chunks(/^preload-helper/)).toEqual([]);
    for (const code of chunks(/\.js$/)) expect(code).not.toContain('vite:preloadError');
  });

  it(`keeps the callback and feedback forms (${budgets.forms} bytes) and the phone-number chunk (${budgets.phone} bytes) lazy and within budget`, () => {
    const ui = uiChunk();
    expect(ui).toMatch(/import\(["'`]\.\/forms-[\w-]+\.js["'`]\)/);
    // libphonenumber-js metadata (the marker is real: the phone chunk has it) stays out of the first download.
    expect(chunk('phone')).toContain('country_calling_codes');
    expect(ui).not.toContain('country_calling_codes');
    const forms = chunk('forms');
    expect(gzip(forms)).toBeLessThanOrEqual(budgets.forms);
    expect(forms).toMatch(/import\(["'`]\.\/phone-[\w-]+\.js["'`]\)/);
    expect(gzip(chunk('phone'))).toBeLessThanOrEqual(budgets.phone);
    for (const marker of [...zodMarkers, ...socketMarkers]) expect(forms).not.toContain(marker);
  });

  it(`keeps each language of the forms within ${budgets.formLocale} bytes gzipped`, () => {
    const locales = chunks(/^form-words-(de|fr|es|ru|lv|hy|uz|am|si)-[\w-]+\.js$/);
    expect(locales).toHaveLength(9);
    for (const locale of locales) expect(gzip(locale)).toBeLessThanOrEqual(budgets.formLocale);
  });

  it(`keeps each lazy chunk of the loader (consent prompt, pixels, consent-manager adapters) within ${budgets.lazyLoaderChunk} bytes gzipped, without Preact, zod or socket.io`, () => {
    for (const name of ['consent', 'pixels', 'external']) {
      const code = chunk(name);
      expect(gzip(code)).toBeLessThanOrEqual(budgets.lazyLoaderChunk);
      for (const marker of [preactMarker, ...zodMarkers, ...socketMarkers]) expect(code).not.toContain(marker);
    }
    // The loader names each of them (and the launcher shell it imports with the config).
    for (const name of ['shell', 'consent', 'pixels', 'external'])
      expect(read(`${dist}beckon.js`)).toMatch(new RegExp(`widget/${name}-[\\w-]{8}\\.js`));
  });

  it(`keeps the trigger engine a lazy chunk within ${budgets.triggers} bytes gzipped, without Preact, zod or socket.io`, () => {
    const code = chunk('triggers');
    expect(gzip(code)).toBeLessThanOrEqual(budgets.triggers);
    for (const marker of [preactMarker, ...zodMarkers, ...socketMarkers]) expect(code).not.toContain(marker);
    // The loader only names it; the engine's code (its caps key, the typing rule) is not in the loader.
    expect(read(`${dist}beckon.js`)).toMatch(/widget\/triggers-[\w-]{8}\.js/);
    expect(code).toContain(':triggers');
    expect(read(`${dist}beckon.js`)).not.toContain(':triggers');
  });

  it(`opens the chat for the first time within ${budgets.firstChatOpen} bytes gzipped besides the loader (shell, UI, chat client)`, () => {
    // On the page: the shell and its static imports, with the config. On the click: the UI entry and its static
    // imports (Preact, panel, chat view), then the chat chunk the chat view imports. English needs no language chunk.
    const shell = [fileOf('shell'), ...staticImports(chunk('shell'))];
    const ui = [fileOf('ui'), ...staticImports(chunk('ui'))].filter((name) => !shell.includes(name));
    const total = gzipEach([...new Set([...shell, ...ui, fileOf('chat')])]);
    expect(total).toBeLessThanOrEqual(budgets.firstChatOpen);
  });

  it(`keeps the chat's cards and the bubbles above the launcher a lazy chunk (${budgets.extras} bytes), out of the first chat open`, () => {
    const extras = chunk('extras');
    // The markers are real: the rating's stars, the teaser's body, the offline form's styles and its English words.
    for (const marker of ['.bk-stars', '.bk-teaser-body', '.bk-card-p', 'bk-o-email', 'Leave us a message']) {
      expect(extras).toContain(marker);
      expect(uiChunk()).not.toContain(marker);
    }
    expect(uiChunk()).toMatch(/import\(["'`]\.\/extras-[\w-]+\.js["'`]\)/);
    expect(staticImports(chunk('ui'))).not.toContain(fileOf('extras'));
    expect(gzip(extras)).toBeLessThanOrEqual(budgets.extras);
    for (const marker of [...zodMarkers, ...socketMarkers]) expect(extras).not.toContain(marker);
  });

  it(`keeps each language of the chat within ${budgets.locale} bytes gzipped`, () => {
    // Each its own chunk, and none of their words in the first click's download.
    const locales = chunks(/^(de|fr|es|ru|lv|hy|uz|am|si)-[\w-]+\.js$/);
    expect(locales).toHaveLength(9);
    expect(uiChunk()).not.toContain('Tiešsaistē');
    expect(chunk('forms')).not.toContain('Atzvanīšana');
    for (const locale of locales) expect(gzip(locale)).toBeLessThanOrEqual(budgets.locale);
  });
});
