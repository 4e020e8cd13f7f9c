import { GUN_EVENT_NAMES, latin1Decode } from '@gunhttp/core';
import type { GunEventHandler, GunEventMap, GunEventName, HeaderList } from '@gunhttp/core';

type Write = (line: string) => void;

function describe(name: GunEventName, e: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const key of ['type', 'originHost', 'originPort', 'host', 'port', 'method', 'authority', 'path', 'status', 'protocol', 'reason', 'endpoint'] as const) {
    const v = e[key];
    if (v !== undefined) parts.push(`${key}=${v instanceof Error ? v.message : String(v)}`);
  }
  const lookup = e.lookupInfo as { ipAddresses: string[]; port: number } | undefined;
  if (lookup !== undefined && name !== 'connectStart') parts.push(`addresses=${lookup.ipAddresses.join(',')}`);
  if (name === 'connectStart' && lookup !== undefined) parts.push(`to=${lookup.ipAddresses[0] ?? ''}:${lookup.port}`);
  const error = e.error;
  if (error instanceof Error) parts.push(`error=${(error as { code?: string }).code ?? ''} ${error.message}`);
  return parts.join(' ');
}

/**
 * An event handler printing Gun's event timeline (`--trace`): one line per event with the ms
 * elapsed since the command started.
 */
export function traceHandler(write: Write, start: number = performance.now()): GunEventHandler {
  const handler: Partial<Record<GunEventName, (e: unknown) => void>> = {};
  for (const name of GUN_EVENT_NAMES) {
    handler[name] = (e) => write(traceLine(start, `${name} ${describe(name, e as Record<string, unknown>)}`));
  }
  return handler as GunEventHandler;
}

/** The ms-stamped trace line of a message or event, as {@link traceHandler} prints them. */
export function traceLine(start: number, text: string): string {
  return `[${(performance.now() - start).toFixed(1).padStart(8)} ms] ${text}`.trimEnd();
}

/**
 * The HTTP/2 frames' effects `--trace` shows besides the events: the server's SETTINGS
 * (`notify settingsChanged`) and its GOAWAY (`notify goAway`); `undefined` for other messages.
 */
export function describeNotify(m: { readonly type: string; readonly kind?: string } & Record<string, unknown>): string | undefined {
  if (m.type !== 'notify') return undefined;
  if (m.kind === 'settingsChanged') {
    const settings = Object.entries(m.settings as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`);
    return `settings ${settings.join(' ')}`;
  }
  if (m.kind === 'goAway') {
    const debug = (m.debugData as Uint8Array).length > 0 ? ` debug=${JSON.stringify(latin1Decode(m.debugData as Uint8Array))}` : '';
    return `goaway lastStreamId=${String(m.lastStreamId)} errorCode=${String(m.errorCode)}${debug}`;
  }
  return undefined;
}

/** An event handler printing request and response heads as curl's `-v` does. */
export function verboseHandler(write: Write): GunEventHandler {
  const head = (prefix: string, headers: HeaderList): void => {
    for (const [n, v] of headers) write(`${prefix} ${n}: ${v}`);
    write(prefix);
  };
  return {
    connectEnd: (e: GunEventMap['connectEnd']) => {
      if (e.error === undefined) write(`* Connected to ${e.lookupInfo.ipAddresses.join(', ')} port ${e.lookupInfo.port}`);
    },
    tlsHandshakeEnd: (e: GunEventMap['tlsHandshakeEnd']) => {
      if (e.error === undefined) write('* TLS handshake done');
    },
    requestHeaders: (e: GunEventMap['requestHeaders']) => {
      write(`> ${e.method} ${e.path ?? ''}`);
      head('>', e.headers);
    },
    responseInform: (e: GunEventMap['responseInform']) => {
      write(`< ${e.status}`);
      head('<', e.headers);
    },
    responseHeaders: (e: GunEventMap['responseHeaders']) => {
      write(`< ${e.status}`);
      head('<', e.headers);
    },
  };
}

/** Joins several handlers into one (each event goes to each, in order). */
export function combineHandlers(...handlers: Array<GunEventHandler | undefined>): GunEventHandler | undefined {
  const present = handlers.filter((h): h is GunEventHandler => h !== undefined);
  if (present.length <= 1) return present[0];
  const out: Partial<Record<GunEventName, (e: unknown) => void>> = {};
  for (const name of GUN_EVENT_NAMES) {
    const fns = present.map((h) => h[name] as ((e: unknown) => void) | undefined).filter((f) => f !== undefined);
    if (fns.length > 0) out[name] = (e) => fns.forEach((f) => f(e));
  }
  return out as GunEventHandler;
}

/** Formats a status line and header block the way `-i` prints it. */
export function formatHead(status: number, headers: HeaderList): string {
  return `${status}\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
}

export { latin1Decode };
