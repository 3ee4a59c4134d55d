// Small helpers every part of the harness uses: the log line, a pause, rounding for the report.

export const log = (line) => process.stdout.write(`${line}\n`);
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const rounded = (digits) => (value) =>
  value === null || value === undefined || Number.isNaN(value) ? null : Math.round(value * 10 ** digits) / 10 ** digits;
export const round2 = rounded(2);
export const round3 = rounded(3);

/**
 * The servers in the order a round runs them: as given in even rounds, reversed in odd ones, so that no server always
 * runs right after the same one and a drift of the machine within a round favours none (the full harness and ab.mjs).
 */
export const inRoundOrder = (entries, round) => (round % 2 === 0 ? entries : [...entries].reverse());
