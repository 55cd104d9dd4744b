// @vitest-environment happy-dom
import type { CallbackOptions } from '@beckon/sdk/protocol';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { testConfig } from '../../loader/test-helpers.js';
import { CallbackView } from './CallbackView.js';
import * as phone from './phone.js';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

function options(now: boolean, slots: string[] = []): CallbackOptions {
  return {
    enabled: true,
    now: { available: now, countdownSeconds: 30 },
    slots: slots.map((at) => ({ at })),
    timezone: 'Europe/Berlin',
  };
}

let container: HTMLElement;
let fetchMock: ReturnType<typeof vi.fn>;
const emit = vi.fn();

async function show(pollMs = 20) {
  container = document.createElement('div');
  document.body.append(container);
  const context = {
    config: testConfig,
    endpoint: 'https://beckon.example',
    emit,
    log: vi.fn(),
    core: { visitorId: 'visitor_test_01' },
  };
  await act(async () => {
    render(
      <CallbackView
        context={context}
        onBack={vi.fn()}
        onClose={vi.fn()}
        loadPhone={async () => phone}
        pollMs={pollMs}
      />,
      container,
    );
  });
  await vi.waitFor(() => expect(container.querySelector('#bk-cb-phone')).not.toBeNull());
}

const input = (selector: string, value: string) =>
  act(() => {
    const element = container.querySelector<HTMLInputElement | HTMLSelectElement>(selector)!;
    element.value = value;
    element.dispatchEvent(new Event(element.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }));
  });
const submit = () =>
  act(
    async () =>
      void container.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })),
  );
const sentBody = () =>
  JSON.parse(
    fetchMock.mock.calls.find(([url, init]) => String(url).endsWith('/v1/callbacks') && init?.method === 'POST')![1]
      .body as string,
  );

beforeEach(() => {
  document.body.replaceChildren();
  sessionStorage.clear();
  emit.mockReset();
  fetchMock = vi.fn();
  vi.stubGlobal('fetch', fetchMock);
  Object.defineProperty(navigator, 'languages', { value: ['de-DE', 'de'], configurable: true });
});
afterEach(() => {
  if (container) render(null, container);
  vi.unstubAllGlobals();
});

describe('detectCountry', () => {
  it('takes the region of the browser languages, else the language, else nothing', () => {
    expect(phone.detectCountry(['de-AT', 'de'])).toBe('AT');
    expect(phone.detectCountry(['fr'])).toBe('FR');
    expect(phone.detectCountry(['en-GB'])).toBe('GB');
    expect(phone.detectCountry(['en'])).toBe('US');
    expect(phone.detectCountry(['xx'])).toBeUndefined();
  });

  it('turns national and international input into E.164', () => {
    expect(phone.toE164('030 901820', 'DE')).toBe('+4930901820');
    expect(phone.toE164('+1 415 555 2671', 'DE')).toBe('+14155552671');
    expect(phone.toE164('(415) 555-2671', 'US')).toBe('+14155552671');
    expect(phone.toE164('12', 'DE')).toBeNull();
  });

  it('lists countries by name with the calling code first', () => {
    const options = phone.countryOptions('en');
    expect(options.find((option) => option.code === 'DE')!.label).toBe('+49 Germany');
    const names = options.map((option) => option.label.replace(/^\+\d+ /, ''));
    expect(names.indexOf('Austria')).toBeLessThan(names.indexOf('Germany'));
  });
});

