// A small pool of worker threads that render Markdown, each render with a time
// budget. Why our own pool rather than piscina: docs/decisions/010.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import {
  WORKER_ROLE,
  type RenderFailure,
  type RenderRequest,
  type RendererWorkerData,
  type WorkerMessage,
} from "./markdown-render.server";

/** Why a render was not done by a worker in time. */
export type PoolFailure = RenderFailure | "timeout" | "queue-timeout" | "unavailable" | "closed";
export type PoolOutcome = { html: string } | { failure: PoolFailure; message: string };

export type PoolOptions = {
  /** The worker script (a file URL or absolute path). */
  script: URL | string;
  /** How many workers at most. */
  size: number;
  /**
   * Read for every render: how long it may run in a worker before the worker
   * is replaced, and how long it may wait for a free one (a worker's start included).
   */
  limits: () => { budgetMs: number; queueTimeoutMs: number };
  /** Heap limit of each worker: a render that needs more ends its worker, not the process. */
  maxHeapMb: number;
  /** Told once when a worker cannot start (renders then fall back for a while). */
  onBroken: (message: string) => void;
};

type Task = {
  id: number;
  source: string;
  budgetMs: number;
  resolve: (outcome: PoolOutcome) => void;
  queueTimer?: NodeJS.Timeout;
};

type Slot = {
  worker: Worker;
  /** Our end of the worker's channel: requests go out, answers come back. */
  port: MessagePort;
  ready: boolean;
  task?: Task;
  budgetTimer?: NodeJS.Timeout;
  bootTimer?: NodeJS.Timeout;
  /** The worker's CPU time (ms) when it last became idle: the start of the next render's budget. */
  idleCpu?: Promise<number | null>;
};

/** After a worker failed to start, renders fall back at once for this long. */
const BROKEN_PAUSE_MS = 10_000;
const BOOT_TIMEOUT_MS = 10_000;
/** However starved of CPU, a render holds its worker at most this many budgets of wall time. */
export const WALL_CAP = 4;

/** A worker thread's CPU time so far (ms), or null once it has stopped. */
const cpuMs = (worker: Worker): Promise<number | null> =>
  worker.cpuUsage().then(
    (usage) => (usage.user + usage.system) / 1000,
    () => null,
  );

const CLOSED: PoolOutcome = { failure: "closed", message: "the renderer was shut down" };

/**
 * Runs renders in at most `size` workers, one render per worker at a time.
 * The budget counts the CPU time a worker spends on the text (at most
 * WALL_CAP budgets of wall time); a worker that overruns it is terminated (V8
 * stops it mid-loop) and replaced. Idle workers are unref'd, so the pool never
 * keeps a process alive on its own.
 *
 * Every timer first takes any answer already waiting on the workers' ports
 * (`receiveMessageOnPort`): timers run before message events in an event-loop
 * turn, so after this thread was busy elsewhere, a render that finished in
 * time is not mistaken for one that overran.
 */
export class RenderWorkerPool {
  readonly #options: PoolOptions;
  readonly #slots = new Set<Slot>();
  readonly #queue: Task[] = [];
  #nextId = 1;
  #brokenUntil = 0;
  #closed = false;
  #readyWaiters: ((ready: boolean) => void)[] = [];

  constructor(options: PoolOptions) {
    this.#options = options;
  }

