// @vitest-environment happy-dom
import type { Core } from '@beckon/sdk/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { testConfig } from '../../loader/test-helpers.js';
import type { UiContext } from '../../shared/contract.js';
import { buildShell } from '../../shared/launcher.js';
import { mount } from '../index.js';
import { chatCss } from '../styles.js';
import { type FakeSocket, agentMessage, chatSettings, conversationId, summary } from './test-socket.js';

const sockets = vi.hoisted(() => [] as import('./test-socket.js').FakeSocket[]);

// The real chat client, talking to a fake server socket.
vi.mock('@beckon/sdk/chat', async (importOriginal) => {
  const real = await importOriginal<typeof import('@beckon/sdk/chat')>();
  const { FakeSocket: Fake } = await import('./test-socket.js');
  return {
    ...real,
    createChatClient: (options: Parameters<typeof real.createChatClient>[0]) =>
      real.createChatClient({
        ...options,
        io: (_url, ioOptions) => {
          const socket = new Fake(ioOptions);
          sockets.push(socket);
          return socket;
        },
      }),
  };
});

function setup() {
  const element = document.createElement('beckon-widget');
  document.body.append(element);
  const root = element.attachShadow({ mode: 'open' });
  const shell = buildShell(root, testConfig.widget);
  const context: UiContext = {
    config: testConfig,
    core: { track: vi.fn(), visitorId: 'visitor-for-tests-01' } as unknown as Core,
    endpoint: 'https://beckon.example',
    layer: shell.layer,
    open: vi.fn(),
    close: vi.fn(),
    emit: vi.fn(),
    log: vi.fn(),
    badge: vi.fn(),
  };
  const handle = mount(root, context);
  const $ = <E extends Element = HTMLElement>(selector: string) => root.querySelector<E>(selector);
  const $$ = (selector: string) => Array.from(root.querySelectorAll<HTMLElement>(selector));
  return { root, context, handle, $, $$ };
}

/** Opens the chat and lets the fake server answer the connection. */
async function openChat(ready: Parameters<FakeSocket['accept']>[0] = {}) {
  const widget = setup();
  widget.handle.open('chat');
  await vi.waitFor(() => expect(sockets).toHaveLength(1));
  const socket = sockets[0]!;
  socket.accept(ready);
  await vi.waitFor(() => expect(widget.$('.bk-spin')).toBeNull());
  return { ...widget, socket };
}

const key = (target: Element, init: KeyboardEventInit) =>
  target.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, composed: true, cancelable: true, ...init }));

/** Every style rule in the shadow root (adopted sheets, or `<style>` where constructable sheets are missing). */
const shadowCss = (root: ShadowRoot) =>
  [
    ...root.adoptedStyleSheets.flatMap((sheet) => [...sheet.cssRules].map((rule) => rule.cssText)),
    ...[...root.querySelectorAll('style')].map((style) => style.textContent),
  ].join('\n');

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Types into a field and lets Preact render, as a real keystroke would before the next one. */
async function type(field: HTMLTextAreaElement | HTMLInputElement, value: string) {
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true }));
  await settle();
}

beforeEach(() => {
  sockets.length = 0;
  localStorage.clear();
  document.body.replaceChildren();
  document.title = 'Shop';
});
afterEach(() => vi.restoreAllMocks());

