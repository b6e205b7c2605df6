import type { ManagedServer } from '../api/managed-servers';

/** Why a row cannot be changed here, or null when the console manages it. */
export function readOnlyReason(server: Pick<ManagedServer, 'managedBy'>): string | null {
  if (server.managedBy === 'file') {
    return 'From WHM_SERVERS_FILE (or WHM_URL): change it there and restart the console.';
  }
  if (server.managedBy === 'demo') return 'A simulated server of the demo: it cannot be changed.';
  return null;
}