describe('callback form', () => {
  it('sends a national number as E.164 with the country from the browser, then counts down until an agent calls', async () => {
    fetchMock.mockImplementation(async (url: string, init?: RequestInit) => {
      if (url.includes('/callback-options')) return json(200, options(true));
      if (init?.method === 'POST') {
        const requestedAt = new Date().toISOString();
        return json(201, {
          token: 't'.repeat(43),
          callback: {
            id: 'cb-1',
            status: 'pending',
            mode: 'now',
            requestedAt,
            countdownEndsAt: new Date(Date.parse(requestedAt) + 30_000).toISOString(),
            agentName: null,
          },
        });
      }
      // Status polls: pending twice, then taken.
      const polls = fetchMock.mock.calls.filter(([called]) => String(called).includes('/v1/callbacks/cb-1')).length;
      return json(200, {
        callback: {
          id: 'cb-1',
          status: polls < 3 ? 'pending' : 'calling',
          mode: 'now',
          requestedAt: new Date().toISOString(),
          countdownEndsAt: null,
          agentName: polls < 3 ? null : 'Anna',
        },
      });
    });
    await show();
    expect(container.querySelector<HTMLSelectElement>('#bk-cb-country')!.value).toBe('DE');
    // The closed picker is compact (the list still names every country): a phone's width is not cut to "+49 Deu…".
    expect(container.querySelector('.bk-ccv')!.textContent).toBe('DE +49');
    expect(
      [...container.querySelectorAll<HTMLOptionElement>('#bk-cb-country option')].find(
        (option) => option.value === 'DE',
      )!.textContent,
    ).toBe('+49 Germany');
    expect(
      container.querySelector<HTMLInputElement>('input[type=radio]:checked')!.nextElementSibling!.textContent,
    ).toBe('Call me now');
    await input('#bk-cb-phone', '030 901820');
    await input('#bk-cb-name', 'Vera');
    await submit();
    expect(sentBody()).toMatchObject({
      site: 'demo',
      phone: '+4930901820',
      name: 'Vera',
      website: '',
      visitorId: 'visitor_test_01',
    });
    expect(sentBody().at).toBeUndefined();
    expect(sentBody().formMs).toEqual(expect.any(Number));
    expect(sentBody().timeZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    await vi.waitFor(() => expect(container.textContent).toMatch(/We will call you in (30|29) s/));
    expect(emit).toHaveBeenCalledWith('callback:requested', expect.objectContaining({ id: 'cb-1', mode: 'now' }));
    await vi.waitFor(() => expect(container.textContent).toContain('Anna is calling you now'));
    expect(container.querySelector('[role=status]')!.getAttribute('aria-live')).toBe('polite');
  });

  it('picks a waiting "now" request up again on the next page of the shop', async () => {
    const requestedAt = new Date().toISOString();
    const pending = {
      id: 'cb-3',
      status: 'pending',
      mode: 'now',
      requestedAt,
      countdownEndsAt: new Date(Date.parse(requestedAt) + 30_000).toISOString(),
      agentName: null,
    };
    fetchMock.mockImplementation(async (url: string, init?: RequestInit) =>
      url.includes('/callback-options')
        ? json(200, options(true))
        : init?.method === 'POST'
          ? json(201, { token: 't'.repeat(43), callback: pending })
          : json(200, { callback: pending }),
    );
    await show(60_000);
    await input('#bk-cb-phone', '+4930901820');
    await submit();
    await vi.waitFor(() => expect(container.textContent).toMatch(/We will call you in \d+ s/));
    expect(JSON.parse(sessionStorage.getItem('beckon:demo:callback')!)).toMatchObject({
      id: 'cb-3',
      token: 't'.repeat(43),
    });
    // A new page: the form is mounted afresh and shows the countdown, not an empty form.
    render(null, container);
    container.remove();
    container = document.createElement('div');
    document.body.append(container);
    const context = {
      config: testConfig,
      endpoint: 'https://beckon.example',
      emit,
      log: vi.fn(),
      core: { visitorId: 'visitor_test_01' },
    };
    await act(async () => {
      render(
        <CallbackView
          context={context}
          onBack={vi.fn()}
          onClose={vi.fn()}
          loadPhone={async () => phone}
          pollMs={60_000}
        />,
        container,
      );
    });
    await vi.waitFor(() => expect(container.textContent).toMatch(/We will call you in \d+ s/));
    expect(container.querySelector('#bk-cb-phone')).toBeNull();
    expect(fetchMock).toHaveBeenLastCalledWith(
      `https://beckon.example/v1/callbacks/cb-3?token=${'t'.repeat(43)}`,
      expect.anything(),
    );
  });

  it('says what is wrong with a number before sending it', async () => {
    fetchMock.mockImplementation(async () => json(200, options(true)));
    await show();
    await submit();
    expect(container.querySelector('#bk-cb-phone-err')!.textContent).toBe('Please enter your phone number.');
    await input('#bk-cb-phone', '030');
    await submit();
    expect(container.querySelector('#bk-cb-phone-err')!.textContent).toContain('does not look right');
    expect(container.querySelector('#bk-cb-phone')!.getAttribute('aria-invalid')).toBe('true');
    expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(false);
  });

  it('offers slots when nobody can call now, and confirms the booked time', async () => {
    const slot = new Date(Date.now() + 2 * 86_400_000);
    slot.setHours(14, 30, 0, 0);
    const later = new Date(slot.getTime() + 30 * 60_000);
    fetchMock.mockImplementation(async (url: string, init?: RequestInit) => {
      if (url.includes('/callback-options'))
        return json(200, options(false, [slot.toISOString(), later.toISOString()]));
      const body = JSON.parse(init!.body as string);
      return json(201, {
        token: 't'.repeat(43),
        callback: {
          id: 'cb-2',
          status: 'pending',
          mode: 'scheduled',
          requestedAt: body.at,
          countdownEndsAt: null,
          agentName: null,
        },
      });
    });
    await show();
    expect(container.querySelector('input[type=radio]')).toBeNull(); // no "now" choice
    const times = [...container.querySelectorAll('#bk-cb-time option')].map((option) => option.textContent);
    expect(times).toHaveLength(2);
    await input('#bk-cb-phone', '+4930901820');
    await input('#bk-cb-time', later.toISOString());
    await submit();
    expect(sentBody().at).toBe(later.toISOString());
    const time = later.toLocaleTimeString(navigator.language, { hour: '2-digit', minute: '2-digit' });
    await vi.waitFor(() => expect(container.textContent).toContain(`We will call you on`));
    expect(container.textContent).toContain(`at ${time}`);
  });

  it('shows a friendly message when the number has asked too often today', async () => {
    fetchMock.mockImplementation(async (url: string) =>
      url.includes('/callback-options')
        ? json(200, options(true))
        : json(
            429,
            {
              error: {
                code: 'rate_limited',
                message: 'x',
                details: { reason: 'phone_daily_limit', retryAfterSeconds: 3600 },
              },
            },
            { 'retry-after': '3600' },
          ),
    );
    await show();
    await input('#bk-cb-phone', '+4930901820');
    await submit();
    await vi.waitFor(() =>
      expect(container.querySelector('.bk-banner[role=alert]')!.textContent).toContain(
        'We already have your requests for this number today',
      ),
    );
    expect(emit).not.toHaveBeenCalled();
  });
});
