/** How the conntrack source reads the kernel: its own netlink reader (binary records) or the `conntrack` tool (text). */
export type ConntrackReaderKind = 'netlink' | 'cli';
export const CONNTRACK_READER_KINDS: readonly ConntrackReaderKind[] = ['netlink', 'cli'];
