/**
 * How a running role waits for its end: SIGINT/SIGTERM, or a fatal failure the role has already
 * logged once (a TLS, SASL or ACL failure retrying cannot fix). Every role command waits here, so
 * a wrong password ends the process with exit code 1 and one message instead of a crash loop.
 */
export type RoleStop = { readonly kind: 'signal'; readonly signal: NodeJS.Signals } | { readonly kind: 'fatal'; readonly message: string };

export async function untilStopped(fatal?: Promise<{ readonly message: string }>): Promise<RoleStop> {
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const signalled = new Promise<RoleStop>((resolve) => {
    onSignal = (signal) => resolve({ kind: 'signal', signal });
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  try {
    return await Promise.race([signalled, ...(fatal ? [fatal.then((f): RoleStop => ({ kind: 'fatal', message: f.message }))] : [])]);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** After the role stopped: a fatal stop exits 1 (the message was logged by the role). */
export function exitCodeFor(stop: RoleStop): void {
  if (stop.kind === 'fatal') process.exitCode = 1;
}
