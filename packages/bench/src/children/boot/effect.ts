/**
 * Row 4, reference: the same graph as plain Effect 3 layers — no `Lifecycle`, no Strata
 * defaults, no logging — built by Effect's own builder (`Layer.buildWithScope`).
 */
import * as Layer from "effect/Layer"
import { bootPlain } from "./layers.js"

/** @internal */
export const boot = bootPlain(Layer.buildWithScope)
