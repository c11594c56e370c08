/**
 * tsx compiles with esbuild's `keepNames`: every class gets its `name` redefined after its declaration, which leaves
 * the class's constructor in V8's slow "dictionary" mode, where `x instanceof C` (and `C.staticMember`) costs several
 * times more; the interpreter runs such checks on every value it touches. V8 makes a class fast again when another
 * class extends it, which this does (with a throwaway subclass) for the classes of the runtime's hot paths.
 */
export function fastClasses(...classes: (abstract new (...args: never[]) => unknown)[]): void {
  for (const c of classes) void class extends (c as new () => object) {};
}
