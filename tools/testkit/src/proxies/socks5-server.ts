/**
 * A SOCKS5 server (RFC 1928, CONNECT only; RFC 1929 username/password) on node:net or node:tls
 * ("secure SOCKS"), recording every CONNECT request. Messages may arrive in any number of pieces.
 *
 *   greeting ──no acceptable method──> 05 FF, close
 *      │ 05 00 (no auth) / 05 02 (auth set)
 *      ├──────────────> auth ──bad credentials──> 01 01, close
 *      │                 │ 01 00
 *      v                 v
 *   request ──unknown ATYP──> REP 08, close ──CMD not CONNECT──> REP 07, close
 *      │  ──denied──> REP 02, close ──forced replyCode──> that REP, close
 *      v
 *   connecting ──target fails──> REP 01/03/04/05/06, close
 *      │ REP 00
 *      v
 *   tunnel (bytes piped both ways)
 *
 * `closeAt` drops the connection, without answering, once that message has arrived whole.
 */
import { assertNever } from '@gunhttp/core';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { getTestPki } from '../pki.js';
import { LiveSet, credentialsMatch, dialTarget, isDenied, listenLocal, newRecord, runningProxy, splice } from './proxy-record.js';
import type { ProxyCredentials, ProxyRecord, TargetPolicy, TestProxy } from './proxy-record.js';
import { CMD_CONNECT, SocksMethod, SocksReply, encodeReply, knownAddressType, parseGreeting, parseRequest, parseUserPass, replyForError, type SocksRequest } from './socks5-wire.js';

/** The handshake step at which `closeAt` drops the connection. */
export type Socks5Step = 'greeting' | 'auth' | 'request';

/** Options of {@link startSocks5Server}. */
export interface Socks5ServerOptions extends TargetPolicy {
  /** Serve over TLS (test PKI `server` certificate): "secure SOCKS". */
  readonly tls?: boolean;
  /** Require RFC 1929 username/password with these credentials; otherwise method 00. */
  readonly auth?: ProxyCredentials;
  /** Answer every CONNECT with this REP code (1-255) instead of connecting, then close. */
  readonly replyCode?: number;
  /** Close the connection without answering once this message has arrived. */
  readonly closeAt?: Socks5Step;
}

type SessionState = 'greeting' | 'auth' | 'request' | 'connecting' | 'tunnel' | 'done';

class Socks5Session {
  private state: SessionState = 'greeting';
  private pending: Buffer = Buffer.alloc(0);
  private methods: number[] = [];
  private credentials: ProxyCredentials | undefined;

  constructor(
    private readonly opts: Socks5ServerOptions,
    private readonly live: LiveSet,
    private readonly records: ProxyRecord[],
    private readonly socket: Socket,
  ) {
    socket.on('error', () => undefined);
    socket.on('data', this.onData);
  }

  private readonly onData = (chunk: Buffer): void => {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    // Each step returns true when it consumed a whole message and the next may follow.
    let more = true;
    while (more) more = this.step();
  };

  private step(): boolean {
    switch (this.state) {
      case 'greeting':
        return this.greeting();
      case 'auth':
        return this.auth();
      case 'request':
        return this.request();
      case 'connecting':
      case 'tunnel':
      case 'done':
        return false;
      default:
        return assertNever(this.state);
    }
  }

  private consume(n: number): void {
    this.pending = this.pending.subarray(n);
  }

  private fail(bytes: Buffer | undefined): false {
    this.state = 'done';
    if (bytes === undefined) this.socket.destroy();
    else this.socket.end(bytes);
    return false;
  }

  private greeting(): boolean {
    const parsed = parseGreeting(this.pending);
    if (parsed.kind === 'more') return false;
    if (parsed.kind === 'bad') return this.fail(undefined);
    this.consume(parsed.consumed);
    this.methods = parsed.value;
    if (this.opts.closeAt === 'greeting') return this.fail(undefined);
    const wanted = this.opts.auth === undefined ? SocksMethod.NONE : SocksMethod.USERNAME_PASSWORD;
    if (!this.methods.includes(wanted)) return this.fail(Buffer.from([0x05, SocksMethod.NO_ACCEPTABLE]));
    this.socket.write(Buffer.from([0x05, wanted]));
    this.state = wanted === SocksMethod.NONE ? 'request' : 'auth';
    return true;
  }

