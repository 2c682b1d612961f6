/**
 * Human-readable durations and sizes as Docker prints them (the go-units
 * package's HumanDuration, HumanSize and BytesSize).
 */

/** go-units HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(seconds / 60);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(ms / 3_600_000);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(ms / 3_600_000 / 24 / 365)} years`;
}

const DECIMAL = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];

/** Go's %.4g formatting of a float (what go-units uses). */
function formatG4(value: number): string {
  if (value === 0) return '0';
  const text = value.toPrecision(4);
  if (text.includes('e')) return text;
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

function sizeWith(bytes: number, base: number, units: string[], precision: (v: number) => string): string {
  let value = bytes;
  let i = 0;
  while (value >= base && i < units.length - 1) {
    value /= base;
    i++;
  }
  return `${precision(value)}${units[i]}`;
}

/** go-units HumanSize: decimal units, 4 significant digits ("4.26MB"). */
export function humanSize(bytes: number): string {
  return sizeWith(bytes, 1000, DECIMAL, formatG4);
}

/** go-units HumanSizeWithPrecision(size, 3) as `docker images` uses it ("4.26MB"). */
export function humanSizePrecision(bytes: number, digits: number): string {
  return sizeWith(bytes, 1000, DECIMAL, (v) => {
    const text = v.toPrecision(digits);
    if (text.includes('e')) return String(Number(text));
    return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
  });
}

/** go-units BytesSize: binary units ("1.5MiB"), used by docker stats. */
export function bytesSize(bytes: number): string {
  return sizeWith(bytes, 1024, BINARY, formatG4);
}
