/**
 * Docker's messages for network errors, built in one place. Words and kinds
 * (so statuses) as dockerd 20.10 answers them, checked side by side; several
 * of its failures are untyped errors, answered 500, and are kept so.
 */
import { ConflictError, ForbiddenError, InvalidParameterError, NotFoundError, SystemError } from '../../util/errors.ts';

export const noSuchNetwork = (ref: string) => new NotFoundError(`network ${ref} not found`);

/** The lookup the daemon uses (rm, and containers naming a network). */
export const ambiguousNetwork = (ref: string, count: number, basis: 'name' | 'ID prefix') =>
  new InvalidParameterError(`network ${ref} is ambiguous (${count} matches found based on ${basis})`);

/** The lookup of `GET /networks/{id}` words it the other way round. */
export const ambiguousNetworkInspect = (ref: string, count: number, basis: 'name' | 'ID prefix') =>
  new InvalidParameterError(`${count} matches found based on ${basis}: network ${ref} is ambiguous`);

export const predefinedNotRemovable = (name: string) => new ForbiddenError(`${name} is a pre-defined network and cannot be removed`);

export const activeEndpoints = (name: string, id: string) =>
  new ForbiddenError(`error while removing network: network ${name} id ${id} has active endpoints`);

export const duplicateName = (name: string) => new ConflictError(`network with name ${name} already exists`);

export const duplicateNameWarning = (name: string, id: string) => `Network with name ${name} (id : ${id}) already exists`;

export const invalidName = (name: string) => new SystemError(`invalid name: ${name}`);

export const predefinedName = (name: string) => new ForbiddenError(`operation is not permitted on predefined ${name} network `);

export const pluginNotFound = (name: string) => new NotFoundError(`plugin "${name}" not found`);

export const onlyOneInstance = (driver: string) => new ForbiddenError(`only one instance of "${driver}" network is allowed`);

export const swarmScope = () => new ForbiddenError('cannot create a swarm scoped network when swarm is not active');

export const ingressScope = () => new ForbiddenError('Ingress network can only be global scope network');

export const notSwarmManager = () =>
  new SystemError('This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.');

export const poolOverlaps = () => new ForbiddenError('Pool overlaps with other one on this address space');

export const multipleSubnets = (driver: string) => new ForbiddenError(`${driver} driver doesn't support multiple subnets`);

export const invalidSubnet = (subnet: string) => new SystemError(`Invalid subnet ${subnet} : invalid CIDR address: ${subnet}`);

export const invalidGateway = (gateway: string) => new SystemError(`invalid gateway address ${gateway} in Ipam configuration`);

/** The IPAM could not give the network its gateway (`asked` empty: an automatic one); `detail` is the allocator's reason. */
export const gatewayNotAllocated = (asked: string, detail: string, cause?: unknown) =>
  new SystemError(`failed to allocate gateway (${asked}): ${detail}`, { cause });

export const invalidIpRange = (subnet: string, range: string) =>
  new SystemError(`failed to parse pool request for address space "LocalDefault" pool "${subnet}" subpool "${range}": Invalid Address SubPool`);

export const auxOutsidePool = (name: string, address: string, subnet: string) =>
  new ForbiddenError(`auxiliary address: (${name}:${address}) must belong to the master pool: ${subnet}`);

export const badAuxAddress = (name: string, address: string, network: string) =>
  new SystemError(`non parsable secondary ip address (${name}:${address}) passed for network ${network}`);

export const auxNotAllocated = (name: string, address: string, detail: string, cause?: unknown) =>
  new SystemError(`failed to allocate secondary ip address (${name}:${address}): ${detail}`, { cause });

export const noPool = (family: 4 | 6) =>
  new NotFoundError(`could not find an available, non-overlapping IPv${family} address pool among the defaults to assign to the network`);

export const badMtu = (value: string) =>
  new SystemError(`failed to parse com.docker.network.driver.mtu value: ${value} (strconv.Atoi: parsing ${JSON.stringify(value)}: invalid syntax)`);

export const badBridgeName = () => new SystemError('failed to check bridge interface existence: numerical result out of range');

export const sameBridgeName = (id: string, otherId: string, bridge: string) =>
  new ForbiddenError(`cannot create network ${id} (${bridge}): conflicts with network ${otherId} (${bridge}): networks have same bridge name`);

export const bridgeOverlap = (id: string, bridge: string, otherId: string, otherBridge: string) =>
  new ForbiddenError(`cannot create network ${id} (${bridge}): conflicts with network ${otherId} (${otherBridge}): networks have overlapping IPv4`);

/** macvlan/ipvlan without `-o parent=`: dockerd makes a dummy link, which this kernel cannot (and neither can netavark). */
export const noParent = () => new SystemError('operation not supported');

export const missingParent = (parent: string) => new SystemError(`invalid subinterface vlan name ${parent}, example formatting is eth0.10`);

export const parentInUse = (otherId: string, parent: string) => new SystemError(`network dm-${otherId.slice(0, 12)} is already using parent interface ${parent}`);

export const badMacvlanMode = (mode: string) => new SystemError(`requested macvlan mode '${mode}' is not valid, 'bridge' mode is the macvlan driver default`);

export const badIpvlanMode = (mode: string) => new SystemError(`requested ipvlan mode '${mode}' is not valid, 'l2' mode is the ipvlan driver default`);

export const invalidTypeFilter = (value: string) => new SystemError(`invalid filter: 'type'='${value}'`);
