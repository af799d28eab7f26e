/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The segflow web UI: four views (flows, denied, explain, graph) behind tabs, routed by the URL
 * hash (`#/denied?namespace=shop`), sharing one filter bar. Talks only to the public API.
 */
import { ApiRequestError, apiToken, setApiToken } from './api-client.ts';
import { completenessBanner } from './completeness-banner.ts';
import { deniedView } from './denied-view.ts';
import { el, replaceChildren } from './dom.ts';
import { explainView } from './explain-view.ts';
import { recommendView } from './recommend-view.ts';
import { filterBar, filtersFromSearch, filtersToSearch, type Filters } from './filters.ts';
import { flowsView } from './flows-view.ts';
import { graphView } from './graph-view.ts';
import type { MountedView, ViewFactory } from './view.ts';

const VIEWS: Record<string, { title: string; factory: ViewFactory; filters: boolean }> = {
  flows: { title: 'Flows', factory: flowsView, filters: true },
  denied: { title: 'Denied', factory: deniedView, filters: true },
  explain: { title: 'Explain', factory: explainView, filters: false },
  recommend: { title: 'Recommend', factory: recommendView, filters: false },
  graph: { title: 'Service graph', factory: graphView, filters: true },
};

function parseHash(): { view: string; filters: Filters } {
  const [path = '', search = ''] = location.hash.replace(/^#\/?/, '').split('?');
  return { view: path in VIEWS ? path : 'flows', filters: filtersFromSearch(new URLSearchParams(search)) };
}

function start(): void {
  const app = document.getElementById('app');
  if (!app) return;
  const banner = el('div', { class: 'error-banner', role: 'alert', hidden: true });
  const tokenInput = el('input', { type: 'password', placeholder: 'API token (if required)', value: apiToken() ?? '', autocomplete: 'off', 'aria-label': 'API token' });
  tokenInput.addEventListener('change', () => {
    setApiToken(tokenInput.value);
    render();
  });
  const tabs = el('nav', { class: 'tabs' }, ...Object.entries(VIEWS).map(([id, v]) => el('a', { href: `#/${id}`, 'data-view': id }, v.title)));
  const filterSlot = el('div', { class: 'filter-slot' });
  const main = el('main', { id: 'view' });
  const completeness = completenessBanner();
  replaceChildren(app, el('header', {}, el('h1', {}, 'segflow'), tabs, tokenInput), filterSlot, banner, completeness.element, main);

  let mounted: MountedView | undefined;
  let current = parseHash();
  let bar = filterBar(current.filters, (f) => navigate(current.view, f));

  const showError = (error: unknown): void => {
    if (error === null || error === undefined) {
      banner.hidden = true;
      return;
    }
    banner.hidden = false;
    if (error instanceof ApiRequestError && error.status === 401) banner.textContent = `The API wants a token: enter it at the top right. (${error.message})`;
    else if (error instanceof ApiRequestError) banner.textContent = `${error.message}${error.code ? ` [${error.code}]` : ''}`;
    else banner.textContent = String((error as Error)?.message ?? error);
  };

  function navigate(view: string, filters: Filters): void {
    const search = filtersToSearch(filters).toString();
    const hash = `#/${view}${search ? `?${search}` : ''}`;
    if (location.hash === hash) render();
    else location.hash = hash;
  }

  function render(): void {
    mounted?.dispose();
    const previous = current;
    current = parseHash();
    const view = VIEWS[current.view] ?? VIEWS.flows!;
    for (const a of tabs.querySelectorAll('a')) a.classList.toggle('active', a.dataset.view === current.view);
    if (filtersToSearch(previous.filters).toString() !== filtersToSearch(current.filters).toString() || !filterSlot.firstChild) {
      bar = filterBar(current.filters, (f) => navigate(current.view, f));
    }
    replaceChildren(filterSlot, view.filters ? bar.element : null);
    showError(null);
    completeness.show(undefined);
    document.title = `segflow · ${view.title}`;
    mounted = view.factory(main, {
      filters: current.filters,
      setFilters: (f) => navigate(current.view, f),
      showError,
      showCompleteness: (c) => completeness.show(c),
      suggest: (field, values) => bar.suggest(field, values),
    });
  }

  window.addEventListener('hashchange', render);
  render();
}

start();
