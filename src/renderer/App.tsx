import { useEffect, useState } from 'react';
import { Compare } from './components/Compare';
import { Dashboard } from './components/Dashboard';
import { NewExperimentForm } from './components/NewExperimentForm';
import { NewRunForm } from './components/NewRunForm';
import { RunsList } from './components/RunsList';
import { closeRun, notify, openRun, useStore } from './store';

type Route = { page: 'runs' } | { page: 'new' } | { page: 'new-experiment' } | { page: 'compare'; experiment?: string } | { page: 'run'; name: string };

function parseRoute(hash: string): Route {
  const run = /^#\/run\/(.+)$/.exec(hash);
  if (run) return { page: 'run', name: decodeURIComponent(run[1]!) };
  if (hash === '#/new') return { page: 'new' };
  if (hash === '#/new-experiment') return { page: 'new-experiment' };
  if (hash === '#/compare') return { page: 'compare' };
  const experiment = /^#\/compare\/(.+)$/.exec(hash);
  if (experiment) return { page: 'compare', experiment: decodeURIComponent(experiment[1]!) };
  return { page: 'runs' };
}

function hashOf(route: Route): string {
  if (route.page === 'run') return `#/run/${encodeURIComponent(route.name)}`;
  if (route.page === 'compare' && route.experiment) return `#/compare/${encodeURIComponent(route.experiment)}`;
  return `#/${route.page}`;
}

export function App() {
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  const connection = useStore((s) => s.connection);
  const notice = useStore((s) => s.notice);

  useEffect(() => {
    const onHash = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    if (route.page === 'run') void openRun(route.name).catch((e) => notify(e instanceof Error ? e.message : String(e)));
    else closeRun();
  }, [route]);

  const go = (next: Route) => {
    location.hash = hashOf(next);
    setRoute(next);
  };

  return (
    <div className="app">
      <header className="topbar">
        <h1>
          <a href="#/runs">Loopdeck</a>
        </h1>
        <span className={`connection ${connection}`} title="Connection to the orchestrator">
          {connection === 'open' ? 'connected' : connection === 'unauthorized' ? 'not authorized' : connection}
        </span>
      </header>
      {notice && (
        <div className="notice error" role="alert">
          {notice}{' '}
          <button type="button" className="link" onClick={() => notify(null)}>
            dismiss
          </button>
        </div>
      )}
      <main>
        {connection === 'unauthorized' ? (
          <div className="notice error" role="alert">
            The server refused this page's token. Open the address that <code>loopdeck serve</code> printed (it ends in <code>?token=…</code>).
          </div>
        ) : (
          <>
            {route.page === 'runs' && (
              <RunsList
                onOpen={(name) => go({ page: 'run', name })}
                onNew={() => go({ page: 'new' })}
                onNewExperiment={() => go({ page: 'new-experiment' })}
                onCompare={() => go({ page: 'compare' })}
              />
            )}
            {route.page === 'new-experiment' && <NewExperimentForm onStarted={(name) => go({ page: 'compare', experiment: name })} onCancel={() => go({ page: 'runs' })} />}
            {route.page === 'new' && <NewRunForm onStarted={(name) => go({ page: 'run', name })} onCancel={() => go({ page: 'runs' })} />}
            {route.page === 'compare' && <Compare key={route.experiment ?? ''} experiment={route.experiment ?? null} onBack={() => go({ page: 'runs' })} />}
            {route.page === 'run' && <Dashboard key={route.name} onBack={() => go({ page: 'runs' })} onBranched={(name) => go({ page: 'run', name })} />}
          </>
        )}
      </main>
    </div>
  );
}
