import { Http1Errors } from '../../src/index.js';
import { bytes, connWith, ev, expectResponse, text } from '../helpers.js';

const get = connWith();
const ws = connWith([{ headers: [['connection', 'Upgrade'], ['upgrade', 'websocket'], ['sec-websocket-version', '13']] }, {}]);
const switching = (fields: string): string => `HTTP/1.1 101 Switching Protocols\r\n${fields}\r\n`;

describe('RFC 9110 §15.2 informational responses', () => {
  it('reports a 103 then the final response, with one responseStart (§15.2)', () => {
    expectResponse(get, 'HTTP/1.1 103 Early Hints\r\nlink: </s.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n', [
      ev.start(), ev.inform(103, [['link', '</s.css>; rel=preload']]), ev.response(200, [['content-length', '0']], true),
    ]);
  });

  it('reports any number of 1xx, such as 100-continue, before the final response', () => {
    expectResponse(get, 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\ncontent-length: 1\r\n\r\nx', [
      ev.start(), ev.inform(100), ev.inform(102), ev.inform(100), ev.response(201, [['content-length', '1']], false, { reason: 'Created' }), ev.data('x', true),
    ]);
  });

  it('ignores content-length and transfer-encoding of a 1xx (§6.3 rule 1)', () => {
    expectResponse(get, 'HTTP/1.1 100 Continue\r\ncontent-length: 5\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n', [
      ev.start(), ev.inform(100, [['content-length', '5']]), ev.response(204, [], true, { reason: 'No Content' }),
    ]);
  });
});

describe('RFC 9110 §7.8, §15.2.2 101 Switching Protocols', () => {
  it('switches on a valid 101 to an upgrade request, leaving the next octets in the remainder', () => {
    for (const split of [0, 1, 20, 60, 67, 70]) {
      const conn = ws();
      const wire = bytes(switching('Connection: Upgrade\r\nUpgrade: WebSocket\r\nsec-websocket-accept: x\r\n') + '\x81\x05hello');
      const events = [...conn.receive(wire.slice(0, split)), ...conn.receive(wire.slice(split))];
      expect(events).toEqual([
        { type: 'responseStart', id: 1 },
        { type: 'upgrade', id: 1, status: 101, headers: [['connection', 'Upgrade'], ['upgrade', 'WebSocket'], ['sec-websocket-accept', 'x']], protocols: ['websocket'] },
      ]);
      expect(conn.state).toBe('switched');
      expect(conn.receive(bytes('more'))).toEqual([]);
      expect(text(conn.takeRemainder())).toBe('\x81\x05hellomore');
      expect(conn.takeRemainder()).toHaveLength(0);
      expect(conn.pendingIds).toEqual([2]);
      expect(conn.keepAlive).toBe(false);
    }
  });

  it('switches on all chunkings, reporting the 101 protocols in lowercase', () => {
    expectResponse(ws, switching('connection: keep-alive, upgrade\r\nupgrade: websocket\r\n'), [
      ev.start(), ev.upgrade(101, [['connection', 'keep-alive, upgrade'], ['upgrade', 'websocket']], ['websocket']),
    ]);
  });

  it('reports an informational response before the 101', () => {
    expectResponse(ws, `HTTP/1.1 100 Continue\r\n\r\n${switching('connection: upgrade\r\nupgrade: websocket\r\n')}`, [
      ev.start(), ev.inform(100), ev.upgrade(101, [['connection', 'upgrade'], ['upgrade', 'websocket']], ['websocket']),
    ]);
  });

  it('rejects a 101 to a request that did not ask to upgrade (H1_ERR_UNEXPECTED_101, Gun 2.4)', () => {
    expectResponse(get, switching('connection: upgrade\r\nupgrade: websocket\r\n'), [ev.start(), ev.error(Http1Errors.UNEXPECTED_101)]);
    const upgradeHeaderOnly = connWith([{ headers: [['upgrade', 'websocket']] }]);
    expectResponse(upgradeHeaderOnly, switching('connection: upgrade\r\nupgrade: websocket\r\n'), [ev.start(), ev.error(Http1Errors.UNEXPECTED_101)]);
  });

  it.each([
    { name: 'without connection: upgrade', fields: 'upgrade: websocket\r\n' },
    { name: 'without an upgrade field', fields: 'connection: upgrade\r\n' },
    { name: 'with an empty upgrade field', fields: 'connection: upgrade\r\nupgrade: \r\n' },
    { name: 'with a protocol that was not requested', fields: 'connection: upgrade\r\nupgrade: h2c\r\n' },
  ])('rejects a 101 $name (H1_ERR_INVALID_UPGRADE)', ({ fields }) => {
    expectResponse(ws, switching(fields), [ev.start(), ev.error(Http1Errors.INVALID_UPGRADE)]);
  });

  it('reads a non-101 answer to an upgrade request as a normal response', () => {
    expectResponse(ws, 'HTTP/1.1 400 Bad Request\r\ncontent-length: 3\r\n\r\nno!', [
      ev.start(), ev.response(400, [['content-length', '3']], false, { reason: 'Bad Request' }), ev.data('no!', true),
    ]);
  });
});
