// @vitest-environment node
import { parse as original } from 'engine.io-client';
import { describe, expect, it } from 'vitest';
import { parse } from './parseuri.js';

const fields = ({ source, protocol, host, port, path, query, queryKey }: ReturnType<typeof parse>) => ({
  source,
  protocol,
  host,
  port,
  path,
  query,
  queryKey,
});

describe('the URL-based URI parser', () => {
  it("reads the URIs socket.io-client and engine.io-client parse as engine.io-client's parser does", () => {
    for (const uri of [
      'https://beckon.example.com/visitor',
      'http://localhost:3000/visitor',
      'http://127.0.0.1:4173/visitor',
      'https://chat.example.co.uk:8443/visitor',
      'wss://beckon.example.com/socket.io/?EIO=4&transport=websocket',
      'https://beckon.example.com/visitor?site=demo&lang=lv&empty=&flag',
      'http://[::1]:3000/visitor',
      'https://[2001:db8::7]/visitor',
      'https://user:secret@beckon.example.com:8080/visitor',
      'https://beckon.example.com/a/b/visitor#hash',
    ])
      expect(fields(parse(uri)), uri).toEqual(fields(original(uri) as never));
  });

  it("leaves out the port the scheme implies (both libraries then fill in '443' or '80') and reads no path as '/'", () => {
    // socket.io-client's url() reads an empty path as '/' too; engine.io-client reads no path of the URI.
    expect(original('https://beckon.example.com').path).toBe('');
    expect(parse('https://beckon.example.com').path).toBe('/');
    expect(original('https://beckon.example.com:443/visitor').port).toBe('443');
    expect(parse('https://beckon.example.com:443/visitor').port).toBe('');
    expect(parse('http://beckon.example.com:80/').port).toBe('');
  });

  it('reads a bare host and port', () => {
    expect(parse('beckon.example.com:8080')).toMatchObject({ host: 'beckon.example.com', port: '8080' });
    expect(original('beckon.example.com:8080')).toMatchObject({ host: 'beckon.example.com', port: '8080' });
  });
});
