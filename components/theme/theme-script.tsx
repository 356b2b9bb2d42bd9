/**
 * Sets `data-theme` on <html> before the first paint, from the saved choice
 * or the system preference, so a dark-mode user never sees a white flash.
 */
const script = `(() => {
  try {
    const saved = localStorage.getItem('signalbox-theme');
    const dark = saved ? saved === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  } catch {}
})();`;

export function ThemeScript() {
  return <script dangerouslySetInnerHTML={{ __html: script }} />;
}
