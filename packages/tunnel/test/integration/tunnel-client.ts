import type { GunCommand } from '../../src/index.js';
import { Http1Layer, LayerStack, SocksLayer, appendOutput, connectAuthority, emptyOutput } from '../../src/index.js';
import type { Layer, LayerOutput, SocksDestination, TunnelDirective } from '../../src/index.js';
import type { Pumped } from './stack-driver.js';

/**
 * The client's part of a `tunnel` directive, as `@gunhttp/gun` plays it (plain TCP hops only):
 * the next layer is made from `destination.protocols` (`http` by default, `{ socks }` for a SOCKS
 * hop), given the remainder, then the pending commands. Each hop gets a fresh LayerStack, which
 * passes the directive up untouched. `hops` records the directives in order.
 */
export class TunnelClient implements Pumped {
  readonly hops: TunnelDirective[] = [];
  private stack: LayerStack;

  constructor(first: Layer, private readonly conn: unknown = 'c') {
    this.stack = new LayerStack(first, conn);
  }

  get protocol(): Layer['protocol'] {
    return this.stack.protocol;
  }

  receive(chunk: Uint8Array): LayerOutput {
    return this.settle(this.stack.receive(chunk));
  }

  receiveEof(): LayerOutput {
    return this.settle(this.stack.receiveEof());
  }

  command(cmd: GunCommand): LayerOutput {
    return this.settle(this.stack.command(cmd));
  }

  private settle(out: LayerOutput): LayerOutput {
    for (const d of out.directives.splice(0)) {
      out.directives.push(d);
      if (d.type === 'tunnel') appendOutput(out, this.enter(d));
    }
    return out;
  }

  private enter(d: TunnelDirective): LayerOutput {
    this.hops.push(d);
    const out = emptyOutput();
    const inner = d.destination.protocols?.[0] ?? 'http';
    if (typeof inner === 'object' && inner !== null && 'socks' in inner) {
      const socks = new SocksLayer({ destination: (inner as { socks: SocksDestination }).socks, conn: this.conn, replyTo: d.replyTo, ...(d.streamRef === undefined ? {} : { streamRef: d.streamRef }) });
      this.stack = new LayerStack(socks, this.conn);
      appendOutput(out, socks.start());
    } else if (inner === 'http') {
      this.stack = new LayerStack(new Http1Layer({ authority: connectAuthority(d.destination.host, d.destination.port), conn: this.conn }), this.conn);
    } else {
      throw new Error(`the test client does not make ${JSON.stringify(inner)} layers`);
    }
    if (d.remainder.length > 0) appendOutput(out, this.settle(this.stack.receive(d.remainder)));
    for (const cmd of d.pending) appendOutput(out, this.settle(this.stack.command(cmd)));
    return out;
  }
}
