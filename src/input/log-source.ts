// A log to diagnose, read either whole (the string path: decodeLog, then engine.diagnose) or
// streamed in fixed blocks through the byte path (engine/byte-path.ts), which keeps memory
// flat in the log's size. Both read the same bytes the same way: gzip is unpacked (streaming
// zlib here), UTF-16 with a BOM is decoded, and the size cap applies to the unpacked log.
import { closeSync, createReadStream, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { createGunzip } from "node:zlib";
import { BailOut, ByteDiagnosis, type ByteScanOptions } from "../engine/byte-path.js";
import type { RuleEngine } from "../engine/engine.js";
import type { DiagnoseResult } from "../engine/types.js";
import { LogTooLargeError, decodeLog, gzipInputError } from "./decode-log.js";
import { isZip, logFromZip } from "./zip-log.js";

const READ_CHUNK = 1024 * 1024;
/** Small gzip chunks: each is a new buffer, and many large ones in flight raise the peak RSS. */
const GZIP_CHUNK = 64 * 1024;
/** A plain log this small is diagnosed on the string path directly (see diagnoseSource). */
export const SMALL_LOG_BYTES = 64 * 1024;
/** stdin beyond this goes to a temporary file, so that memory stays flat and it can be re-read. */
const SPOOL_BYTES = 8 * 1024 * 1024;

type Reader = (buffer: Buffer, offset: number, length: number) => number;
type Sink = { write(chunk: Uint8Array): void; fill?(read: Reader): void };

export class LogSource {
  private constructor(
    private readonly file?: string,
    private readonly buffer?: Buffer,
    private readonly stream?: NodeJS.ReadableStream,
    /** A named pipe, opened only when it is read (so that an error opening it is the reader's). */
    private readonly pipe?: string,
  ) {}

  static fromFile(file: string): LogSource {
    // A pipe (`diagnose <(kubectl logs …)`, `/dev/stdin`) reads once and cannot seek: it is read
    // like stdin. (A missing file is the caller's error to report.)
    let pipe = false;
    try {
      const st = statSync(file);
      pipe = st.isFIFO() || st.isCharacterDevice() || st.isSocket();
    } catch {
      /* reported when the file is read */
    }
    if (!pipe) return new LogSource(file);
    // (stdin by its name may be a socket, which cannot be opened again: read the process's own)
    if (/^\/(?:dev\/stdin|dev\/fd\/0|proc\/self\/fd\/0)$/.test(file)) return LogSource.fromStream(process.stdin);
    return new LogSource(undefined, undefined, undefined, file);
  }

  static fromBuffer(buffer: Buffer): LogSource {
    return new LogSource(undefined, buffer);
  }

  /** stdin: read once, kept in memory when small, in a temporary file when not. */
  static fromStream(stream: NodeJS.ReadableStream): LogSource {
    return new LogSource(undefined, undefined, stream);
  }

  /** The string path's input: the whole decoded log. */
  async text(maxBytes: number): Promise<string> {
    const s = await this.settle(maxBytes);
    try {
      return decodeLog(s.source.buffer ?? readFileSync(s.source.file!), maxBytes);
    } finally {
      s.cleanup();
    }
  }

  /** A file or buffer source: stdin is read once (into memory, or a temporary file when large). */
  async settle(maxBytes = Infinity): Promise<{ source: LogSource; cleanup: () => void }> {
    if (this.pipe) return spool(createReadStream(this.pipe), maxBytes);
    if (!this.stream) return { source: this, cleanup: () => {} };
    return spool(this.stream, maxBytes);
  }

  /** Whether a settled source is a plain (not gzip, not zip) log of at most `limit` bytes. */
  isSmallPlain(limit: number): boolean {
    if (this.stream || this.pipe) return false;
    let size: number;
    try {
      size = this.buffer ? this.buffer.length : statSync(this.file!).size;
    } catch {
      return false; // the reader reports it
    }
    if (size > limit) return false;
    const first = this.buffer ?? readHead(this.file!);
    return !isZip(first) && !(first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b);
  }

  /** Streams the unpacked, UTF-8 log into `sink` in blocks (a settled source only). */
  async pump(sink: Sink, maxBytes: number): Promise<void> {
    if (this.stream || this.pipe) throw new Error("settle() a stream source first");
    await this.pumpSettled(sink, maxBytes);
  }

  private async pumpSettled(sink: Sink, maxBytes: number): Promise<void> {
    const first = this.buffer ?? readHead(this.file!);
    if (isZip(first)) {
      // GitHub Actions' log archive: read whole (its directory is at the end), its failed jobs' logs streamed on.
      const unpacked = new Unpacked(sink, maxBytes, () => new LogTooLargeError(maxBytes + 1, maxBytes));
      unpacked.write(Buffer.from(logFromZip(this.buffer ?? readFileSync(this.file!), maxBytes)));
      unpacked.end();
      return;
    }
    if (first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b) {
      const gunzip = createGunzip({ chunkSize: GZIP_CHUNK });
      const input: Readable = this.file ? createReadStream(this.file, { highWaterMark: GZIP_CHUNK }) : bufferStream(this.buffer!);
      input.on("error", (err) => gunzip.destroy(err));
      input.pipe(gunzip);
      const unpacked = new Unpacked(sink, maxBytes, () => new LogTooLargeError(maxBytes + 1, maxBytes));
      try {
        for await (const chunk of gunzip) unpacked.write(chunk as Buffer);
      } catch (err) {
        // zlib's own errors (Z_BUF_ERROR, Z_DATA_ERROR) mean a damaged file; the cap's and the sink's pass through.
        if ((err as NodeJS.ErrnoException).code?.startsWith("Z_")) throw gzipInputError(err);
        throw err;
      }
      unpacked.end();
      return;
    }
    const size = this.buffer ? this.buffer.length : statSync(this.file!).size;
    if (size > maxBytes) throw new LogTooLargeError(size, maxBytes);
    if (this.file && sink.fill && !(first[0] === 0xff && first[1] === 0xfe)) {
      // A plain UTF-8 file: read straight into the sink's blocks.
      readInto(this.file, sink.fill.bind(sink));
      return;
    }
    const unpacked = new Unpacked(sink, maxBytes, () => new LogTooLargeError(size, maxBytes));
    if (this.buffer) unpacked.write(this.buffer);
    else readBlocks(this.file!, (chunk) => unpacked.write(chunk));
    unpacked.end();
  }
}

/** After unpacking: the size cap, then UTF-16 (BOM FF FE) to UTF-8, as decodeLog does. */
class Unpacked {
  private size = 0;
  private head: Buffer | undefined = Buffer.alloc(0);
  private utf16?: StringDecoder;

  constructor(
    private readonly sink: Sink,
    private readonly maxBytes: number,
    private readonly tooLarge: () => Error,
  ) {}

  write(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) throw this.tooLarge();
    if (this.head) {
      // The first two bytes decide the encoding.
      const head = Buffer.concat([this.head, chunk]);
      if (head.length < 2) {
        this.head = head;
        return;
      }
      this.head = undefined;
      if (head[0] === 0xff && head[1] === 0xfe) {
        this.utf16 = new StringDecoder("utf16le");
        this.emit(head.subarray(2));
      } else this.emit(head);
      return;
    }
    this.emit(chunk);
  }

  end(): void {
    if (this.head) this.sink.write(this.head);
    if (this.utf16) this.text(this.utf16.end());
  }

  private emit(chunk: Buffer): void {
    if (this.utf16) this.text(this.utf16.write(chunk));
    else this.sink.write(chunk);
  }

  private text(s: string): void {
    // A lone surrogate survives the string path but not a trip through UTF-8.
    if (/[\ud800-\udfff]/.test(s) && !(s as string & { isWellFormed(): boolean }).isWellFormed()) throw new BailOut("UTF-16 log with lone surrogates");
    if (s) this.sink.write(Buffer.from(s, "utf8"));
  }
}

