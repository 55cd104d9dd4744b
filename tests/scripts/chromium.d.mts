/** See chromium.mjs. */
export function chromiumExecutable(): string | undefined;
