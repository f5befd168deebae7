/**
 * zod's English messages for zod/mini, the validation the Lambda bundles carry. The full zod API costs a bundle about
 * 455 KB minified (it cannot be tree-shaken); zod/mini, with the same checks and these messages, about 20 KB. The
 * schemas that reach a Lambda (the detection catalog, the handlers' environment) import `* as z from 'zod/mini'` and
 * this module for its side effect; the deployment config (config/, read by synth and the CLI only) keeps full zod.
 * (Re-exporting the `z` namespace from here would make the bundler keep every locale: about 400 KB.)
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());
