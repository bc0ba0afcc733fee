/** JSON lines of a child process's stdout, awaited by predicate (no sleeps). */
import type { ChildProcess } from 'node:child_process';

export type Line = Record<string, unknown> & { type: string };

export class Lines {
  readonly all: Line[] = [];
  private waiters: Array<{ match: (line: Line) => boolean; resolve: (line: Line) => void }> = [];
  private buffered = '';
  stderr = '';

  constructor(child: ChildProcess) {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.buffered += chunk;
      let nl: number;
      while ((nl = this.buffered.indexOf('\n')) >= 0) {
        const text = this.buffered.slice(0, nl);
        this.buffered = this.buffered.slice(nl + 1);
        if (text.trim() !== '') this.push(JSON.parse(text) as Line);
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
  }

  /** The first line from index `from` on matching `match`, waiting up to `timeoutMs`. */
  next(match: (line: Line) => boolean, from = 0, timeoutMs = 15_000): Promise<Line> {
    const found = this.all.slice(from).find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no matching line within ${timeoutMs} ms; got ${JSON.stringify(this.all)}; stderr: ${this.stderr}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({ match, resolve: (line) => (clearTimeout(timer), resolve(line)) });
    });
  }

  private push(line: Line): void {
    this.all.push(line);
    this.waiters = this.waiters.filter((w) => (w.match(line) ? (w.resolve(line), false) : true));
  }
}
