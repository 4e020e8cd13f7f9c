/*
 * Gun's message-count flow control on the protocols without per-stream windows: HTTP/1.1,
 * Websocket and raw (Gun §5.9, the `flow` options and `update_flow`). A stream with a flow counts
 * the messages it delivers to the user, not octets; the connection stops reading its socket while
 * the counter is at or below 0 and reads again once `updateFlow` brings it above 0:
 *
 *   open(flow N > 0) ──▶ reading ──a message delivered (flow − 1) leaves flow ≤ 0──▶ paused
 *                           ▲                                                         │
 *                           └────────── updateFlow(inc) brings flow above 0 ◀─────────┘
 *
 * Without a flow (Gun's `infinity`) nothing is counted and updates are ignored. The counter is
 * not clamped: what was already read when it reached 0 is still delivered (Gun's overshoot) and
 * owed, so reading resumes only once the user has accounted for those messages too.
 */

/** Messages a stream may still deliver before reading pauses; `undefined`: no flow control. */
export type MessageFlow = number | undefined;

/** The flow after `n` delivered messages. */
export function spendFlow(flow: MessageFlow, n = 1): MessageFlow {
  return flow === undefined ? undefined : flow - n;
}

/** The flow after Gun's `update_flow(increment)`; unchanged without flow control. */
export function raiseFlow(flow: MessageFlow, increment: number): MessageFlow {
  return flow === undefined ? undefined : flow + increment;
}

/** Whether the flow ran out: reading should pause. */
export function flowSpent(flow: MessageFlow): boolean {
  return flow !== undefined && flow <= 0;
}
