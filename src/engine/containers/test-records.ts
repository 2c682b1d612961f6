/** Container records for unit tests. */
import { newState, type ContainerRecord } from './record.ts';

export function testRecord(name: string, created: string, status: ContainerRecord['state']['status'], extra: Partial<ContainerRecord> = {}): ContainerRecord {
  return {
    id: name.padEnd(64, '0'), name: `/${name}`, created, image: 'sha256:img', imageChainId: '', config: { Image: 'busybox', Labels: { app: name } },
    hostConfig: {}, path: 'sh', args: [], state: { ...newState(), status }, restartCount: 0, networkMode: 'default', ...extra,
  };
}
