import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// The desktop shell serves dist/ over its own protocol; the dev server is only for
// `npx tauri dev`. No remote content: everything is bundled.
export default defineConfig({
  plugins: [react()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    target: "safari16",
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    assetsInlineLimit: 0,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts", "src/**/*.test.tsx", "scripts/**/*.test.ts"],
  },
});