describe('chat view', () => {
  it('renders messages as text, with links that open safely', async () => {
    const { $, $$ } = await openChat({
      conversation: summary(),
      messages: [
        agentMessage(1, '<img src=x onerror=alert(1)> is what you typed'),
        agentMessage(2, 'See https://shop.example/help?q=1, or www.example.org/faq. javascript:alert(1) stays text.'),
      ],
    });
    await vi.waitFor(() => expect($$('.bk-bubble')).toHaveLength(3));
    const bubbles = $$('.bk-bubble');
    expect(bubbles[0]!.textContent).toBe(chatSettings.greeting);
    expect(bubbles[1]!.textContent).toBe('<img src=x onerror=alert(1)> is what you typed');
    expect($('.bk-log img')).toBeNull();
    const links = $$('.bk-bubble a') as HTMLAnchorElement[];
    expect(links.map((link) => [link.textContent, link.getAttribute('href')])).toEqual([
      ['https://shop.example/help?q=1', 'https://shop.example/help?q=1'],
      ['www.example.org/faq', 'https://www.example.org/faq'],
    ]);
    for (const link of links) {
      expect(link.getAttribute('rel')).toBe('noopener noreferrer nofollow');
      expect(link.getAttribute('target')).toBe('_blank');
    }
    expect(bubbles[2]!.textContent).toContain('javascript:alert(1) stays text.');
    // The agent's name and avatar head the panel; new messages are announced politely.
    expect($('.bk-cname')!.textContent).toBe('Anna');
    const log = $('[role=log]')!;
    expect(log.getAttribute('aria-live')).toBe('polite');
    // The live region wraps a real list, so every message is a list item in an <ol> with its list role.
    const list = log.querySelector('ol')!;
    expect(list.hasAttribute('role')).toBe(false);
    expect([...list.children].map((child) => child.tagName)).toEqual(['LI', 'LI', 'LI']);
    expect(log.querySelectorAll('.bk-bubble')).toHaveLength(3);
    expect($('.bk-ta')!.getAttribute('aria-label')).toBe('Message');
  });

  it('sends on Enter, breaks the line on Shift+Enter, and shows the delivery state', async () => {
    const { $, socket } = await openChat();
    const composer = $<HTMLTextAreaElement>('.bk-ta')!;
    await type(composer, 'first line');
    key(composer, { key: 'Enter', shiftKey: true });
    await settle();
    expect(socket.sentOf('message:send')).toHaveLength(0);
    await type(composer, 'first line\nsecond line');
    key(composer, { key: 'Enter' });
    await vi.waitFor(() => expect(socket.sentOf('message:send')).toHaveLength(1));
    const sent = socket.sentOf('message:send')[0]!;
    expect(sent.payload).toMatchObject({ text: 'first line\nsecond line' });
    expect(sent.payload).not.toHaveProperty('prechat');
    await vi.waitFor(() => expect($('.bk-mine .bk-meta')?.textContent).toBe('Sending…'));
    expect(composer.value).toBe('');

    sent.ack!({
      ok: true,
      message: {
        ...agentMessage(1, 'first line\nsecond line'),
        author: 'visitor',
        agent: null,
        clientId: sent.payload.clientId,
      },
    });
    await vi.waitFor(() => expect($('.bk-mine .bk-meta')?.textContent).toMatch(/· Sent$/));
    socket.fire('message:read', { conversationId, seq: 1 });
    await vi.waitFor(() => expect($('.bk-mine .bk-meta')?.textContent).toMatch(/· Read$/));
  });

  it("still shows Read on the visitor's last message after a page load", async () => {
    const mine = (seq: number, text: string) =>
      agentMessage(seq, text, { author: 'visitor', agent: null, clientId: `visitor-client-${seq}` });
    const { $$ } = await openChat({
      conversation: summary({ agentReadSeq: 3, lastSeq: 3 }),
      messages: [mine(1, 'hello'), agentMessage(2, 'Hi there'), mine(3, 'one more thing')],
    });
    await vi.waitFor(() => expect($$('.bk-mine .bk-meta').at(-1)?.textContent).toMatch(/· Read$/));
  });

  it('says it is reconnecting, without the green dot, while the connection is lost', async () => {
    const { $, socket } = await openChat({ conversation: summary() });
    expect($('.bk-dot')!.classList.contains('bk-live')).toBe(true);
    socket.connected = false;
    socket.fire('disconnect', 'transport close');
    await vi.waitFor(() => expect($('.bk-cstatus')!.textContent).toBe('Reconnecting…'));
    expect($('.bk-dot')!.classList.contains('bk-live')).toBe(false);
    socket.accept({ conversation: summary() });
    await vi.waitFor(() => expect($('.bk-dot')!.classList.contains('bk-live')).toBe(true));
    expect($('.bk-cstatus')!.textContent).toMatch(/^Usually replies within/);
  });

  it('offers Retry on a message the server refused, with the same clientId', async () => {
    const { $, socket } = await openChat();
    const composer = $<HTMLTextAreaElement>('.bk-ta')!;
    await type(composer, 'hello');
    key(composer, { key: 'Enter' });
    await vi.waitFor(() => expect(socket.sentOf('message:send')).toHaveLength(1));
    socket.sentOf('message:send')[0]!.ack!({ ok: false, error: { code: 'validation_failed', message: 'no' } });
    await vi.waitFor(() => expect($('.bk-fail')?.textContent).toBe('Not sent'));
    $<HTMLButtonElement>('.bk-meta button')!.click();
    await vi.waitFor(() => expect(socket.sentOf('message:send')).toHaveLength(2));
    const [first, second] = socket.sentOf('message:send');
    expect(second!.payload.clientId).toBe(first!.payload.clientId);
  });

  it('does not send before the required pre-chat answers are there, then sends them with the message', async () => {
    const { $, $$, root, socket } = await openChat({
      settings: { ...chatSettings, prechat: { name: 'required', email: 'required', phone: 'optional' } },
    });
    expect($$('.bk-field label').map((label) => label.textContent)).toEqual(['Name', 'Email', 'Phone (optional)']);
    const composer = $<HTMLTextAreaElement>('.bk-ta')!;
    await type(composer, 'Do you ship to Norway?');
    key(composer, { key: 'Enter' });
    await vi.waitFor(() => expect($$('.bk-err')).toHaveLength(2));
    expect(socket.sentOf('message:send')).toHaveLength(0);
    expect(root.activeElement).toBe($('#bk-p-name'));
    expect($('#bk-p-name')!.getAttribute('aria-invalid')).toBe('true');

    await type($<HTMLInputElement>('#bk-p-name')!, 'Ada');
    await type($<HTMLInputElement>('#bk-p-email')!, 'ada@example');
    key(composer, { key: 'Enter' });
    await vi.waitFor(() => expect($('.bk-err')?.textContent).toBe('Please enter a valid email address.'));
    expect(socket.sentOf('message:send')).toHaveLength(0);

    await type($<HTMLInputElement>('#bk-p-email')!, 'ada@example.com');
    key(composer, { key: 'Enter' });
    await vi.waitFor(() => expect(socket.sentOf('message:send')).toHaveLength(1));
    expect(socket.sentOf('message:send')[0]!.payload).toMatchObject({
      text: 'Do you ship to Norway?',
      prechat: { name: 'Ada', email: 'ada@example.com' },
    });
  });

  it('tells the visitor in words, not a code, when too many new chats were started, and sends nothing more on its own', async () => {
    const { $, $$, socket } = await openChat();
    const composer = $<HTMLTextAreaElement>('.bk-ta')!;
    await type(composer, 'hello');
    key(composer, { key: 'Enter' });
    await vi.waitFor(() => expect(socket.sentOf('message:send')).toHaveLength(1));
    socket.sentOf('message:send')[0]!.ack!({
      ok: false,
      error: {
        code: 'too_many_conversations',
        message: 'You have started several conversations',
        details: { retryAfterSeconds: 540, scope: 'address' },
      },
    });
    await vi.waitFor(() =>
      expect($('.bk-mine [role=alert]')?.textContent).toBe(
        'Too many new chats were started just now. Please try again in 9\u00a0minutes.',
      ),
    );
    expect($('.bk-fail')?.textContent).toBe('Not sent');
    expect($$('.bk-log')[0]!.textContent).not.toContain('too_many_conversations');
    await settle();
    expect(socket.sentOf('message:send')).toHaveLength(1);
  });

  it('says the same on a message left offline that the limit refused', async () => {
    const { $, socket } = await openChat({ available: false, reason: 'no_agents' });
    await vi.waitFor(() => expect($('form.bk-card')).not.toBeNull());
    await type($<HTMLInputElement>('#bk-o-email')!, 'grace@example.com');
    await type($<HTMLTextAreaElement>('#bk-o-text')!, 'Please call me.');
    $<HTMLFormElement>('form.bk-card')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(socket.sentOf('offline:message')).toHaveLength(1));
    socket.sentOf('offline:message')[0]!.ack!({
      ok: false,
      error: { code: 'too_many_conversations', message: 'no', details: { retryAfterSeconds: 7200, scope: 'site' } },
    });
    await vi.waitFor(() =>
      expect($('form.bk-card [role=alert]')?.textContent).toBe(
        'Too many new chats were started just now. Please try again in 2\u00a0hours.',
      ),
    );
  });

  it('offers to leave a message while no agent is available, and requires an email', async () => {
    const { $, $$, socket } = await openChat({ available: false, reason: 'no_agents' });
    // The form is in the chunk fetched once the chat code was in; until it arrives the panel shows no broken card.
    await vi.waitFor(() => expect($('form.bk-card')).not.toBeNull());
    expect($('.bk-ta')).toBeNull();
    expect($('.bk-cstatus')!.textContent).toBe('Away right now');
    const form = $<HTMLFormElement>('form.bk-card')!;
    await type($<HTMLTextAreaElement>('#bk-o-text')!, 'Please call me about an order.');
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect($$('.bk-err').map((error) => error.textContent)).toEqual(['Please fill this in.']));
    expect(socket.sentOf('offline:message')).toHaveLength(0);

    await type($<HTMLInputElement>('#bk-o-email')!, 'grace@example.com');
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(socket.sentOf('offline:message')).toHaveLength(1));
    const left = socket.sentOf('offline:message')[0]!;
    expect(left.payload).toMatchObject({ email: 'grace@example.com', text: 'Please call me about an order.' });
    const otherConversation = '00000000-0000-4000-8000-0000000000bb';
    socket.fire('message:new', {
      ...agentMessage(1, 'Please call me about an order.'),
      conversationId: otherConversation,
      author: 'visitor',
      agent: null,
      clientId: left.payload.clientId,
    });
    left.ack!({ ok: true, conversationId: otherConversation });
    await vi.waitFor(() =>
      expect($('.bk-note')?.textContent).toBe('Thank you! We will reply to grace@example.com as soon as we can.'),
    );
    expect($('form.bk-card')).toBeNull();
    expect($('.bk-ta')).toBeNull();
  });

  it('tells when the site opens again when it is closed', async () => {
    const { $ } = await openChat({
      available: false,
      reason: 'closed',
      settings: {
        ...chatSettings,
        businessHours: {
          timezone: 'UTC',
          intervals: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, open: '23:59', close: '23:59' })),
        },
      },
    });
    expect($('.bk-cstatus')!.textContent).toBe('Closed right now');
    await vi.waitFor(() => expect($('.bk-card-p')).not.toBeNull());
    expect($('.bk-card-p')!.textContent).toMatch(/^We are closed right now\. .* We are back (at|.* at) /);
  });

  it('offers a rating when the agent closes the conversation', async () => {
    const { root, $, $$, socket } = await openChat({
      conversation: summary(),
      messages: [agentMessage(1, 'Glad to help!')],
    });
    socket.fire('conversation:closed', { conversationId });
    await vi.waitFor(() => expect($('.bk-stars')).not.toBeNull());
    // The card came with its chunk, and its styles with it, into the shadow root.
    expect(shadowCss(root)).toContain('.bk-star');
    expect($$('.bk-note').map((note) => note.textContent)).toEqual(['This conversation has ended.']);
    // No SMTP on that server: no transcript offer it could not keep.
    expect($$('.bk-meta button').some((button) => button.textContent === 'Email me this chat')).toBe(false);
    $$('.bk-star')[3]!.click();
    await vi.waitFor(() => expect($('.bk-card textarea')).not.toBeNull());
    await type($<HTMLTextAreaElement>('.bk-card textarea')!, 'Quick answer');
    $<HTMLFormElement>('form.bk-card')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(socket.sentOf('csat:submit')).toHaveLength(1));
    const rated = socket.sentOf('csat:submit')[0]!;
    expect(rated.payload).toEqual({ conversationId, rating: 4, comment: 'Quick answer' });
    rated.ack!({ ok: true });
    await vi.waitFor(() => expect($('.bk-card-t')?.textContent).toBe('Thank you for your feedback!'));
    // The site asks for an NPS after a chat: one click opens that form.
    $<HTMLButtonElement>('.bk-card .bk-meta button')!.click();
    await vi.waitFor(() =>
      expect($('legend')?.textContent).toBe('How likely are you to recommend us to a friend or colleague?'),
    );
    expect($$('.bk-score')).toHaveLength(11);
  });

  it('emails the visitor a transcript of the chat on request', async () => {
    // Offered only where the server can send email.
    const { $, $$, socket } = await openChat({
      conversation: summary(),
      messages: [agentMessage(1, 'Glad to help!')],
      emailAvailable: true,
    });
    const findAsk = () => $$('.bk-meta button').find((button) => button.textContent === 'Email me this chat');
    await vi.waitFor(() => expect(findAsk()).toBeDefined());
    const ask = findAsk()!;
    ask.click();
    await vi.waitFor(() => expect($('#bk-t-email')).not.toBeNull());
    await type($<HTMLInputElement>('#bk-t-email')!, 'ada@example.com');
    $<HTMLFormElement>('form[aria-label="Email me this chat"]')!.dispatchEvent(
      new Event('submit', { cancelable: true }),
    );
    await vi.waitFor(() => expect(socket.sentOf('transcript:request')).toHaveLength(1));
    const requested = socket.sentOf('transcript:request')[0]!;
    expect(requested.payload).toEqual({ email: 'ada@example.com' });
    requested.ack!({ ok: true });
    await vi.waitFor(() =>
      expect($$('.bk-note').map((note) => note.textContent)).toContain('We sent this chat to ada@example.com.'),
    );
  });

  it('shows the agent typing, and forwards chat events to Beckon("on") listeners', async () => {
    const { $, context, socket } = await openChat({ conversation: summary(), messages: [] });
    socket.fire('agent:typing', { conversationId, typing: true, agentName: 'Anna' });
    await vi.waitFor(() => expect($('.bk-typing')?.textContent).toBe('Anna is typing…'));
    const reply = agentMessage(1, 'Hello!');
    socket.fire('message:new', reply);
    await vi.waitFor(() => expect($('.bk-typing')).toBeNull());
    expect(context.emit).toHaveBeenCalledWith('typing', { conversationId, typing: true, agentName: 'Anna' });
    expect(context.emit).toHaveBeenCalledWith('message', reply);
  });

  it('badges the launcher and the tab title while the panel is closed, until the reply is seen', async () => {
    const { handle, context, socket } = await openChat({ conversation: summary(), messages: [agentMessage(1, 'Hi')] });
    handle.close();
    socket.fire('message:new', agentMessage(2, 'Are you still there?'));
    await vi.waitFor(() => expect(context.badge).toHaveBeenLastCalledWith(1, 'New messages: 1'));
    expect(document.title).toBe('(1) New message — Shop');
    // The conversation is going on, so the connection stays and the launcher reopens the chat.
    expect(socket.connected).toBe(true);
    handle.open();
    await vi.waitFor(() => expect(context.badge).toHaveBeenLastCalledWith(0, 'New messages: 0'));
    expect(document.title).toBe('Shop');
    expect(socket.sentOf('message:read').at(-1)!.payload).toEqual({ conversationId, seq: 2 });
  });

  it('stores the token only once the chat is opened, and disconnects on close when nothing is going on', async () => {
    const widget = setup();
    expect(localStorage.length).toBe(0);
    widget.handle.open('chat');
    await vi.waitFor(() => expect(sockets).toHaveLength(1));
    expect(localStorage.length).toBe(0);
    sockets[0]!.accept();
    await vi.waitFor(() =>
      expect(localStorage.getItem('beckon:demo:chat')).toContain('token-for-the-widget-tests-0001'),
    );
    widget.handle.close();
    expect(sockets[0]!.connected).toBe(false);
  });

  it("shows a trigger's message (in place of the greeting) and keeps it above the chat it started", async () => {
    const widget = setup();
    widget.handle.open('chat', { message: 'Need help choosing a size?', unasked: true });
    await vi.waitFor(() => expect(sockets).toHaveLength(1));
    sockets[0]!.accept({});
    await vi.waitFor(() =>
      expect(widget.$$('.bk-bubble').map((bubble) => bubble.textContent)).toEqual(['Need help choosing a size?']),
    );
    expect(widget.$('.bk-proactive .bk-from')!.textContent).toBe(testConfig.name);
    await vi.waitFor(() => expect(widget.$('.bk-ta')).not.toBeNull());
    await type(widget.$<HTMLTextAreaElement>('.bk-ta')!, 'Yes please');
    key(widget.$('.bk-ta')!, { key: 'Enter' });
    await vi.waitFor(() =>
      expect(widget.$$('.bk-bubble').map((bubble) => bubble.textContent)).toEqual([
        'Need help choosing a size?',
        'Yes please',
      ]),
    );
  });

  describe('on a phone', () => {
    beforeEach(() =>
      (
        window as unknown as { happyDOM: { setViewport(size: { width: number; height: number }): void } }
      ).happyDOM.setViewport({ width: 390, height: 844 }),
    );
    afterEach(() =>
      (
        window as unknown as { happyDOM: { setViewport(size: { width: number; height: number }): void } }
      ).happyDOM.setViewport({ width: 1024, height: 768 }),
    );

    it('shows an unasked proactive message as a bubble above the launcher, and opens the chat on a tap', async () => {
      const widget = setup();
      widget.handle.open('chat', {
        message: 'Need help choosing a size?',
        from: 'Anna',
        invitationId: 'inv-1',
        unasked: true,
      });
      // No panel over the whole screen, no connection yet: the words, who says them, and what a tap does, once
      // the bubbles' chunk is in (nothing shows before it).
      expect(widget.$('.bk-panel')).toBeNull();
      await vi.waitFor(() => expect(widget.$('.bk-teaser')).not.toBeNull());
      expect(shadowCss(widget.root)).toContain('.bk-teaser-body');
      expect(widget.$('.bk-panel')).toBeNull();
      expect(sockets).toHaveLength(0);
      const teaser = widget.$('.bk-teaser')!;
      expect(teaser.textContent).toContain('Anna');
      expect(teaser.textContent).toContain('Need help choosing a size?');
      expect(teaser.querySelector('.bk-teaser-cta')!.textContent).toBe(testConfig.widget.texts.chat);
      teaser.querySelector<HTMLButtonElement>('.bk-teaser-x')!.click();
      expect(widget.context.close).toHaveBeenCalledTimes(1);

      widget.$<HTMLButtonElement>('.bk-teaser-body')!.click();
      await vi.waitFor(() => expect(sockets).toHaveLength(1));
      sockets[0]!.accept({});
      await vi.waitFor(() =>
        expect(widget.$('.bk-proactive .bk-bubble')?.textContent).toBe('Need help choosing a size?'),
      );
      expect(widget.$('.bk-teaser')).toBeNull();
    });

    it("asks a feedback trigger's question in the bubble when it has no line of its own", async () => {
      const widget = setup();
      widget.handle.open('feedback', { kind: 'nps', message: '', unasked: true });
      await vi.waitFor(() => expect(widget.$('.bk-teaser')).not.toBeNull());
      expect(widget.$('.bk-panel')).toBeNull();
      expect(widget.$('.bk-teaser .bk-teaser-text')!.textContent).toBe(testConfig.feedback.npsQuestion);
      expect(widget.$('.bk-teaser-cta')!.textContent).toBe(testConfig.widget.texts.feedback);
    });

    it('opens the full panel when the visitor (or the page) asks for it', () => {
      const widget = setup();
      widget.handle.open('chat', { message: 'Ask us anything' });
      expect(widget.$('.bk-teaser')).toBeNull();
      expect(widget.$('.bk-panel')).not.toBeNull();
    });
  });

  it('keeps inputs at 16 px so iOS does not zoom, and fills the phone screen above the keyboard', () => {
    expect(chatCss).toMatch(/\.bk-in,\.bk-ta\{[^}]*font-size:16px/);
    expect(chatCss).toMatch(
      /@container \(max-width:480px\)\{\.bk-layer \.bk-panel\.bk-chat\{top:var\(--bk-vt,0px\);[^}]*height:var\(--bk-vh,100%\)/,
    );
  });
});
