import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Permission } from '../lib/notify';

/**
 * What the shell shows about the features: unread chats per site (switcher pills, the Inbox badge), the
 * Callbacks badge, and the new-chat alert switch in the top bar. The app fills it from the inbox store and
 * the callbacks count, so the shared shell imports no feature (features depend on components, never back).
 */
export interface ShellStatus {
  /** Unread visitor messages of one site. */
  unread(siteId: string): number;
  /** Callbacks nobody has taken yet on the site the sidebar shows. */
  waitingCallbacks: number;
  notifications: {
    enabled: boolean;
    permission: Permission;
    enable(): Promise<void>;
    disable(): void;
  };
}

export const ShellStatusContext = createContext<ShellStatus | null>(null);

export function useShellStatus(): ShellStatus {
  const status = useContext(ShellStatusContext);
  if (!status) throw new Error('useShellStatus outside the signed-in app');
  return status;
}
