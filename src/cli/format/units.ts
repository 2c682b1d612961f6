/**
 * docker/go-units, as the docker CLI prints and parses them: HumanDuration
 * ("3 seconds", "About a minute"), decimal sizes ("4.26MB"), binary sizes
 * ("1.5GiB") and RAMInBytes for -m/--memory. Pure.
 */

/** Go's fmt `%.<p>g`: p significant digits, trailing zeros dropped, exponent form for large/small magnitudes. */
export function formatG(value: number, precision: number): string {
  if (value === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(Number(value.toPrecision(precision)))));
  if (exp < -4 || exp >= precision) {
    const [mant = '', e = '0'] = value.toExponential(precision - 1).split('e');
    const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
    const n = Number(e);
    return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  const fixed = value.toFixed(Math.max(0, precision - 1 - exp));
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

const DECIMAL = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];

function sizeAndUnit(size: number, base: number, units: string[]): [number, string] {
  let i = 0;
  while (size >= base && i < units.length - 1) {
    size /= base;
    i++;
  }
  return [size, units[i] as string];
}

/** units.HumanSizeWithPrecision: decimal units, `precision` significant digits. */
export function humanSize(size: number, precision = 4): string {
  const [v, unit] = sizeAndUnit(size, 1000, DECIMAL);
  return `${formatG(v, precision)}${unit}`;
}

/** units.BytesSize: binary units, 4 significant digits. */
export function bytesSize(size: number): string {
  const [v, unit] = sizeAndUnit(size, 1024, BINARY);
  return `${formatG(v, 4)}${unit}`;
}

/** units.HumanDuration for a duration in milliseconds. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / 60000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.trunc(ms / 3600000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(ms / 3600000 / 24 / 365)} years`;
}

/** "3 seconds ago" from a unix time in seconds, as ps/images CREATED. */
export function timeAgo(unixSeconds: number, nowMs: number): string {
  return `${humanDuration(nowMs - unixSeconds * 1000)} ago`;
}

export { fromHumanSize, ramInBytes } from '../../util/size.ts';
