import { describe, expect, it, vi } from 'vitest';
import type { ChatClient } from './client.js';
import { lazyChat } from './lazy.js';

describe('beckon.chat', () => {
  it('loads the chat code once, on first use, and hands its events to listeners added before', async () => {
    let emit: ((event: string, payload: unknown) => void) | undefined;
    const client = {
      connect: vi.fn(),
      disconnect: vi.fn(),
      send: vi.fn(async (text: string) => ({ text })),
      on: (event: string, handler: (payload: unknown) => void) => {
        const previous = emit;
        emit = (name, payload) => {
          previous?.(name, payload);
          if (name === event) handler(payload);
        };
      },
    } as unknown as ChatClient;
    const createChatClient = vi.fn(() => client);
    const load = vi.fn(async () => ({ createChatClient }) as never);
    const chat = lazyChat({ site: 'demo', endpoint: 'https://beckon.test' }, load);

    const messages: unknown[] = [];
    chat.on('message', (message) => messages.push(message));
    expect(load).not.toHaveBeenCalled();
    expect(chat.client).toBeNull();

    await chat.send('hello');
    await chat.open();
    expect(load).toHaveBeenCalledTimes(1);
    expect(createChatClient).toHaveBeenCalledWith({ site: 'demo', endpoint: 'https://beckon.test' });
    expect(client.connect).toHaveBeenCalledTimes(2);
    expect(client.send).toHaveBeenCalledWith('hello', undefined);
    emit!('message', { text: 'from the agent' });
    expect(messages).toEqual([{ text: 'from the agent' }]);
    chat.close();
    expect(client.disconnect).toHaveBeenCalled();
  });

  it('tries the download again after a failure', async () => {
    const load = vi
      .fn()
      .mockRejectedValueOnce(new TypeError('offline'))
      .mockResolvedValue({ createChatClient: () => ({ on() {}, connect() {} }) });
    const chat = lazyChat({ site: 'demo', endpoint: 'https://beckon.test' }, load);
    await expect(chat.open()).rejects.toThrow('offline');
    await expect(chat.open()).resolves.toBeDefined();
  });
});
