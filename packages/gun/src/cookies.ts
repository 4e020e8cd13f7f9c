import type { CookieStore } from '@gunhttp/cookies';
import type { HeaderList, LayerMessage } from '@gunhttp/core';

/**
 * The connection's use of a cookie store (Gun §5.19): a `cookie` header added to requests that
 * have none, and every `set-cookie` of responses (and of 1xx unless ignored) stored for the
 * request's URL. Websocket upgrades count too: their URL is `ws:` or `wss:` (`wss` is secure,
 * RFC 6265bis §5.8.3) and the `set-cookie` of the 101 (or RFC 8441 2xx) answering them, delivered
 * as an `upgrade` message, is stored. The store's own rules decide what is stored and sent.
 */
export class ConnectionCookies {
  constructor(
    private readonly store: CookieStore,
    private readonly ignoreInformational: boolean,
  ) {}

  /** The request URL cookies are matched against: scheme, authority (the `host` sent) and path. */
  static requestUrl(scheme: 'http' | 'https' | 'ws' | 'wss', authority: string, path: string): URL | undefined {
    try {
      return new URL(path.startsWith('/') ? path : `/${path}`, `${scheme}://${authority}`);
    } catch {
      return undefined;
    }
  }

  /** `headers` with a `cookie` header appended when the store has cookies for `url` and the user set none. */
  addCookieHeader(headers: HeaderList, url: URL | undefined): HeaderList {
    if (url === undefined || headers.some(([n]) => n === 'cookie')) return headers;
    const value = this.store.getCookieString(url);
    return value === '' ? headers : [...headers, ['cookie', value]];
  }

  /** Stores the `set-cookie` fields of a response, an informational response or a Websocket upgrade. */
  onMessage(message: LayerMessage, url: URL | undefined): void {
    if (url === undefined) return;
    if (message.type !== 'response' && message.type !== 'upgrade' && !(message.type === 'inform' && !this.ignoreInformational)) return;
    for (const [name, value] of message.headers) if (name === 'set-cookie') this.store.setCookie(value, url);
  }
}
