import { assertNever } from '@gunhttp/core';
import type { ConnectionCore } from './core.js';
import { Http2Errors, streamError } from './errors.js';
import type { Http2Event } from './events.js';
import type { ClosedHow } from './stream.js';
import { CLOSED_STREAM_RECEIPTS } from './stream-state.js';

/**
 * DATA or HEADERS on a closed stream (RFC 9113 §5.1 closed), as {@link CLOSED_STREAM_RECEIPTS}
 * says for how it closed: ignored, a STREAM_CLOSED stream error or a connection error.
 */
export function onClosedStream(core: ConnectionCore, id: number, how: ClosedHow, what: 'DATA' | 'HEADERS', events: Http2Event[]): void {
  const outcome = CLOSED_STREAM_RECEIPTS[how][what === 'DATA' ? 'recvEndStream' : 'recvHeaders'];
  switch (outcome.kind) {
    case 'ignore':
    case 'transition':
    case 'notAllowed':
      return;
    case 'streamError':
      core.writeRst(id, outcome.h2Code);
      events.push({ type: 'streamError', streamId: id, error: streamError(Http2Errors.STREAM_CLOSED, `${what} received after RST_STREAM (RFC 9113 §5.1)`, outcome.h2Code) });
      return;
    case 'connectionError':
      return core.failWith(Http2Errors.STREAM_CLOSED, `${what} received after END_STREAM (RFC 9113 §5.1)`, outcome.h2Code, events);
    default:
      return assertNever(outcome);
  }
}
