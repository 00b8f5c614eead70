/**
 * Row 4, extra reference: an awilix container with 1,000 singleton factories (PROXY
 * injection), every service resolved and started, then the container disposed.
 */
import { asFunction, createContainer } from "awilix"
import { type BootResult, dependenciesOf, finish, type Shape, Service, startOrder } from "./graph.js"

/** @internal */
export const boot = async (shape: Shape, n: number): Promise<BootResult> => {
  const started = performance.now()
  const container = createContainer<Record<string, Service>>({ injectionMode: "PROXY", strict: true })
  for (let i = 0; i < n; i++) {
    const dependencies = dependenciesOf(shape, i, n)
    container.register(
      `service${i}`,
      asFunction((cradle: Record<string, Service>) => new Service(i, dependencies.map((j) => cradle[`service${j}`]!)))
        .singleton()
        .disposer((service) => service.stop())
    )
  }
  // Dependencies first: the same start order the others derive from the graph.
  for (const i of startOrder(shape, n)) container.resolve<Service>(`service${i}`).start()
  return finish(started, n, (i) => container.resolve<Service>(`service${i}`).running, () => container.dispose())
}
