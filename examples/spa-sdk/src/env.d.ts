/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Origin of the Beckon server, e.g. `http://localhost:3000`. */
  readonly VITE_BECKON_ENDPOINT?: string;
  /** Public key of the site in Beckon (Dashboard → Install). */
  readonly VITE_BECKON_SITE?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
