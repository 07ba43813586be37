// A small pool of worker threads that render Markdown, each render with a time
// budget. Why our own pool rather than piscina: docs/decisions/010.
import { Worker } from "node:worker_threads";
import {
  WORKER_ROLE,
  type RenderFailure,
  type RenderOutcome,
  type RenderRequest,
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
  ready: boolean;
  task?: Task;
  budgetTimer?: NodeJS.Timeout;
  bootTimer?: NodeJS.Timeout;
};

/** After a worker failed to start, renders fall back at once for this long. */
const BROKEN_PAUSE_MS = 10_000;

/**
 * Runs renders in at most `size` workers, one render per worker at a time.
 * The budget clock starts when a worker receives the text; a worker that
 * overruns it is terminated (V8 stops it mid-loop) and replaced. Idle workers
 * are unref'd, so the pool never keeps a process alive on its own.
 */
export class RenderWorkerPool {
  readonly #options: PoolOptions;
  readonly #slots = new Set<Slot>();
  readonly #queue: Task[] = [];
  #nextId = 1;
  #brokenUntil = 0;
  #closed = false;

  constructor(options: PoolOptions) {
    this.#options = options;
  }

  /** Renders `source` in a worker; never rejects. */
  run(source: string): Promise<PoolOutcome> {
    if (this.#closed) return Promise.resolve({ failure: "closed", message: "the renderer was shut down" });
    if (Date.now() < this.#brokenUntil) {
      return Promise.resolve({ failure: "unavailable", message: "the Markdown workers could not start" });
    }
    const { budgetMs, queueTimeoutMs } = this.#options.limits();
    return new Promise<PoolOutcome>((resolve) => {
      const task: Task = { id: this.#nextId++, source, budgetMs, resolve };
      task.queueTimer = setTimeout(() => {
        const at = this.#queue.indexOf(task);
        if (at < 0) return;
        this.#queue.splice(at, 1);
        resolve({ failure: "queue-timeout", message: `no worker free within ${queueTimeoutMs} ms` });
      }, queueTimeoutMs);
      this.#queue.push(task);
      this.#pump();
    });
  }

  /** Workers alive now (starting, idle or busy). */
  get size(): number {
    return this.#slots.size;
  }

  /** Terminates every worker; renders in flight or waiting fall back. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const task of this.#queue.splice(0)) {
      clearTimeout(task.queueTimer);
      task.resolve({ failure: "closed", message: "the renderer was shut down" });
    }
    const exits = [...this.#slots].map((slot) => this.#discard(slot, { failure: "closed", message: "the renderer was shut down" }));
    await Promise.all(exits);
  }

  #pump() {
    // Start every worker at first use: when a render overruns and its worker
    // is ended, the others are ready for the next text.
    if (this.#closed || Date.now() < this.#brokenUntil) return;
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
    slot.worker.ref();
    slot.worker.postMessage({ id: task.id, source: task.source } satisfies RenderRequest);
    slot.budgetTimer = setTimeout(() => {
      const message = `over the ${task.budgetMs} ms budget`;
      void this.#discard(slot, { failure: "timeout", message });
    }, task.budgetMs);
  }

  #spawn() {
    const worker = new Worker(this.#options.script, {
      workerData: { role: WORKER_ROLE },
      resourceLimits: { maxOldGenerationSizeMb: this.#options.maxHeapMb },
      // Not the parent's flags: loaders such as tsx's, or --input-type, are
      // not for this file, which Node runs by stripping its types.
      execArgv: [],
    });
    // Only a worker with a render keeps the process alive (a waiting render's
    // timer does too): a script that is done exits.
    worker.unref();
    const slot: Slot = { worker, ready: false };
    this.#slots.add(slot);
    slot.bootTimer = setTimeout(() => this.#broken(slot, "a worker did not start within 10 s"), 10_000);
    slot.bootTimer.unref();

    worker.on("message", (message: WorkerMessage) => {
      if (!this.#slots.has(slot)) return;
      if ("ready" in message) {
        clearTimeout(slot.bootTimer);
        slot.ready = true;
      } else if (slot.task && message.id === slot.task.id) {
        const task = slot.task;
        clearTimeout(slot.budgetTimer);
        slot.task = undefined;
        task.resolve(toPoolOutcome(message));
      }
      if (!slot.task) slot.worker.unref();
      this.#pump();
    });
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

  /** A worker could not start: every waiting render falls back, and new ones do for a while. */
  #broken(slot: Slot, message: string) {
    const alreadyBroken = Date.now() < this.#brokenUntil;
    this.#brokenUntil = Date.now() + BROKEN_PAUSE_MS;
    void this.#discard(slot, { failure: "unavailable", message });
    for (const task of this.#queue.splice(0)) {
      clearTimeout(task.queueTimer);
      task.resolve({ failure: "unavailable", message });
    }
    if (!alreadyBroken) this.#options.onBroken(message);
  }

  /** Removes a worker from the pool and terminates it; its render, if any, gets `outcome`. */
  async #discard(slot: Slot, outcome: PoolOutcome): Promise<void> {
    if (!this.#slots.delete(slot)) return;
    clearTimeout(slot.budgetTimer);
    clearTimeout(slot.bootTimer);
    slot.task?.resolve(outcome);
    slot.task = undefined;
    this.#pump();
    await slot.worker.terminate().catch(() => undefined);
  }
}

function toPoolOutcome(message: { id: number } & RenderOutcome): PoolOutcome {
  return "html" in message ? { html: message.html } : { failure: message.failure, message: message.message };
}
