#!/usr/bin/env node
// The `okta-lake` command. The project runs its TypeScript sources directly through tsx (no build step).
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
