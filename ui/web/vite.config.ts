import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The app imports ../../machines (pure xstate + zod), so the UI offers only what the engine accepts.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
