// esbuild bundles imported stylesheets into preview.css; to TypeScript they are side effects only.
declare module '*.css';
