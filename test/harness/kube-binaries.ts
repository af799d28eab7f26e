/**
 * Builds kube-apiserver and etcd (services/kubernetes/build-kube-binaries.sh) before a test run
 * that may need them. The script returns at once when the binaries match their versions; a fresh
 * machine spends ~15 min here once. A failed build does not stop the run: the tests that need the
 * binaries fail with the reason, the others still run.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../src/services/services-config.ts';

export async function buildKubeBinaries(log: (line: string) => void): Promise<boolean> {
  const script = path.join(projectRoot, 'services', 'kubernetes', 'build-kube-binaries.sh');
  const started = Date.now();
  const code = await new Promise<number>((resolve) => {
    const child = spawn('bash', [script], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail: string[] = [];
    const keep = (chunk: Buffer): void => {
      for (const line of chunk.toString().split('\n')) {
        if (line.startsWith('build-kube:') || line.startsWith('Kubernetes ') || line.startsWith('etcd Version')) log(line);
        else if (line.trim()) tail = [...tail.slice(-20), line];
      }
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', () => resolve(127));
    child.on('exit', (c) => {
      if (c !== 0) log(`kube binaries build failed (exit ${c}):\n${tail.join('\n')}`);
      resolve(c ?? 1);
    });
  });
  if (code === 0) log(`kube-apiserver and etcd ready (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return code === 0;
}
