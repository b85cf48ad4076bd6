/** Collects log lines and hands them on in batches: by count, or after a short delay. */
export class LogBatcher {
  private lines: string[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly deliver: (lines: string[]) => void,
    private readonly maxLines = 200,
    private readonly maxDelayMs = 100,
  ) {}

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length >= this.maxLines) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.maxDelayMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.lines.length === 0) return;
    const batch = this.lines;
    this.lines = [];
    this.deliver(batch);
  }
}
