import { GunError, getHeader, getHeaders } from '@gunhttp/core';
import type { HeaderList } from '@gunhttp/core';
import { checkAccept, parseExtensionResponse, parseProtocolResponse } from '@gunhttp/websocket';
import type { DeflateOffer, DeflateParams, Sha1 } from '@gunhttp/websocket';

/**
 * Error codes of the Websocket handshake check that the codec does not have (to be merged into
 * `TunnelErrors`). Extension and subprotocol failures keep the codec's `WS_ERR_INVALID_EXTENSIONS`
 * and `WS_ERR_INVALID_PROTOCOL`.
 */
export const WsHandshakeErrors = {
  /** The 101's `sec-websocket-accept` is missing or does not match our key (RFC 6455 §4.1). */
  INVALID_ACCEPT: 'TUNNEL_ERR_WS_INVALID_ACCEPT',
} as const;

/** What the upgrade request offered: subprotocols in order, and the deflate offer (`null`: none). */
export interface WsOffer {
  readonly protocols: readonly string[];
  readonly deflate: DeflateOffer | null;
}

/** The outcome of {@link validateUpgradeResponse}. */
export type UpgradeValidation =
  | { readonly kind: 'ok'; readonly protocol: string | undefined; readonly deflate: DeflateParams | undefined }
  | { readonly kind: 'error'; readonly error: GunError };

/**
 * Checks a Websocket upgrade response against what we asked for (RFC 6455 §4.1 client checks,
 * RFC 7692 §7.1; Gun §5.10):
 * - `sec-websocket-accept` must be base64(SHA-1(key + GUID)), else `TUNNEL_ERR_WS_INVALID_ACCEPT`
 *   (Gun closes the connection). `requestKey` `null` skips the check: RFC 8441 §5 extended
 *   CONNECT over HTTP/2 has no key and no accept.
 * - `sec-websocket-extensions`: only permessage-deflate, only when offered, parameters within the
 *   offer; anything else `WS_ERR_INVALID_EXTENSIONS`. `deflate` is the negotiated parameters.
 * - `sec-websocket-protocol`: absent → `protocol` undefined (Gun's default handler, even when some
 *   were offered); present → exactly one offered name, else `WS_ERR_INVALID_PROTOCOL`.
 *
 * `headers` are the response's (lowercase names); `sha1` hashes (node:crypto in the client).
 */
export function validateUpgradeResponse(requestKey: string | null, headers: HeaderList, offered: WsOffer, sha1: Sha1): UpgradeValidation {
  if (requestKey !== null && !checkAccept(requestKey, getHeader(headers, 'sec-websocket-accept'), sha1)) {
    const message = 'sec-websocket-accept must be the base64 of SHA-1(sec-websocket-key + GUID) (RFC 6455 §4.1, §4.2.2)';
    return { kind: 'error', error: new GunError(WsHandshakeErrors.INVALID_ACCEPT, message, { origin: 'remote' }) };
  }
  const extensions = parseExtensionResponse(getHeaders(headers, 'sec-websocket-extensions'), offered.deflate);
  if (extensions.kind === 'error') return extensions;
  const protocolLines = getHeaders(headers, 'sec-websocket-protocol');
  const selection = parseProtocolResponse(protocolLines.length === 0 ? undefined : protocolLines.join(', '), offered.protocols);
  if (selection.kind === 'error') return selection;
  return {
    kind: 'ok',
    protocol: selection.kind === 'selected' ? selection.protocol : undefined,
    deflate: extensions.kind === 'deflate' ? extensions.params : undefined,
  };
}
