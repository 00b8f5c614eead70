/**
 * Row 4, extra reference: the plain graph of `effect.ts` (no `Lifecycle`, no defaults, no
 * logging) built by Strata's builder (`Strata.buildWithScope`) instead of Effect's: the
 * builder's share of the Strata row, apart from `Lifecycle` and logging.
 */
import { Strata } from "@strata/core"
import { bootPlain } from "./layers.js"

/** @internal */
export const boot = bootPlain(Strata.buildWithScope)
