// Reported as the instrumentation scope version. Kept in a module instead of
// reading package.json at run time so the build has no JSON import and no
// file-system access; keep it equal to "version" in package.json.
export const VERSION = '0.1.0';
