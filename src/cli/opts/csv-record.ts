/**
 * One line of CSV as Go's encoding/csv reads it (the docker CLI reads
 * `--network name=x,alias=y` and `--mount` values so): fields split on
 * commas, double-quoted fields may hold commas and "" for a quote; Go's
 * errors for a stray quote. Pure.
 */
export function readCsvRecord(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  const fail = (col: number, what: string) => new Error(`parse error on line 1, column ${col}: ${what}`);
  for (;;) {
    if (line[i] !== '"') {
      const end = line.indexOf(',', i);
      const field = end < 0 ? line.slice(i) : line.slice(i, end);
      const q = field.indexOf('"');
      if (q >= 0) throw fail(i + q + 1, 'bare " in non-quoted-field');
      fields.push(field);
      if (end < 0) return fields;
      i = end + 1;
      continue;
    }
    let field = '';
    let j = i + 1;
    for (;;) {
      const q = line.indexOf('"', j);
      if (q < 0) throw fail(line.length + 1, 'extraneous or missing " in quoted-field');
      field += line.slice(j, q);
      if (line[q + 1] === '"') {
        field += '"';
        j = q + 2;
        continue;
      }
      j = q + 1;
      break;
    }
    if (j < line.length && line[j] !== ',') throw fail(j + 1, 'extraneous or missing " in quoted-field');
    fields.push(field);
    if (j >= line.length) return fields;
    i = j + 1;
  }
}
