/**
 * A full garbage collection for benches, whether or not node was started with --expose-gc: a
 * timed phase should not pay for the garbage the phase before it left.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';

export function fullGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
