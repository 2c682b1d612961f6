import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatJson, formatYaml, projectTree } from './format-config.ts';
import { loadProject } from './project.ts';
import { memoryIO } from './memory-io.ts';

const load = (yaml: string) =>
  loadProject({ files: [], envFiles: [], profiles: [], env: {}, cwd: '/w/demo', io: memoryIO({ '/w/demo/compose.yaml': yaml }) }).project;

test('YAML follows compose-go field order, sorted maps and Go value forms', () => {
  const p = load(`services:
  app:
    image: app
    x-ext: 1
    user: "1000"
    environment: {ZED: "yes", ALPHA: "", MULTI: "a\\nb", COLON: "a: b", "8080": v}
    ulimits: {nofile: {soft: 1, hard: 2}, nproc: 3}
    extra_hosts: {b: 10.0.0.2, a: "::1"}
    healthcheck: {test: ["CMD", "true"], interval: 90s, retries: 3, start_period: 1h}
    stop_grace_period: 500ms
    mem_limit: 1g
    depends_on: {db: {condition: service_healthy, restart: true}}
    secrets: [{source: s, mode: 0440}]
  db: {image: db}
secrets: {s: {file: ./s.txt}}
`);
  assert.equal(
    formatYaml(projectTree(p)),
    `name: demo
services:
  app:
    depends_on:
      db:
        condition: service_healthy
        restart: true
        required: true
    environment:
      "8080": v
      ALPHA: ""
      COLON: 'a: b'
      MULTI: |-
        a
        b
      ZED: "yes"
    extra_hosts:
      - a=::1
      - b=10.0.0.2
    healthcheck:
      test:
        - CMD
        - "true"
      interval: 1m30s
      retries: 3
      start_period: 1h0m0s
    image: app
    mem_limit: "1073741824"
    networks:
      default: null
    secrets:
      - source: s
        target: /run/secrets/s
        mode: "0440"
    stop_grace_period: 500ms
    ulimits:
      nofile:
        soft: 1
        hard: 2
      nproc: 3
    user: "1000"
    x-ext: 1
  db:
    image: db
    networks:
      default: null
networks:
  default:
    name: demo_default
secrets:
  s:
    name: demo_s
    file: /w/demo/s.txt
`,
  );
});

test('JSON sorts the top level, keeps struct order inside, drops service x- keys and escapes HTML', () => {
  const p = load('services:\n  app: {image: "a<b>&c", x-ext: 1, labels: {"2": b, "10": a}}\nx-top: 1\n');
  assert.equal(
    formatJson(projectTree(p, true)),
    `{
  "name": "demo",
  "networks": {
    "default": {
      "name": "demo_default"
    }
  },
  "services": {
    "app": {
      "image": "a\\u003cb\\u003e\\u0026c",
      "labels": {
        "10": "a",
        "2": "b"
      },
      "networks": {
        "default": null
      }
    }
  },
  "x-top": 1
}`,
  );
});

test('strings that YAML would read as another type are double-quoted, as go-yaml does', () => {
  const quoted = ['1', '-2', '0x1F', '0755', '1.5', '.5', '1e3', 'yes', 'No', 'on', 'OFF', 'y', 'true', 'null', '~', '', '1:30', '2024-01-02', '.inf'];
  const plain = ['127.0.0.1', '1.2.3', 'abc', '8080/tcp', 'v1.2', '::1', '10.0.0.0/8', '1_'];
  const text = formatYaml(new Map([['q', quoted], ['p', plain]]));
  for (const q of quoted) assert.ok(text.includes(`  - ${JSON.stringify(q)}\n`), q);
  for (const p of plain) assert.ok(text.includes(`  - ${p}\n`), p);
});
