// The compose part of the benchmark (issue 14): a three-service project —
// web (a published port) waiting on app's healthcheck (depends_on
// service_healthy), app after db, db with a named volume — brought up
// detached and taken down with its volumes, each round from nothing (a
// `down -v` first). Timed with `berth compose` against berthd and with
// Debian's docker-compose 1.29 against the reference engine, medians and
// their ratio; the crossed pairs (docker-compose against berthd, berth
// compose against Docker) as extra rows. The four take turns in each round.
// Used by bench.mjs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';

const DOCKER = '/usr/local/bin/docker';
const DOCKER_COMPOSE = '/usr/bin/docker-compose';
const PROJECT = 'benchcompose';

// Every process handles TERM (a trap in sh around a waited child), so `down` measures
// the stops, not a 10 s timeout. The healthcheck's interval is short so that the first
// probe, the same wait on both engines, does not hide the tools' own costs.
const COMPOSE_YAML = `services:
  web:
    image: \${IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; mkdir -p /www && echo ok > /www/index.html && httpd -f -p 80 -h /www & wait"]
    ports: ["127.0.0.1::80"]
    depends_on:
      app: {condition: service_healthy}
  app:
    image: \${IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; touch /tmp/ready; sleep 3600 & wait"]
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ready"]
      interval: 250ms
      timeout: 2s
      retries: 40
    depends_on: [db]
  db:
    image: \${IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; date >> /data/started; sleep 3600 & wait"]
    volumes: ["dbdata:/data"]
volumes:
  dbdata: {}
`;

export function composeAvailable(berth) {
  return existsSync(DOCKER_COMPOSE) && existsSync(berth);
}

/** The project directory with its compose.yaml. */
export function makeComposeProject(dir) {
  const project = path.join(dir, 'compose-project');
  mkdirSync(project, { recursive: true });
  writeFileSync(path.join(project, 'compose.yaml'), COMPOSE_YAML);
  return project;
}

/** Whether the engine can give containers a bridge and published ports (the reference one needs REF_BRIDGE=1). */
export function engineHasBridge(host) {
  return spawnSync(DOCKER, ['network', 'inspect', 'bridge'], { env: { ...process.env, DOCKER_HOST: host }, stdio: 'ignore' }).status === 0;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The two tools' command lines for a verb (`up -d`, `down -v`). */
function tool(kind, berth) {
  return kind === 'berth' ? (verb) => [berth, ['compose', '-p', PROJECT, ...verb]] : (verb) => [DOCKER_COMPOSE, ['-p', PROJECT, ...verb]];
}

function runTool(argv, cwd, env) {
  const [cmd, args] = argv;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return ms;
}

/** The project's running containers on the engine. */
function running(host) {
  const r = spawnSync(DOCKER, ['ps', '-q', '--filter', `label=com.docker.compose.project=${PROJECT}`], { env: { ...process.env, DOCKER_HOST: host }, encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean).length;
}

/**
 * `rounds` of `up -d` then `down -v` of the project for each setup — `kind`
 * ('berth': bin/berth compose, or 'docker-compose') against `host` with
 * `image` as the services' image — the setups taking turns within each round
 * so that a machine's changing load weighs on all alike; after a warm-up
 * round that checks the three services run. Medians by setup name.
 */
export function composeSuites(setups, { berth, project, rounds }) {
  const prepared = setups.map((s) => {
    const env = { DOCKER_HOST: s.host, BERTH_HOST: s.host, IMAGE: s.image, COMPOSE_INTERACTIVE_NO_CLI: '1' };
    return { ...s, env, cmd: tool(s.kind, berth), ups: [], downs: [] };
  });
  const quietDown = (s) => {
    const [cmd, args] = s.cmd(['down', '-v']);
    spawnSync(cmd, args, { cwd: project, env: { ...process.env, ...s.env }, stdio: 'ignore' });
  };
  try {
    for (const s of prepared) {
      quietDown(s); // a project left by an interrupted run
      runTool(s.cmd(['up', '-d']), project, s.env);
      const up = running(s.host);
      runTool(s.cmd(['down', '-v']), project, s.env);
      if (up !== 3) throw new Error(`${s.name}: ${up} of the 3 services running after up -d`);
    }
    for (let i = 0; i < rounds; i++) {
      for (const s of prepared) {
        s.ups.push(runTool(s.cmd(['up', '-d']), project, s.env));
        s.downs.push(runTool(s.cmd(['down', '-v']), project, s.env));
      }
    }
  } finally {
    for (const s of prepared) quietDown(s);
  }
  const out = {};
  for (const s of prepared) {
    const label = (what) => `${s.name}: ${what}`.padEnd(58);
    out[s.name] = { up: median(s.ups), down: median(s.downs) };
    console.log(`${label(`up -d (3 services; median of ${rounds})`)} ${out[s.name].up.toFixed(0).padStart(8)} ms`);
    console.log(`${label(`down -v (median of ${rounds})`)} ${out[s.name].down.toFixed(0).padStart(8)} ms`);
  }
  return out;
}

export function reportComposeRatios(b, d) {
  console.log(`ratio berth compose / docker-compose (each on its engine): up -d ${(b.up / d.up).toFixed(2)}x, down -v ${(b.down / d.down).toFixed(2)}x`);
}
