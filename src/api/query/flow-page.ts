/**
 * A `/flows` page made from Elasticsearch's answer bytes: each hit's `_id` and `_source` are
 * copied as Elasticsearch wrote them, not parsed and serialised again (see
 * runtime/json/json-extent.ts for why). Only the small parts a page needs as values (point in
 * time id, total, the last hit's sort values) are parsed.
 */
import type { estypes } from '@elastic/elasticsearch';
import { forEachArrayElement, forEachObjectEntry, isEmptyObject, JsonExtentError, parseExtent, skipWhitespace, valueEnd } from '../../runtime/json/json-extent.ts';
import type { SortValue } from './cursor.ts';

/** One hit: its `_id` as a JSON string token and its `_source` as a JSON object, both raw bytes. */
export interface RawFlowHit {
  readonly id: Buffer;
  readonly source: Buffer | undefined;
}

/** What a page needs from a search answer. */
export interface FlowSearchAnswer {
  readonly pitId: string | undefined;
  readonly total: estypes.SearchTotalHits | number | undefined;
  readonly hits: readonly RawFlowHit[];
  /** The sort values of the last hit (the next page's search_after). */
  readonly lastSort: SortValue[] | undefined;
  /** Elasticsearch stopped at the search's timeout: the hits may be incomplete. */
  readonly timedOut: boolean;
  /** Shards that failed (their documents are missing from the hits). */
  readonly failedShards: number;
}

/**
 * Reads a search answer (`pit_id`, `timed_out`, `_shards.failed`, `hits.total`,
 * `hits.hits[]._id/_source/sort`; other keys are skipped). Throws JsonExtentError naming the
 * unexpected part when the answer is not one.
 */
export function readFlowSearchAnswer(answer: Buffer): FlowSearchAnswer {
  let pitId: string | undefined;
  let total: estypes.SearchTotalHits | number | undefined;
  const hits: RawFlowHit[] = [];
  let lastSort: [number, number] | undefined;
  let timedOut = false;
  let failedShards = 0;
  forEachObjectEntry(answer, skipWhitespace(answer, 0), (key, start) => {
    const end = key === 'hits' ? forEachObjectEntry(answer, start, readHits) : valueEnd(answer, start);
    if (key === 'pit_id') {
      const value = parseExtent(answer, start, end);
      if (typeof value !== 'string') throw new JsonExtentError('pit_id is not a string', start);
      pitId = value;
    } else if (key === 'timed_out') timedOut = parseExtent(answer, start, end) === true;
    else if (key === '_shards') failedShards = Number((parseExtent(answer, start, end) as { failed?: unknown }).failed ?? 0);
    return end;
  });
  function readHits(key: string, start: number): number {
    if (key === 'hits') return forEachArrayElement(answer, start, readHit);
    const end = valueEnd(answer, start);
    if (key === 'total') total = parseExtent(answer, start, end) as estypes.SearchTotalHits | number;
    return end;
  }
  function readHit(at: number): number {
    let id: Buffer | undefined;
    let source: Buffer | undefined;
    lastSort = undefined;
    const end = forEachObjectEntry(answer, at, (field, start) => {
      const stop = valueEnd(answer, start);
      if (field === '_id') id = answer[start] === 0x22 ? answer.subarray(start, stop) : undefined;
      else if (field === '_source') {
        if (answer[start] !== 0x7b) throw new JsonExtentError('hits.hits[]._source is not an object', start);
        source = answer.subarray(start, stop);
      } else if (field === 'sort') lastSort = [start, stop];
      return stop;
    });
    if (id === undefined) throw new JsonExtentError('a hit without a string _id', at);
    hits.push({ id, source });
    return end;
  }
  return { pitId, total, hits, lastSort: lastSort === undefined ? undefined : sortValues(answer, lastSort[0], lastSort[1]), timedOut, failedShards };
}

function sortValues(answer: Buffer, start: number, end: number): SortValue[] {
  const value = parseExtent(answer, start, end);
  if (!Array.isArray(value)) throw new JsonExtentError('a hit\'s sort is not an array', start);
  return value as SortValue[];
}

const FIRST_HIT = Buffer.from('{"flows":[{"id":');
const NEXT_HIT = Buffer.from(',{"id":');
const NO_HITS = Buffer.from('{"flows":[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from('}');

/**
 * The page `{"flows":[{"id":…, …document}], …rest}` as bytes: each flow is its hit's `_id` as
 * `id` followed by the stored document's fields. The flow field table has no top-level `id`
 * (checkFlowFieldTable), so the key cannot repeat. `rest` holds the page's other members.
 */
export function writeFlowPage(hits: readonly RawFlowHit[], rest: Record<string, unknown>): Buffer {
  const parts: Buffer[] = [];
  if (hits.length === 0) parts.push(NO_HITS);
  hits.forEach((hit, i) => {
    parts.push(i === 0 ? FIRST_HIT : NEXT_HIT, hit.id);
    if (hit.source === undefined || isEmptyObject(hit.source, 0)) parts.push(CLOSE);
    else parts.push(COMMA, hit.source.subarray(skipWhitespace(hit.source, 1)));
  });
  const tail = JSON.stringify(rest);
  parts.push(Buffer.from(tail === '{}' ? ']}' : `],${tail.slice(1)}`));
  return Buffer.concat(parts);
}
