import { flowSpent, raiseFlow, spendFlow } from '../../src/layers/message-flow.js';

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
