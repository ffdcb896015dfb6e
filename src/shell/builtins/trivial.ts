// `:`, `true`, `false`: do nothing, with a status.

import { defineBuiltin } from "./define.ts";

export const colon = defineBuiltin({ name: ":", special: true, flags: null, run: () => 0 });
export const trueBuiltin = defineBuiltin({ name: "true", flags: null, run: () => 0 });
export const falseBuiltin = defineBuiltin({ name: "false", flags: null, run: () => 1 });
