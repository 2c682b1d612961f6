import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { openBuildContext } from './src/engine/build/context.ts';
const mainCpu = () => { const f = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
const tar = readFileSync('/tmp/bz/ctx.tar');
const chunks: Buffer[] = [];
for (let i = 0; i < tar.length; i += 32768) chunks.push(Buffer.from(tar.subarray(i, i + 32768)));
const res: number[] = []; const cpu: number[] = [];
for (let r = 0; r < Number(process.argv[2] ?? 8); r++) {
  const copies = chunks.map((c) => Buffer.from(c));
  const c0 = mainCpu();
  const t = performance.now();
  const src = Readable.from(copies, { objectMode: false });
  const ctx = await openBuildContext({ kind: 'body', stream: src }, { tmpDir: '/tmp/bz/ubtmp' });
  const t2 = performance.now();
  cpu.push(mainCpu() - c0); res.push(t2 - t);
  await ctx.close();
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
console.log(`wall median ${med(res.slice(2)).toFixed(1)} main-cpu mean ${(cpu.slice(2).reduce((a, b) => a + b, 0) / (cpu.length - 2)).toFixed(1)}`);
