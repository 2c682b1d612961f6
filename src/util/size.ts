/** Sizes as Docker's go-units parses them ("512m", "1.5GiB", "10k"), shared by the CLI's flags and the daemon's options. */

const SIZE_RE = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/;
const MULT: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** units.RAMInBytes: "512m" → 536870912; binary multipliers whatever the suffix says. */
export function ramInBytes(text: string): number {
  const m = SIZE_RE.exec(text);
  if (!m) throw new Error(`invalid size: '${text}'`);
  let size = Number.parseFloat(m[1] as string);
  if (m[2]) size *= MULT[m[2].toLowerCase()] ?? 1;
  return Math.trunc(size);
}

/** units.FromHumanSize: decimal multipliers (size filters). */
export function fromHumanSize(text: string): number {
  const m = SIZE_RE.exec(text);
  if (!m) throw new Error(`invalid size: '${text}'`);
  let size = Number.parseFloat(m[1] as string);
  if (m[2]) size *= 1000 ** ('kmgtp'.indexOf(m[2].toLowerCase()) + 1);
  return Math.trunc(size);
}
