// The page (ApiKeysPage) is not here: App loads it lazily from ./page.ts, so importing this face never brings it in.
import './api-keys.css';
