// Generates src/api/decode/schemas.generated.ts: one JSON schema per control
// route's request body, made from the Engine API contract
// (shared/reference/docker-engine-api-v1.43.yaml), with every $ref inlined and
// every allOf merged. Run `node scripts/gen-api-schemas.mjs` after the swagger
// or the Go tables below change; the output is committed.
//
// Besides the swagger's types, each node is annotated with what dockerd's Go
// decoder would say about it, since refusals must use its words:
//   x-go-type    the Go type in "cannot unmarshal X into … of type T"
//   x-go-struct  for objects decoded into a struct: the struct's name
//   x-go-strslice  Cmd/Entrypoint/Shell/CapAdd/CapDrop: a string or []string
//   goInt        integers: the Go integer type whose range and syntax apply
// and everything is nullable, because Go's decoder takes null for any field.
// Enums, minimum and maximum are left out on purpose: dockerd checks those
// after decoding, with its own words (the engine's create checks).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const swaggerPath = process.env.BERTH_SWAGGER ?? path.resolve(root, '../shared/reference/docker-engine-api-v1.43.yaml');
const swagger = YAML.parse(readFileSync(swaggerPath, 'utf8'));
const defs = swagger.definitions;

/** Request bodies validated, by operationId: the Go type dockerd decodes the whole body into. */
const OPERATIONS = {
  ContainerCreate: { goType: 'runconfig.ContainerConfigWrapper', struct: 'ContainerConfigWrapper' },
  ImageCommit: { goType: 'runconfig.ContainerConfigWrapper', struct: 'ContainerConfigWrapper' },
  ContainerUpdate: { goType: 'container.UpdateConfig', struct: 'UpdateConfig' },
  ContainerExec: { goType: 'types.ExecConfig', struct: 'ExecConfig' },
  ExecStart: { goType: 'types.ExecStartCheck', struct: 'ExecStartCheck' },
  NetworkCreate: { goType: 'types.NetworkCreateRequest', struct: 'NetworkCreateRequest' },
  NetworkConnect: { goType: 'types.NetworkConnect', struct: 'NetworkConnect' },
  NetworkDisconnect: { goType: 'types.NetworkDisconnect', struct: 'NetworkDisconnect' },
  // dockerd 20.10's struct; ClusterVolumeSpec (swarm's, newer) is left out: Berth has no swarm, and Go ignores a field it lacks.
  VolumeCreate: { goType: 'volume.VolumeCreateBody', struct: 'VolumeCreateBody', omit: ['ClusterVolumeSpec'] },
};

/** Swagger definitions decoded into a Go struct: its Go type. Resources is embedded (it takes its holder's name). */
const DEF_GO = {
  HostConfig: 'container.HostConfig',
  HealthConfig: 'container.HealthConfig',
  RestartPolicy: 'container.RestartPolicy',
  Mount: 'mount.Mount',
  DeviceMapping: 'container.DeviceMapping',
  DeviceRequest: 'container.DeviceRequest',
  ThrottleDevice: 'blkiodev.ThrottleDevice',
  NetworkingConfig: 'network.NetworkingConfig',
  EndpointSettings: 'network.EndpointSettings',
  EndpointIPAMConfig: 'network.EndpointIPAMConfig',
  PortBinding: 'nat.PortBinding',
  IPAM: 'network.IPAM',
  IPAMConfig: 'network.IPAMConfig',
  ConfigReference: 'network.ConfigReference',
};

/**
 * Go types that the swagger cannot tell, by `Struct.Field` (the innermost Go
 * struct's name). `[]` names an item, `{}` a map value. Checked against
 * dockerd 20.10's decoder errors.
 */
