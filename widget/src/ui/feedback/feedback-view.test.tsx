// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { testConfig } from '../../loader/test-helpers.js';
import { FeedbackView } from './FeedbackView.js';

let container: HTMLElement;
let fetchMock: ReturnType<typeof vi.fn>;
const emit = vi.fn();

function show(kind: 'nps' | 'csat' | 'message') {
  container = document.createElement('div');
  document.body.append(container);
  const context = {
    config: testConfig,
    endpoint: 'https://beckon.example',
    emit,
    core: { visitorId: 'visitor_test_01' },
  };
  act(() => render(<FeedbackView context={context} kind={kind} onBack={vi.fn()} onClose={vi.fn()} />, container));
}
const click = (element: Element) => act(() => void (element as HTMLElement).click());
const type = (selector: string, value: string) =>
  act(() => {
    const element = container.querySelector<HTMLInputElement>(selector)!;
    element.value = value;
    element.dispatchEvent(new Event('input', { bubbles: true }));
  });
const submit = () =>
  act(
    async () =>
      void container.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })),
  );
const scoreButton = (value: number) =>
  [...container.querySelectorAll('.bk-score')].find((button) => button.textContent === String(value))!;

beforeEach(() => {
  document.body.replaceChildren();
  emit.mockReset();
  fetchMock = vi.fn(
    async () =>
      new Response(JSON.stringify({ feedback: { id: 'f1', kind: 'nps', createdAt: new Date().toISOString() } }), {
        status: 201,
      }),
  );
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => {
  if (container) render(null, container);
  vi.unstubAllGlobals();
});

describe('feedback form', () => {
  it("asks the site's NPS question with 0–10, requires a score, and sends score, reason and email", async () => {
    show('nps');
    expect(container.querySelector('legend')!.textContent).toBe(testConfig.feedback.npsQuestion);
    expect(container.querySelectorAll('.bk-score')).toHaveLength(11);
    await submit();
    expect(container.querySelector('.bk-err')!.textContent).toBe('Please choose a score.');
    expect(fetchMock).not.toHaveBeenCalled();
    click(scoreButton(9));
    expect(scoreButton(9).getAttribute('aria-checked')).toBe('true');
    type('#bk-fb-text', 'Fast delivery');
    type('#bk-fb-email', 'max@example.test');
    await submit();
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('https://beckon.example/v1/feedback');
    expect(JSON.parse(init.body)).toMatchObject({
      site: 'demo',
      kind: 'nps',
      score: 9,
      text: 'Fast delivery',
      email: 'max@example.test',
      website: '',
      visitorId: 'visitor_test_01',
    });
    await vi.waitFor(() => expect(container.textContent).toContain('Thank you for your feedback!'));
    expect(emit).toHaveBeenCalledWith('feedback:sent', { kind: 'nps', score: 9 });
  });

  it('rates 1–5 for CSAT and switches to a free-text message that needs text', async () => {
    show('csat');
    expect(container.querySelectorAll('.bk-score')).toHaveLength(5);
    expect(scoreButton(1).getAttribute('aria-label')).toBe('1 – Very unsatisfied');
    click([...container.querySelectorAll('.bk-tab')].find((tab) => tab.textContent === 'Message')!);
    expect(container.querySelector('.bk-score')).toBeNull();
    await submit();
    expect(container.querySelector('.bk-err')!.textContent).toBe('Please write a message.');
    type('#bk-fb-text', 'Do you ship to Norway?');
    type('#bk-fb-email', 'not-an-email');
    await submit();
    expect(container.querySelector('.bk-err')!.textContent).toBe('Please enter a valid email address.');
    type('#bk-fb-email', 'ola@example.no');
    await submit();
    expect(JSON.parse(fetchMock.mock.calls[0]![1].body)).toMatchObject({
      kind: 'message',
      text: 'Do you ship to Norway?',
      email: 'ola@example.no',
    });
    expect(JSON.parse(fetchMock.mock.calls[0]![1].body).score).toBeUndefined();
  });

  it('cuts a message over 4,000 characters without splitting an emoji at the limit', async () => {
    show('csat');
    click([...container.querySelectorAll('.bk-tab')].find((tab) => tab.textContent === 'Message')!);
    type('#bk-fb-text', `${'a'.repeat(3999)}\u{1F600} and more`);
    await submit();
    expect(JSON.parse(fetchMock.mock.calls[0]![1].body).text).toBe('a'.repeat(3999));
  });

  it('says so when the server refuses, keeping what the visitor wrote', async () => {
    fetchMock.mockResolvedValueOnce(
      new Response(JSON.stringify({ error: { code: 'rate_limited', message: 'x' } }), {
        status: 429,
        headers: { 'retry-after': '60' },
      }),
    );
    show('csat');
    click(scoreButton(4));
    type('#bk-fb-text', 'Nice');
    await submit();
    await vi.waitFor(() => expect(container.querySelector('.bk-banner')!.textContent).toContain('enough feedback'));
    expect(container.querySelector<HTMLTextAreaElement>('#bk-fb-text')!.value).toBe('Nice');
    expect(emit).not.toHaveBeenCalled();
  });
});
