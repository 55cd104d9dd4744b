import type { Site } from '@beckon/sdk/protocol';
import { useEffect, useState } from 'preact/hooks';
import { Alert } from '../../components/Alert';
import { Spinner } from '../../components/PageHeader';

type PageModule = typeof import('./ReportsPage');
export interface ReportsPageProps {
  site: Site;
  /** The report in the URL (`/reports/speed`); null: the overview. */
  report: string | null;
}

let loaded: PageModule | null = null;

/** Loads the section's module on first use (a separate chunk), then renders it; later visits render at once. */
export function ReportsPage(props: ReportsPageProps) {
  const [module, setModule] = useState<PageModule | null>(loaded);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    if (module) return;
    let cancelled = false;
    import('./ReportsPage').then(
      (next) => {
        loaded = next;
        if (!cancelled) setModule(next);
      },
      // A new deploy replaced the chunk (its hashed name is gone): a reload fetches the current one.
      (error: unknown) => !cancelled && setFailed(error instanceof Error ? error.message : String(error)),
    );
    return () => {
      cancelled = true;
    };
  }, [module]);
  if (failed) {
    return (
      <div class="page">
        <Alert tone="error">{failed}</Alert>
      </div>
    );
  }
  if (!module) return <Spinner />;
  return <module.ReportsPage {...props} />;
}