const GO_TYPES = {
  'ContainerConfigWrapper.ExposedPorts': 'nat.PortSet',
  'ContainerConfigWrapper.ExposedPorts{}': 'struct {}',
  'ContainerConfigWrapper.Volumes{}': 'struct {}',
  'ContainerConfigWrapper.StopTimeout': 'int',
  'HealthConfig.Interval': 'time.Duration',
  'HealthConfig.Timeout': 'time.Duration',
  'HealthConfig.StartPeriod': 'time.Duration',
  'HealthConfig.StartInterval': 'time.Duration',
  'HealthConfig.Retries': 'int',
  'HostConfig.LogConfig': 'container.LogConfig',
  'HostConfig.NetworkMode': 'container.NetworkMode',
  'HostConfig.PortBindings': 'nat.PortMap',
  'HostConfig.PortBindings{}': '[]nat.PortBinding',
  'HostConfig.ConsoleSize': '[2]uint',
  'HostConfig.ConsoleSize[]': 'uint',
  'HostConfig.CgroupnsMode': 'container.CgroupnsMode',
  'HostConfig.IpcMode': 'container.IpcMode',
  'HostConfig.Cgroup': 'container.CgroupSpec',
  'HostConfig.OomScoreAdj': 'int',
  'HostConfig.PidMode': 'container.PidMode',
  'HostConfig.UTSMode': 'container.UTSMode',
  'HostConfig.UsernsMode': 'container.UsernsMode',
  'HostConfig.Isolation': 'container.Isolation',
  'HostConfig.BlkioWeightDevice': '[]*blkiodev.WeightDevice',
  'HostConfig.BlkioWeightDevice[]': 'blkiodev.WeightDevice',
  'HostConfig.Ulimits': '[]*units.Ulimit',
  'HostConfig.Ulimits[]': 'units.Ulimit',
  'ExecConfig.ConsoleSize': '[2]uint',
  'ExecConfig.ConsoleSize[]': 'uint',
  'ExecStartCheck.ConsoleSize': '[2]uint',
  'ExecStartCheck.ConsoleSize[]': 'uint',
  'RestartPolicy.MaximumRetryCount': 'int',
  'DeviceRequest.Count': 'int',
  'Mount.Type': 'mount.Type',
  'Mount.Consistency': 'mount.Consistency',
  'Mount.BindOptions': 'mount.BindOptions',
  'Mount.VolumeOptions': 'mount.VolumeOptions',
  'Mount.TmpfsOptions': 'mount.TmpfsOptions',
  'BindOptions.Propagation': 'mount.Propagation',
  'VolumeOptions.DriverConfig': 'mount.Driver',
  'TmpfsOptions.Mode': 'fs.FileMode',
  'WeightDevice.Weight': 'uint16',
  'ThrottleDevice.Rate': 'uint64',
  'HostConfig.BlkioWeight': 'uint16',
  'HostConfig.CpuShares': 'int64',
  'Ulimit.Soft': 'int64',
  'Ulimit.Hard': 'int64',
  'HostConfig.MemorySwappiness': 'int64',
  'HostConfig.IOMaximumIOps': 'uint64',
  'HostConfig.IOMaximumBandwidth': 'uint64',
  'EndpointSettings.IPPrefixLen': 'int',
  'EndpointSettings.GlobalIPv6PrefixLen': 'int',
  'NetworkingConfig.EndpointsConfig': 'map[string]*network.EndpointSettings',
};
// Update's body embeds the same Resources: the same Go types under its name.
for (const [k, v] of Object.entries(GO_TYPES)) if (k.startsWith('HostConfig.')) GO_TYPES[`UpdateConfig.${k.slice(11)}`] ??= v;

/** Inline objects decoded into a named Go struct, by `Struct.Field` (`[]` for items). */
const INLINE_STRUCTS = {
  'HostConfig.Ulimits[]': 'Ulimit',
  'UpdateConfig.Ulimits[]': 'Ulimit',
  'HostConfig.BlkioWeightDevice[]': 'WeightDevice',
  'UpdateConfig.BlkioWeightDevice[]': 'WeightDevice',
  'HostConfig.LogConfig': 'LogConfig',
  'Mount.BindOptions': 'BindOptions',
  'Mount.VolumeOptions': 'VolumeOptions',
  'VolumeOptions.DriverConfig': 'Driver',
  'Mount.TmpfsOptions': 'TmpfsOptions',
};

/** Fields Go decodes as strslice.StrSlice: a string or an array of strings. */
const STRSLICE = new Set(['ContainerConfigWrapper.Cmd', 'ContainerConfigWrapper.Entrypoint', 'ContainerConfigWrapper.Shell', 'HostConfig.CapAdd', 'HostConfig.CapDrop']);

const INT_FORMATS = { int64: 'int64', int32: 'int32', uint64: 'uint64', uint32: 'uint32', uint16: 'uint16', uint8: 'uint8', int8: 'int8', int16: 'int16' };
const missing = [];

function resolve(schema) {
  let s = schema;
  let def;
  while (s.$ref) {
    def = s.$ref.replace('#/definitions/', '');
    s = defs[def];
  }
  if (s.allOf?.length === 1) return { schema: resolve(s.allOf[0]).schema, def };
  if (s.allOf) {
    const merged = { type: 'object', properties: {} };
    for (const part of s.allOf) {
      const r = resolve(part).schema;
      Object.assign(merged.properties, r.properties ?? {});
    }
    s = merged;
  }
  return { schema: s, def };
}

const nullable = (type) => ({ type: [type, 'null'] });

/**
 * One swagger node → annotated JSON schema. `struct` is the innermost Go
 * struct's name, `key` this node's `Struct.Field` (with []/{} suffixes).
 */
