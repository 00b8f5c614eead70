/**
 * Row 4, extra reference: an inversify container with 1,000 singleton bindings
 * (`toResolvedValue` with their dependencies), every service resolved and started, then
 * unbound (deactivation stops them).
 */
import { Container } from "inversify"
import { type BootResult, dependenciesOf, finish, type Shape, Service, startOrder } from "./graph.js"

/** @internal */
export const boot = async (shape: Shape, n: number): Promise<BootResult> => {
  const started = performance.now()
  const container = new Container({ defaultScope: "Singleton" })
  for (let i = 0; i < n; i++) {
    container
      .bind<Service>(`service${i}`)
      .toResolvedValue(
        (...dependencies: Array<Service>) => new Service(i, dependencies),
        dependenciesOf(shape, i, n).map((j) => `service${j}`)
      )
      .onDeactivation((service) => service.stop())
  }
  for (const i of startOrder(shape, n)) container.get<Service>(`service${i}`).start()
  return finish(started, n, (i) => container.get<Service>(`service${i}`).running, () => container.unbindAllAsync())
}
