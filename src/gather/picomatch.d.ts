// picomatch ships no types and @types/picomatch is not installed; this is the part gather uses.
declare module 'picomatch' {
  interface PicomatchOptions {
    dot?: boolean;
    /** Patterns without a slash match the basename at any depth. */
    basename?: boolean;
    nocase?: boolean;
  }
  type Matcher = (path: string) => boolean;
  function picomatch(glob: string | readonly string[], options?: PicomatchOptions): Matcher;
  export default picomatch;
}
