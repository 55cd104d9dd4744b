import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../../api';

/**
 * A site's list on a settings page (triggers, audiences): loaded when the site changes (null until it
 * arrives), loaded again after each change, with the last failure as text for the page's alert.
 */
export function useSiteList<T>(siteId: string, fetchList: (siteId: string) => Promise<T>) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = () =>
    fetchList(siteId).then(
      (loaded) => setData(() => loaded),
      (caught: unknown) => setError(errorMessage(caught)),
    );
  useEffect(() => {
    setData(null);
    void reload();
  }, [siteId]);
  /** Runs one write (switch on/off, delete), then reloads; a failure shows in `error`. */
  const change = async (write: () => Promise<unknown>) => {
    try {
      await write();
      await reload();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };
  return { data, setData, error, reload, change };
}
