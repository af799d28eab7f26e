/**
 * kafkajs 2.2.4 (kept: see the README's design notes) schedules its request queue's first check
 * with setTimeout(fn, throttledUntil - Date.now()) while throttledUntil is still its initial -1,
 * so every connection asks for a delay of about minus the epoch in milliseconds. Node clamps
 * that to 1 ms, as Node 20 did silently; since Node 23 it also prints a TimeoutNegativeWarning
 * (kafkajs issue #1751, unfixed upstream). This drops exactly that warning, recognised by the
 * kafkajs request-queue frame in its stack; a negative delay from anywhere else still prints
 * (Node prints this warning once per process, so only if it comes first, as without the filter).
 */
const QUEUE_FRAME = /[/\\]kafkajs[/\\]src[/\\]network[/\\]requestQueue[/\\]/;

/** True for the TimeoutNegativeWarning that kafkajs's request queue causes on every connection. */
export function isKafkajsQueueTimeoutWarning(warning: Error): boolean {
  return warning.name === 'TimeoutNegativeWarning' && QUEUE_FRAME.test(warning.stack ?? '');
}

let installed = false;

/**
 * Puts a filter in front of the process's existing 'warning' listeners (Node's printer among
 * them) that holds back the kafkajs request-queue warning and passes every other warning on.
 */
export function dropKafkajsQueueTimeoutWarning(): void {
  if (installed) return;
  installed = true;
  const listeners = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (isKafkajsQueueTimeoutWarning(warning)) return;
    for (const listener of listeners) listener.call(process, warning);
  });
}
