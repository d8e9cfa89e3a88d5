/** Normalised for the host gate: lower-case name, port only when not the scheme's default. */
export const gateHostOf = (url: string): string => new URL(url).host;
