// Does nothing but start: the first Windows process of a Wine prefix makes the prefix.
import { scenario } from './record.mjs';

await scenario(async () => undefined);