function readHead(file: string): Buffer {
  const fd = openSync(file, "r");
  try {
    const head = Buffer.alloc(4);
    return head.subarray(0, readSync(fd, head, 0, 4, 0));
  } finally {
    closeSync(fd);
  }
}

/** Reads a file in fixed blocks into one reused buffer (the sink copies what it keeps). */
function readBlocks(file: string, onChunk: (chunk: Buffer) => void): void {
  const fd = openSync(file, "r");
  try {
    const buf = Buffer.allocUnsafe(READ_CHUNK);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      onChunk(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
}

function readInto(file: string, fill: (read: Reader) => void): void {
  const fd = openSync(file, "r");
  try {
    fill((buffer, offset, length) => readSync(fd, buffer, offset, length, null));
  } finally {
    closeSync(fd);
  }
}

async function* chunksOf(buffer: Buffer): AsyncGenerator<Buffer> {
  for (let i = 0; i < buffer.length; i += READ_CHUNK) yield buffer.subarray(i, i + READ_CHUNK);
}

function bufferStream(buffer: Buffer): Readable {
  return Readable.from(chunksOf(buffer));
}

/**
 * Reads a stream once. More than the cap (plus what gzip may add to data it cannot shrink) is
 * refused as it arrives: the cap applies to the unpacked log, which is never smaller.
 */
async function spool(stream: NodeJS.ReadableStream, maxBytes: number): Promise<{ source: LogSource; cleanup: () => void }> {
  const limit = maxBytes + maxBytes / 1000 + 64 * 1024;
  const chunks: Buffer[] = [];
  let size = 0;
  let fd: number | undefined;
  let dir: string | undefined;
  try {
    for await (const c of stream) {
      const chunk = typeof c === "string" ? Buffer.from(c) : (c as Buffer);
      size += chunk.length;
      if (size > limit) throw new LogTooLargeError(size, maxBytes);
      if (fd === undefined) {
        chunks.push(chunk);
        if (size > SPOOL_BYTES) {
          dir = mkdtempSync(join(tmpdir(), "buildx-fix-stdin-"));
          fd = openSync(join(dir, "log"), "w", 0o600);
          for (const b of chunks.splice(0)) writeSync(fd, b);
        }
      } else writeSync(fd, chunk);
    }
  } catch (err) {
    if (dir) rmSync(dir, { recursive: true, force: true });
    throw err;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (!dir) return { source: LogSource.fromBuffer(Buffer.concat(chunks)), cleanup: () => {} };
  const d = dir;
  return { source: LogSource.fromFile(join(d, "log")), cleanup: () => rmSync(d, { recursive: true, force: true }) };
}

export interface DiagnoseSourceOptions extends ByteScanOptions {
  maxBytes: number;
  /** Told why the byte path gave the log to the string path (tests, the bench). */
  onBailOut?: (reason: string) => void;
}

/**
 * `buildx-fix diagnose`: the byte path, or the string path on the whole log when the byte
 * path cannot be sure of giving the same answer (see BailOut).
 */
export async function diagnoseSource(engine: RuleEngine, source: LogSource, opts: DiagnoseSourceOptions): Promise<DiagnoseResult> {
  const { source: settled, cleanup } = await source.settle(opts.maxBytes);
  try {
    // A chat-sized log goes to the string path at once: the same answer (the byte path is built to agree with
    // it), without building the byte path's plan and automaton, which only a large log repays. (Callers that
    // watch the byte path, the tests and the bench with their hooks or block sizes, always get it.)
    const watched = opts.onBailOut !== undefined || opts.onReduced !== undefined || opts.blockSize !== undefined;
    if (!watched && settled.isSmallPlain(SMALL_LOG_BYTES)) return engine.diagnose(await settled.text(opts.maxBytes), { lang: opts.lang });
    const pass = new ByteDiagnosis(engine, opts);
    await settled.pump(pass, opts.maxBytes);
    return pass.finish();
  } catch (err) {
    if (!(err instanceof BailOut)) throw err;
    opts.onBailOut?.(err.message);
    return engine.diagnose(await settled.text(opts.maxBytes), { lang: opts.lang });
  } finally {
    cleanup();
  }
}
