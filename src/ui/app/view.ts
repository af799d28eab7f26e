/// <reference lib="dom" />
/** What every view of the UI gets and gives. */
import type { Completeness } from '../../contract/api/completeness.ts';
import type { Filters } from './filters.ts';

/** The page state a view can read and change. */
export interface ViewContext {
  readonly filters: Filters;
  /** Changes the shared filters (updates the URL and re-renders the view). */
  setFilters(next: Filters): void;
  /** Shows an error banner (or hides it with null). */
  showError(error: unknown): void;
  /** Shows how complete the data behind the view's answer is (completeness-banner.ts). */
  showCompleteness(completeness: Completeness | undefined): void;
  /** Offers names seen in results as filter suggestions. */
  suggest(field: 'namespace' | 'source' | 'destination' | 'policy', values: Iterable<string>): void;
}

/** A mounted view; `dispose` stops its timers and pending work. */
export interface MountedView {
  dispose(): void;
}

/** A view: renders into `root`. */
export type ViewFactory = (root: HTMLElement, ctx: ViewContext) => MountedView;
