/** Light and dark: the system's choice (prefers-color-scheme) until the person picks one here. */
import { useEffect, useState } from 'react';

type Theme = 'light' | 'dark';

const system = (): Theme => (window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
const saved = (): Theme | undefined => {
  const value = localStorage.getItem('theme');
  return value === 'light' || value === 'dark' ? value : undefined;
};

export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(() => saved() ?? system());
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    const follow = () => {
      if (!saved()) setTheme(system());
    };
    query.addEventListener('change', follow);
    return () => query.removeEventListener('change', follow);
  }, []);
  return (
    <button
      type="button"
      className="theme"
      aria-pressed={theme === 'dark'}
      onClick={() => {
        const next = theme === 'dark' ? 'light' : 'dark';
        // Only the theme is kept in the browser; tokens never are.
        localStorage.setItem('theme', next);
        setTheme(next);
      }}
    >
      Dark theme
    </button>
  );
}
