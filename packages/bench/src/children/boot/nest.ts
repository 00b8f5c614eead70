/**
 * Row 4, reference: a NestJS application context (`NestFactory.createApplicationContext`)
 * whose module has 1,000 factory providers wired by token, each started in `onModuleInit`
 * and stopped in `onModuleDestroy`.
 */
import "reflect-metadata"
import { Module } from "@nestjs/common"
import { NestFactory } from "@nestjs/core"
import { type BootResult, dependenciesOf, finish, type Shape } from "./graph.js"

class NestService {
  running = false
  constructor(readonly id: number, readonly dependencies: ReadonlyArray<NestService>) {}
  onModuleInit(): void {
    this.running = true
  }
  onModuleDestroy(): void {
    this.running = false
  }
}

/** @internal */
export const boot = async (shape: Shape, n: number): Promise<BootResult> => {
  const started = performance.now()
  const providers = Array.from({ length: n }, (_, i) => ({
    provide: `service${i}`,
    useFactory: (...dependencies: Array<NestService>) => new NestService(i, dependencies),
    inject: dependenciesOf(shape, i, n).map((j) => `service${j}`)
  }))
  class AppModule {}
  // What `@Module({ providers })` does, without needing decorator syntax here.
  Module({ providers })(AppModule)
  const app = await NestFactory.createApplicationContext(AppModule, { abortOnError: false })
  return finish(started, n, (i) => app.get<NestService>(`service${i}`).running, () => app.close())
}