  /** Renders `source` in a worker; never rejects. */
  run(source: string): Promise<PoolOutcome> {
    if (this.#closed) return Promise.resolve(CLOSED);
    if (Date.now() < this.#brokenUntil) {
      return Promise.resolve({ failure: "unavailable", message: "the Markdown workers could not start" });
    }
    const { budgetMs, queueTimeoutMs } = this.#options.limits();
    return new Promise<PoolOutcome>((resolve) => {
      const task: Task = { id: this.#nextId++, source, budgetMs, resolve };
      const queuedAt = Date.now();
      const giveUp = () => {
        for (const slot of [...this.#slots]) this.#drain(slot);
        const at = this.#queue.indexOf(task);
        if (at < 0) return; // a worker took it meanwhile
        // While no worker is ready at all (the pool is starting, or every
        // worker was just replaced), wait for one to start, up to the start timeout.
        const starting = ![...this.#slots].some((slot) => slot.ready);
        const waited = Date.now() - queuedAt;
        if (starting && waited < BOOT_TIMEOUT_MS) {
          task.queueTimer = setTimeout(giveUp, Math.min(queueTimeoutMs, BOOT_TIMEOUT_MS - waited));
          return;
        }
        this.#queue.splice(at, 1);
        resolve({ failure: "queue-timeout", message: `no worker free within ${waited} ms` });
      };
      task.queueTimer = setTimeout(giveUp, queueTimeoutMs);
      this.#queue.push(task);
      this.#pump();
    });
  }

  /** Starts the workers if need be; true once all are ready, false if they cannot start. */
  whenReady(): Promise<boolean> {
    this.#pump();
    if (this.#closed || Date.now() < this.#brokenUntil) return Promise.resolve(false);
    if (this.#allReady()) return Promise.resolve(true);
    return new Promise((resolve) => {
      // Also what keeps the process alive meanwhile: starting workers do not.
      const timer = setTimeout(() => settle(false), BOOT_TIMEOUT_MS);
      const settle = (ready: boolean) => {
        clearTimeout(timer);
        this.#readyWaiters = this.#readyWaiters.filter((waiter) => waiter !== settle);
        resolve(ready);
      };
      this.#readyWaiters.push(settle);
    });
  }

  #allReady() {
    return this.#slots.size === this.#options.size && [...this.#slots].every((slot) => slot.ready);
  }

  #tellWaiters(ready: boolean) {
    for (const resolve of this.#readyWaiters.splice(0)) resolve(ready);
  }

  /** Terminates every worker; renders in flight or waiting fall back. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#tellWaiters(false);
    for (const task of this.#queue.splice(0)) {
      clearTimeout(task.queueTimer);
      task.resolve(CLOSED);
    }
    await Promise.all([...this.#slots].map((slot) => this.#discard(slot, CLOSED)));
  }

  #pump() {
    if (this.#closed || Date.now() < this.#brokenUntil) return;
    // Start every worker at first use: when a render overruns and its worker
    // is ended, the others are ready for the next text.
    while (this.#slots.size < this.#options.size) this.#spawn();
    while (this.#queue.length) {
      const slot = [...this.#slots].find((s) => s.ready && !s.task);
      if (!slot) return;
      this.#assign(slot, this.#queue.shift()!);
    }
  }

  #assign(slot: Slot, task: Task) {
    clearTimeout(task.queueTimer);
    slot.task = task;
    // A render in flight keeps the process alive until it is answered.
    slot.port.ref();
    slot.port.postMessage({ id: task.id, source: task.source } satisfies RenderRequest);
    const startedAt = performance.now();
    const baseline = slot.idleCpu ?? Promise.resolve(null);
    // The budget is the worker's CPU time: on a crowded machine a text that
    // waits for a CPU is not an expensive text. Wall time is capped too.
    const check = async () => {
      this.#drain(slot);
      if (slot.task !== task) return; // it was answered in time
      const wall = performance.now() - startedAt;
      let used = wall;
      if (wall < task.budgetMs * WALL_CAP) {
        const [before, now] = await Promise.all([baseline, cpuMs(slot.worker)]);
        if (slot.task !== task) return;
        if (before !== null && now !== null) used = now - before;
      }
      if (used >= task.budgetMs) {
        void this.#discard(slot, { failure: "timeout", message: `over the ${task.budgetMs} ms budget` });
      } else {
        slot.budgetTimer = setTimeout(() => void check(), Math.max(10, task.budgetMs - used));
      }
    };
    slot.budgetTimer = setTimeout(() => void check(), task.budgetMs);
  }

  #spawn() {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(this.#options.script, {
      workerData: { role: WORKER_ROLE, port: port2 } satisfies RendererWorkerData,
      transferList: [port2],
      resourceLimits: { maxOldGenerationSizeMb: this.#options.maxHeapMb },
      // Not the parent's flags: loaders such as tsx's, or --input-type, are
      // not for this file, which Node runs by stripping its types.
      execArgv: [],
    });
    const slot: Slot = { worker, port: port1, ready: false };
    this.#slots.add(slot);
    slot.bootTimer = setTimeout(() => {
      this.#drain(slot);
      if (!slot.ready) this.#broken(slot, `a worker did not start within ${BOOT_TIMEOUT_MS / 1000} s`);
    }, BOOT_TIMEOUT_MS);
    slot.bootTimer.unref();

    port1.on("message", (message: WorkerMessage) => this.#answer(slot, message));
    // Neither the worker nor an idle port keeps the process alive; a waiting
    // render's timer and a busy port do. (Listening refs a port: unref after.)
    worker.unref();
    port1.unref();
    worker.on("error", (error) => {
      if (!this.#slots.has(slot)) return;
      const message = `${error.name}: ${error.message}`;
      if (!slot.ready) this.#broken(slot, message);
      else void this.#discard(slot, { failure: "error", message });
    });
    worker.on("exit", (code) => {
      if (!this.#slots.has(slot)) return;
      if (!slot.ready) this.#broken(slot, `a worker exited with code ${code} while starting`);
      else void this.#discard(slot, { failure: "error", message: `the worker exited with code ${code}` });
    });
  }

  /** Handles what a worker said: that it is ready, or the answer to its render. */
  #answer(slot: Slot, message: WorkerMessage) {
    if (!this.#slots.has(slot)) return;
    if ("ready" in message) {
      clearTimeout(slot.bootTimer);
      slot.ready = true;
      slot.idleCpu = cpuMs(slot.worker);
      if (this.#allReady()) this.#tellWaiters(true);
    } else if (slot.task && message.id === slot.task.id) {
      const task = slot.task;
      clearTimeout(slot.budgetTimer);
      slot.task = undefined;
      slot.port.unref();
      slot.idleCpu = cpuMs(slot.worker);
      task.resolve("html" in message ? { html: message.html } : { failure: message.failure, message: message.message });
    }
    this.#pump();
  }

  /** Takes the messages already waiting on a worker's port, now. */
  #drain(slot: Slot) {
    for (let received = receiveMessageOnPort(slot.port); received; received = receiveMessageOnPort(slot.port)) {
      this.#answer(slot, received.message as WorkerMessage);
      if (!this.#slots.has(slot)) return;
    }
  }

  /** A worker could not start: every waiting render falls back, and new ones do for a while. */
  #broken(slot: Slot, message: string) {
    const alreadyBroken = Date.now() < this.#brokenUntil;
    this.#brokenUntil = Date.now() + BROKEN_PAUSE_MS;
    void this.#discard(slot, { failure: "unavailable", message });
    for (const task of this.#queue.splice(0)) {
      clearTimeout(task.queueTimer);
      task.resolve({ failure: "unavailable", message });
    }
    this.#tellWaiters(false);
    if (!alreadyBroken) this.#options.onBroken(message);
  }

  /** Removes a worker from the pool and terminates it; its render, if any, gets `outcome`. */
  async #discard(slot: Slot, outcome: PoolOutcome): Promise<void> {
    if (!this.#slots.delete(slot)) return;
    clearTimeout(slot.budgetTimer);
    clearTimeout(slot.bootTimer);
    slot.task?.resolve(outcome);
    slot.task = undefined;
    slot.port.close();
    this.#pump();
    await slot.worker.terminate().catch(() => undefined);
  }
}