function convert(node, struct, key, structName) {
  const { schema, def } = resolve(node);
  const goOverride = GO_TYPES[key];
  if (goOverride === 'struct {}') return { ...nullable('object'), 'x-go-type': 'struct {}', 'x-go-struct': '', properties: {} };
  if (STRSLICE.has(key)) {
    return { 'x-go-strslice': true, 'x-go-type': 'string', anyOf: [nullable('string'), { type: 'array', items: nullable('string') }] };
  }
  const type = schema.type ?? (schema.properties ? 'object' : undefined);
  if (type === 'object' && (schema.properties || structName || (def && DEF_GO[def]) || INLINE_STRUCTS[key])) {
    const name = structName ?? (def && def !== 'Resources' ? def : undefined) ?? INLINE_STRUCTS[key] ?? struct;
    const out = { ...nullable('object'), 'x-go-struct': name, 'x-go-type': goOverride ?? (def && DEF_GO[def]) ?? `container.${name}`, properties: {} };
    for (const [field, child] of Object.entries(schema.properties ?? {})) out.properties[field] = convert(child, name, `${name}.${field}`);
    return out;
  }
  if (type === 'object') {
    const value = schema.additionalProperties;
    if (value === undefined || value === true) throw new Error(`${key}: a free-form object; give it a Go type`);
    const v = convert(value, struct, `${key}{}`);
    return { ...nullable('object'), 'x-go-type': goOverride ?? `map[string]${v['x-go-type']}`, additionalProperties: v };
  }
  if (type === 'array') {
    const item = convert(schema.items, struct, `${key}[]`);
    return { ...nullable('array'), 'x-go-type': goOverride ?? `[]${item['x-go-type']}`, items: item };
  }
  if (type === 'integer') {
    const go = goOverride ?? INT_FORMATS[schema.format];
    if (!go) missing.push(key);
    return { ...nullable('number'), goInt: go ?? 'int64', 'x-go-type': go ?? 'int64' };
  }
  if (type === 'number') return { ...nullable('number'), 'x-go-type': goOverride ?? 'float64' };
  if (type === 'boolean') return { ...nullable('boolean'), 'x-go-type': goOverride ?? 'bool' };
  if (type === 'string') return { ...nullable('string'), 'x-go-type': goOverride ?? 'string' };
  throw new Error(`${key}: no type in the swagger`);
}

/**
 * Fields dockerd's Go structs still decode though the v1.43 swagger no longer
 * lists them (dropping them would lose their deprecation warnings).
 */
const GO_ONLY_FIELDS = { Resources: { KernelMemory: { type: 'integer', format: 'int64' } } };
for (const [def, fields] of Object.entries(GO_ONLY_FIELDS)) Object.assign(defs[def].properties, fields);

/**
 * Berth's extension fields, which dockerd's decoder ignores and Berth's
 * engine reads: kept through the body's canonicalization.
 * BindOptions/VolumeOptions.BerthIDMap: an id-mapped mount's MAPPING
 * (src/engine/containers/idmap-option.ts).
 */
const BERTH_FIELDS = [
  [defs.Mount.properties.BindOptions, 'BerthIDMap', { type: 'string' }],
  [defs.Mount.properties.VolumeOptions, 'BerthIDMap', { type: 'string' }],
];
for (const [object, field, schema] of BERTH_FIELDS) object.properties[field] = schema;

function bodySchema(operationId) {
  for (const ops of Object.values(swagger.paths)) {
    for (const op of Object.values(ops)) {
      if (op?.operationId !== operationId) continue;
      const body = op.parameters?.find((p) => p.in === 'body');
      if (body) return body.schema;
    }
  }
  throw new Error(`${operationId}: no body in the swagger`);
}

const schemas = {};
for (const [op, { goType, struct, omit = [] }] of Object.entries(OPERATIONS)) {
  let body = bodySchema(op);
  if (omit.length > 0) {
    const resolved = resolve(body).schema;
    body = { ...resolved, properties: Object.fromEntries(Object.entries(resolved.properties).filter(([k]) => !omit.includes(k))) };
  }
  const s = convert(body, struct, struct, struct);
  s['x-go-type'] = goType;
  schemas[op] = s;
}
if (missing.length) {
  console.error(`integers without a Go type (format or GO_TYPES entry): ${missing.join(', ')}`);
  process.exit(1);
}

const out = path.join(root, 'src/api/decode/schemas.generated.ts');
writeFileSync(
  out,
  `// Generated by scripts/gen-api-schemas.mjs from docker-engine-api-v1.43.yaml. Do not edit.\n` +
    `// Request body schemas of the control routes, annotated with dockerd's Go types.\n` +
    `export const BODY_SCHEMAS = ${JSON.stringify(schemas, null, 1)} as const;\n\n` +
    `export type BodyOperation = keyof typeof BODY_SCHEMAS;\n`,
);
console.log(`wrote ${path.relative(root, out)}`);

// The validators, compiled by ajv here rather than at run time: compiling the
// create schema takes ajv about half a second, which the first `docker run`
// must not pay. Only `type`, `properties`, `additionalProperties`, `items` and
// `anyOf` are at work; the x- annotations and goInt are read by body-validator.ts.
const ajv = new Ajv({ allErrors: true, strict: false, code: { source: true, esm: true } });
for (const [op, schema] of Object.entries(schemas)) ajv.addSchema(schema, op);
const code = (standaloneCode.default ?? standaloneCode)(ajv, Object.fromEntries(Object.keys(schemas).map((op) => [op, op])));
if (/require\(/.test(code)) throw new Error('the standalone validators need ajv at run time');
const outValidators = path.join(root, 'src/api/decode/validators.generated.ts');
writeFileSync(
  outValidators,
  `// @ts-nocheck\n// Generated by scripts/gen-api-schemas.mjs (ajv standalone code of schemas.generated.ts). Do not edit.\n${code}\n`,
);
console.log(`wrote ${path.relative(root, outValidators)}`);