  private auth(): boolean {
    const parsed = parseUserPass(this.pending);
    if (parsed.kind === 'more') return false;
    if (parsed.kind === 'bad') return this.fail(undefined);
    this.consume(parsed.consumed);
    this.credentials = parsed.value;
    if (this.opts.closeAt === 'auth') return this.fail(undefined);
    // RFC 1929 §2: a non-zero STATUS means failure, and the server MUST close the connection.
    if (!credentialsMatch(this.opts.auth, this.credentials)) return this.fail(Buffer.from([0x01, 0x01]));
    this.socket.write(Buffer.from([0x01, 0x00]));
    this.state = 'request';
    return true;
  }

  private request(): boolean {
    const parsed = parseRequest(this.pending);
    if (parsed.kind === 'more') return false;
    if (parsed.kind === 'bad') {
      const known = this.pending[0] !== 0x05 || knownAddressType(this.pending);
      return this.fail(known ? undefined : encodeReply(SocksReply.ADDRESS_TYPE_NOT_SUPPORTED));
    }
    this.consume(parsed.consumed);
    const record = this.recordOf(parsed.value);
    this.records.push(record);
    if (this.opts.closeAt === 'request') {
      record.state = 'refused';
      return this.fail(undefined);
    }
    const refusal = this.refusal(parsed.value, record);
    if (refusal !== undefined) {
      record.status = refusal;
      record.state = 'refused';
      return this.fail(encodeReply(refusal));
    }
    this.state = 'connecting';
    dialTarget(this.live, record.host, record.port, (target) => this.connected(record, target), (error) => this.unreachable(record, error));
    return false;
  }

  private recordOf(request: SocksRequest): ProxyRecord {
    const method = this.opts.auth === undefined ? SocksMethod.NONE : SocksMethod.USERNAME_PASSWORD;
    const socks = { methods: this.methods, method, addressType: request.addressType };
    return newRecord({ kind: 'socks5', host: request.host, port: request.port, headers: [], credentials: this.credentials, socks });
  }

  /** The REP code refusing the request, or undefined to connect. */
  private refusal(request: SocksRequest, record: ProxyRecord): number | undefined {
    if (request.command !== CMD_CONNECT) return SocksReply.COMMAND_NOT_SUPPORTED;
    if (isDenied(this.opts, record.host, record.port)) return SocksReply.NOT_ALLOWED;
    if (this.opts.replyCode !== undefined && this.opts.replyCode !== SocksReply.SUCCEEDED) return this.opts.replyCode;
    return undefined;
  }

  private connected(record: ProxyRecord, target: Socket): void {
    if (this.socket.destroyed) {
      target.destroy();
      record.state = 'closed';
      return;
    }
    this.state = 'tunnel';
    record.status = SocksReply.SUCCEEDED;
    this.socket.write(encodeReply(SocksReply.SUCCEEDED, target.localAddress, target.localPort));
    this.socket.off('data', this.onData);
    const early = this.pending;
    this.pending = Buffer.alloc(0);
    splice(record, this.socket, target, early);
  }

  private unreachable(record: ProxyRecord, error: NodeJS.ErrnoException): void {
    record.status = replyForError(error);
    record.state = 'refused';
    this.fail(encodeReply(record.status));
  }
}

function makeServer(tls: boolean, accept: (socket: Socket) => void): NetServer {
  if (!tls) return createNetServer(accept);
  const { server } = getTestPki();
  const tlsServer = createTlsServer({ key: server.keyPem, cert: server.certPem }, accept);
  tlsServer.on('tlsClientError', () => undefined);
  return tlsServer;
}

/**
 * Starts a SOCKS5 server on 127.0.0.1 (port picked at run time), over TLS with the test PKI's
 * `server` certificate when `tls` is set. CONNECT only, to IPv4, IPv6 (including IPv4-mapped
 * `::ffff:127.0.0.1`) and domain addresses; method 00, or 02 (RFC 1929) when `auth` is set.
 * Replies: 00 with the bound address; 02 for denied hosts or ports; 07 for BIND and UDP
 * ASSOCIATE; 08 for an unknown ATYP; 05, 04, 03, 06 or 01 from the target connection error;
 * `replyCode` forces one. Every parsed request is recorded (`socks` holds the methods offered,
 * the method chosen and the ATYP); failed greetings and authentications are not.
 */
export async function startSocks5Server(opts: Socks5ServerOptions = {}): Promise<TestProxy> {
  const tls = opts.tls === true;
  const live = new LiveSet();
  const records: ProxyRecord[] = [];
  const server = makeServer(tls, (socket) => new Socks5Session(opts, live, records, socket));
  server.on('connection', (socket: Socket) => live.accept(socket));
  const port = await listenLocal(server);
  return runningProxy(server, live, records, { port, tls, url: `${tls ? 'socks5s' : 'socks5'}://127.0.0.1:${port}` });
}
