/**
 * RFC 6902 JSON Patch, the operations kustomize overlays use (`add`, `remove`, `replace`,
 * `test`), applied to a copy of a document. Pure: no I/O.
 */

export interface JsonPatchOperation {
  readonly op: string;
  readonly path: string;
  readonly value?: unknown;
}

type Container = Record<string, unknown> | unknown[];

/** RFC 6901: `/a/b~1c/0` → ['a', 'b/c', '0']. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`path ${JSON.stringify(pointer)} must start with '/'`);
  return pointer.slice(1).split('/').map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function isContainer(v: unknown): v is Container {
  return typeof v === 'object' && v !== null;
}

function arrayIndex(token: string, length: number, allowEnd: boolean): number {
  if (allowEnd && token === '-') return length;
  if (!/^(0|[1-9]\d*)$/.test(token)) throw new Error(`'${token}' is not an array index`);
  const i = Number(token);
  if (i > length || (!allowEnd && i === length)) throw new Error(`index ${i} is out of range (length ${length})`);
  return i;
}

/** The container holding the last token of `tokens`, walking from `doc`. */
function parentOf(doc: unknown, tokens: string[], path: string): Container {
  let node = doc;
  for (const [depth, token] of tokens.slice(0, -1).entries()) {
    const where = `/${tokens.slice(0, depth + 1).join('/')}`;
    if (Array.isArray(node)) node = node[arrayIndex(token, node.length, false)];
    else if (isContainer(node)) {
      if (!Object.hasOwn(node, token)) throw new Error(`${where} does not exist (path ${path})`);
      node = (node as Record<string, unknown>)[token];
    } else throw new Error(`${where} is not an object or array (path ${path})`);
  }
  if (!isContainer(node)) throw new Error(`the parent of ${path} is not an object or array`);
  return node;
}

/**
 * Applies `operations` in order to a deep copy of `doc` and returns it.
 * @throws Error naming the operation (by index) and the path that failed.
 */
export function applyJsonPatch<T>(doc: T, operations: readonly JsonPatchOperation[]): T {
  const result = structuredClone(doc);
  for (const [index, operation] of operations.entries()) {
    try {
      const tokens = parsePointer(operation.path);
      if (tokens.length === 0) throw new Error('patching the whole document is not supported');
      const parent = parentOf(result, tokens, operation.path);
      const last = tokens[tokens.length - 1]!;
      switch (operation.op) {
        case 'add':
          if (!('value' in operation)) throw new Error('add needs a value');
          if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length, true), 0, structuredClone(operation.value));
          else parent[last] = structuredClone(operation.value);
          break;
        case 'replace':
        case 'remove':
        case 'test': {
          if (operation.op !== 'remove' && !('value' in operation)) throw new Error(`${operation.op} needs a value`);
          const i = Array.isArray(parent) ? arrayIndex(last, parent.length, false) : null;
          if (i === null && !Object.hasOwn(parent, last)) throw new Error(`${operation.path} does not exist`);
          if (operation.op === 'test') {
            const current = Array.isArray(parent) ? parent[i!] : (parent as Record<string, unknown>)[last];
            if (JSON.stringify(current) !== JSON.stringify(operation.value)) throw new Error(`${operation.path} is ${JSON.stringify(current)}, not ${JSON.stringify(operation.value)}`);
          } else if (operation.op === 'replace') {
            if (Array.isArray(parent)) parent[i!] = structuredClone(operation.value);
            else parent[last] = structuredClone(operation.value);
          } else if (Array.isArray(parent)) parent.splice(i!, 1);
          else delete parent[last];
          break;
        }
        default:
          throw new Error(`op '${operation.op}' is not supported (add, remove, replace, test)`);
      }
    } catch (err) {
      throw new Error(`operation ${index} (${operation.op} ${operation.path}): ${(err as Error).message}`, { cause: err });
    }
  }
  return result;
}
