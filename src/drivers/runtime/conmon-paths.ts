/**
 * Where the runtime driver keeps its per-container files, all under the exec
 * root (tmpfs, gone at reboot, like the containers themselves):
 *
 *   <execRoot>/runc/                      runc's state (`runc --root`)
 *   <execRoot>/containers/<id>/bundle     symlink to the OCI bundle (conmon puts `attach` and `ctl` there)
 *   <execRoot>/containers/<id>/conmon.pid conmon's PID
 *   <execRoot>/containers/<id>/pid        the container init's host PID
 *   <execRoot>/containers/<id>/exit/<id>  the exit code, written by conmon (atomic rename)
 *   <execRoot>/containers/<id>/execs/<execId>/  one exec: process.json, pid, exit/, attach, ctl
 */
import path from 'node:path';

export class ConmonPaths {
  constructor(readonly execRoot: string) {}
  get runcRoot(): string {
    return path.join(this.execRoot, 'runc');
  }
  dir(id: string): string {
    return path.join(this.execRoot, 'containers', id);
  }
  bundleLink(id: string): string {
    return path.join(this.dir(id), 'bundle');
  }
  conmonPidFile(id: string): string {
    return path.join(this.dir(id), 'conmon.pid');
  }
  pidFile(id: string): string {
    return path.join(this.dir(id), 'pid');
  }
  exitDir(id: string): string {
    return path.join(this.dir(id), 'exit');
  }
  exitFile(id: string): string {
    return path.join(this.exitDir(id), id);
  }
  execDir(id: string, execId: string): string {
    return path.join(this.dir(id), 'execs', execId);
  }
}
