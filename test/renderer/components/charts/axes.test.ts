import { describe, expect, it } from 'vitest';
import { iterationTicks, niceStep, placeReferenceLabels, roundAxis, shareAxis, zeroBasedAxis } from '../../../../src/renderer/components/charts/axes';

describe('chart axes', () => {
  it('picks round steps', () => {
    expect(niceStep(88, 4)).toBe(25);
    expect(niceStep(35_600, 4)).toBe(10_000);
    expect(niceStep(0.3, 6)).toBeCloseTo(0.05);
    expect(niceStep(1000, 4)).toBe(250);
  });

  it('ticks iterations from 1 at round whole multiples', () => {
    expect(iterationTicks(89)).toEqual([1, 20, 40, 60, 80]);
    expect(iterationTicks(44)).toEqual([1, 10, 20, 30, 40]);
    expect(iterationTicks(5)).toEqual([1, 2, 3, 4, 5]);
    expect(iterationTicks(10)).toEqual([1, 2, 4, 6, 8, 10]);
    expect(iterationTicks(1)).toEqual([1, 2]);
    expect(iterationTicks(5000)).toEqual([1, 1000, 2000, 3000, 4000, 5000]);
  });

  it('ticks training steps from 0 in whole steps', () => {
    expect(zeroBasedAxis(35_600)).toEqual({ domain: [0, 35_600], ticks: [0, 10_000, 20_000, 30_000] });
    expect(zeroBasedAxis(0)).toEqual({ domain: [0, 1], ticks: [0, 1] });
  });

  it('gives a share axis round ticks down to the lowest value', () => {
    const percents = (lowest: number) => shareAxis(lowest).ticks.map((t) => Math.round(t * 100));
    // The strength chart's accuracy (76-98%) read 70%, 78%, 85%, 93%, 100% with the data's own bounds.
    expect(shareAxis(0.76).domain).toEqual([0.75, 1]);
    expect(percents(0.76)).toEqual([75, 80, 85, 90, 95, 100]);
    expect(percents(0.7)).toEqual([70, 75, 80, 85, 90, 95, 100]);
    expect(percents(0.45)).toEqual([40, 50, 60, 70, 80, 90, 100]);
    expect(percents(0)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(shareAxis(1).domain).toEqual([0.95, 1]);
  });

  it('covers every value with round bounds, at least the minimum span wide', () => {
    expect(roundAxis([483, 1211, 562, 678, 728], 100)).toEqual({ domain: [400, 1400], ticks: [400, 600, 800, 1000, 1200, 1400] });
    // One model, or a band a few Elo wide: 100 Elo around it, not a zero-width axis.
    expect(roundAxis([500], 100)).toEqual({ domain: [450, 550], ticks: [450, 475, 500, 525, 550] });
    expect(roundAxis([-310, -190], 100).domain).toEqual([-350, -150]);
  });

  it('keeps reference labels apart and inside the plot, above their lines where there is room', () => {
    const ABOVE = 'insideBottomRight';
    const BELOW = 'insideTopRight';
    // Depth 2, 4 and 6 at 562, 678 and 728 Elo on the 400-1400 axis 170 px tall: 4 and 6 are 8.5 px
    // apart, so 6's label goes above its line and 4's below; 2's above its line would touch 4's, so it goes below too.
    expect(placeReferenceLabels([562, 678, 728], [400, 1400], 170)).toEqual([BELOW, BELOW, ABOVE]);
    expect(placeReferenceLabels([500, 900, 1300], [400, 1400], 170)).toEqual([ABOVE, ABOVE, ABOVE]);
    // Three within a label's height: the lowest goes to the left.
    expect(placeReferenceLabels([700, 705, 710], [400, 1400], 170)).toEqual(['insideBottomLeft', BELOW, ABOVE]);
    // A line at the top edge: its label goes below it, not out of the plot; one at the bottom edge, above it.
    expect(placeReferenceLabels([1395, 405], [400, 1400], 170)).toEqual([BELOW, ABOVE]);
  });
});
