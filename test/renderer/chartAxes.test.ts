import { describe, expect, it } from 'vitest';
import { iterationTicks, niceStep, placeReferenceLabels, roundAxis, shareAxis, zeroBasedAxis } from '../../src/renderer/chartAxes';

describe('chart axes', () => {
  it('picks round steps', () => {
    expect(niceStep(88, 4)).toBe(25);
    expect(niceStep(35_600, 4)).toBe(10_000);
    expect(niceStep(0.3, 6)).toBeCloseTo(0.05);
    expect(niceStep(1000, 4)).toBe(250);
  });

  it('ticks iterations from 1 at round multiples', () => {
    expect(iterationTicks(89)).toEqual([1, 25, 50, 75]);
    expect(iterationTicks(5)).toEqual([1, 2, 3, 4, 5]);
    expect(iterationTicks(1)).toEqual([1, 2]);
  });

  it('ticks training steps from 0', () => {
    expect(zeroBasedAxis(35_600)).toEqual({ domain: [0, 35_600], ticks: [0, 10_000, 20_000, 30_000] });
  });

  it('gives a share axis round ticks down to the lowest value', () => {
    // The strength chart's accuracy (76-98%) read 70%, 78%, 85%, 93%, 100% with the data's own bounds.
    const { domain, ticks } = shareAxis(0.76);
    expect(domain).toEqual([0.75, 1]);
    expect(ticks.map((t) => Math.round(t * 100))).toEqual([75, 80, 85, 90, 95, 100]);
    expect(shareAxis(0.31).ticks.map((t) => Math.round(t * 100))).toEqual([30, 40, 50, 60, 70, 80, 90, 100]);
    expect(shareAxis(1).domain).toEqual([0.95, 1]);
  });

  it('covers every value with round bounds', () => {
    const { domain, ticks } = roundAxis([483, 1211, 562, 678, 728]);
    expect(domain).toEqual([400, 1400]);
    expect(ticks).toEqual([400, 600, 800, 1000, 1200, 1400]);
    expect(roundAxis([500]).domain[1]).toBeGreaterThan(500);
  });

  it('keeps reference labels apart, above their lines where there is room', () => {
    // Depth 2, 4 and 6 at 562, 678 and 728 Elo on a 1,000-Elo axis 170 px tall: 4 and 6 are 8.5 px apart,
    // so 6's label goes above its line and 4's below; 2's above its line would then touch 4's, so it goes below too.
    const ABOVE = 'insideBottomRight';
    const BELOW = 'insideTopRight';
    expect(placeReferenceLabels([562, 678, 728], 0.17)).toEqual([BELOW, BELOW, ABOVE]);
    expect(placeReferenceLabels([100, 500, 900], 0.17)).toEqual([ABOVE, ABOVE, ABOVE]);
    // Three within a label's height: the lowest goes to the left.
    expect(placeReferenceLabels([700, 705, 710], 0.17)).toEqual(['insideBottomLeft', BELOW, ABOVE]);
  });
});
