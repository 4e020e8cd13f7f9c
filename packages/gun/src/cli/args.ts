import { Command, InvalidArgumentError } from 'commander';

/** What the command line asks for. */
export interface CliArgs {
  readonly url: string;
  readonly method: string | undefined;
  readonly headers: Array<[string, string]>;
  readonly data: string | undefined;
  readonly dataBinary: string | undefined;
  readonly output: string | undefined;
  readonly include: boolean;
  readonly verbose: boolean;
  readonly trace: boolean;
  readonly http10: boolean;
  readonly http11: boolean;
  readonly http2: boolean;
  readonly http2PriorKnowledge: boolean;
  readonly insecure: boolean;
  readonly cacert: string | undefined;
  readonly connectTimeout: number | undefined;
  readonly maxTime: number | undefined;
  readonly fail: boolean;
  readonly progress: boolean;
  /** `--proxy` URLs, first hop first. */
  readonly proxy: string[];
  /** `--proxy-http2`: speak HTTP/2 with the HTTP proxies (CONNECT streams, RFC 9113 §8.5). */
  readonly proxyHttp2: boolean;
}

function header(value: string, previous: Array<[string, string]>): Array<[string, string]> {
  const i = value.indexOf(':');
  if (i <= 0) throw new InvalidArgumentError(`a header is 'name: value', not ${JSON.stringify(value)}`);
  return [...previous, [value.slice(0, i).trim(), value.slice(i + 1).trim()]];
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function milliseconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number of milliseconds');
  return n;
}

/** The command's definition: curl's option names where curl has the option. */
export function buildCommand(): Command {
  return new Command('gun')
    .description('Make an HTTP request with gunhttp and print the response body; with a ws:// or wss:// URL, send stdin lines as Websocket text messages and print the messages received.')
    .argument('<url>', 'http://, https://, ws:// or wss:// URL')
    .option('-X, --request <method>', 'request method (default GET, or POST with -d)')
    .option('-H, --header <header>', "request header 'name: value' (repeatable)", header, [])
    .option('-d, --data <data>', 'request body (sets POST and a form content-type unless given)')
    .option('--data-binary <data>', 'request body sent as is; @FILE reads a file')
    .option('-o, --output <file>', 'write the body to FILE instead of stdout')
    .option('-i, --include', 'print the status line and response headers before the body', false)
    .option('-v, --verbose', 'print request and response heads on stderr', false)
    .option('--trace', "print the connection's event timeline with timings on stderr", false)
    .option('--http1.0', 'use HTTP/1.0', false)
    .option('--http1.1', 'use HTTP/1.1 only (no h2 offered by ALPN)', false)
    .option('--http2', 'prefer HTTP/2 by ALPN over TLS, the default (http:// URLs stay HTTP/1.1: there is no h2c upgrade); wss:// URLs then use RFC 8441', false)
    .option('--http2-prior-knowledge', 'speak HTTP/2 at once, without ALPN or upgrade (h2c over TCP)', false)
    .option('-k, --insecure', 'do not verify the server certificate', false)
    .option('--cacert <file>', 'verify the server with the CA certificates in FILE (PEM)')
    .option('--connect-timeout <ms>', 'time allowed for DNS, TCP and TLS, in ms', milliseconds)
    .option('-m, --max-time <ms>', 'time allowed for the whole transfer, in ms', milliseconds)
    .option('-f, --fail', 'exit with 22 when the status is 400 or above', false)
    .option('--no-progress', 'never show the progress bar')
    .option('-x, --proxy <url>', 'go through this proxy (repeatable: a chain, first hop first): http://, https:// (CONNECT), socks5://, socks5h://, with user:pass@', collect, [])
    .option('--proxy-http2', 'speak HTTP/2 with the HTTP proxies: https:// ones offered h2 by ALPN, http:// ones by prior knowledge (h2c); each tunnel is one stream', false)
    .showHelpAfterError()
    .exitOverride();
}

/** Parses `argv` (without node and the script); throws commander's errors on bad usage. */
export function parseArgs(argv: readonly string[]): CliArgs {
  const cmd = buildCommand();
  cmd.parse([...argv], { from: 'user' });
  const o = cmd.opts<Record<string, unknown>>();
  return {
    url: cmd.args[0]!,
    method: o.request as string | undefined,
    headers: o.header as Array<[string, string]>,
    data: o.data as string | undefined,
    dataBinary: o.dataBinary as string | undefined,
    output: o.output as string | undefined,
    include: o.include === true,
    verbose: o.verbose === true,
    trace: o.trace === true,
    http10: o['http1.0'] === true || o.http10 === true,
    http11: o['http1.1'] === true || o.http11 === true,
    http2: o.http2 === true,
    http2PriorKnowledge: o.http2PriorKnowledge === true,
    insecure: o.insecure === true,
    cacert: o.cacert as string | undefined,
    connectTimeout: o.connectTimeout as number | undefined,
    maxTime: o.maxTime as number | undefined,
    fail: o.fail === true,
    progress: o.progress !== false,
    proxy: o.proxy as string[],
    proxyHttp2: o.proxyHttp2 === true,
  };
}
