/**
 * Header-name rules: a name or a glob with `*` (any characters), matched
 * case-insensitively against the whole name, e.g. `authorization`, `*token*`.
 */
export function compileNameGlob(glob: string): RegExp {
  const escaped = glob
    .trim()
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`, 'i');
}

/** A glob is a non-empty name of header characters and `*`. */
export const isNameGlob = (glob: string): boolean => /^[A-Za-z0-9_.*:-]+$/.test(glob.trim());
