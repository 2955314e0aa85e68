/** A part as a percentage of a whole, to one decimal place, as dashboards show shares; 0 of nothing is 0. */
export const percentOf = (part: number, whole: number): number => (whole === 0 ? 0 : Math.round((part * 1000) / whole) / 10);
