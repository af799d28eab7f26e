/** Types of scripts/build-cli.js (plain JavaScript so bin/segflow.js can import it untranslated). */
export declare const DIST: string;
/** True when dist/ exists and was built from the sources as they are now. */
export declare function builtCliIsCurrent(): boolean;
/** Compiles src/ to dist/; resolves to the number of sources compiled. */
export declare function buildCli(): Promise<number>;
