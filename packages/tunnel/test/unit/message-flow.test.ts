import { StreamRef } from '@gunhttp/core';
import { StreamFlows, flowSpent, raiseFlow, spendFlow } from '../../src/layers/message-flow.js';

describe('message-count flow (Gun §5.9)', () => {
  it('without a flow nothing is counted and nothing pauses (Gun: infinity)', () => {
    expect(spendFlow(undefined)).toBeUndefined();
    expect(raiseFlow(undefined, 5)).toBeUndefined();
    expect(flowSpent(undefined)).toBe(false);
  });

  it('is spent at 0 and below, not above', () => {
    expect(flowSpent(1)).toBe(false);
    expect(flowSpent(spendFlow(1))).toBe(true);
    expect(flowSpent(-2)).toBe(true);
  });

  it('is not clamped: an overshoot is owed before reading resumes', () => {
    const owed = spendFlow(1, 3);
    expect(owed).toBe(-2);
    expect(flowSpent(raiseFlow(owed, 2))).toBe(true);
    expect(flowSpent(raiseFlow(owed, 3))).toBe(false);
  });
});

describe('StreamFlows', () => {
  it('counts only streams opened with a flow and ignores updates for the others', () => {
    const flows = new StreamFlows();
    const counted = new StreamRef();
    const free = new StreamRef();
    flows.open(counted, 1);
    flows.open(free, undefined);
    flows.spend(counted);
    flows.spend(free);
    flows.raise(free, 3);
    flows.raise(new StreamRef(), 3);
    expect(flows.spent(counted)).toBe(true);
    expect(flows.of(free)).toBeUndefined();
    expect(flows.spent(free)).toBe(false);
    flows.raise(counted, 1);
    expect(flows.of(counted)).toBe(1);
  });

  it('forgets a finished stream: later updates do nothing', () => {
    const flows = new StreamFlows();
    const ref = new StreamRef();
    flows.open(ref, 2);
    flows.forget(ref);
    flows.raise(ref, 1);
    expect(flows.of(ref)).toBeUndefined();
  });
});
