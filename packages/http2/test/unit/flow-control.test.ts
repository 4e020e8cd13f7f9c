import { growSendWindow, ReceiveWindow } from '../../src/flow-control.js';

const strategy = { target: 1000, threshold: 100, margin: 50, max: 0x7fffffff };

describe('ReceiveWindow (Gun ensure_window strategy)', () => {
  it('refuses a frame larger than the window and changes nothing (N accepted, N+1 refused)', () => {
    const w = new ReceiveWindow(1000, strategy);
    expect(w.receive(1001, 1001)).toBe(false);
    expect(w.window).toBe(1000);
    expect(w.receive(1000, 1000)).toBe(true);
    expect(w.window).toBe(0);
  });

  it('tops up only at or below max(threshold, target/2), to target + margin minus what the user holds', () => {
    const w = new ReceiveWindow(1000, strategy);
    w.receive(499, 499);
    expect(w.update()).toBe(0);
    w.receive(1, 1);
    expect(w.update()).toBe(50);
    w.consume(500);
    expect(w.update()).toBe(0);
    w.receive(100, 0);
    expect(w.update()).toBe(1050 - 450);
  });

  it('never grows the window above max', () => {
    const w = new ReceiveWindow(1000, { ...strategy, max: 1020 });
    w.receive(1000, 0);
    expect(w.update()).toBe(1020);
  });

  it('releases what the user held (stream reset)', () => {
    const w = new ReceiveWindow(1000, strategy);
    w.receive(300, 300);
    expect(w.release()).toBe(300);
    expect(w.unconsumed).toBe(0);
  });

  it('detects send-window overflow past 2^31-1 (RFC 9113 §6.9.1)', () => {
    expect(growSendWindow(0x7ffffffe, 1)).toBe(0x7fffffff);
    expect(growSendWindow(0x7fffffff, 1)).toBeUndefined();
    expect(growSendWindow(-100, 50)).toBe(-50);
  });
});
