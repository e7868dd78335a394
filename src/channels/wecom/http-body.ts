/** Reading platform bodies with a byte cap, so a large media file is refused without buffering it. */

export type MediaResult = { tooLarge: true; declaredSize: number | null } | { tooLarge: false; bytes: Buffer };

export async function readCapped(res: Response, maxBytes: number): Promise<MediaResult> {
  const declared = Number(res.headers.get('content-length'));
  const declaredSize = Number.isFinite(declared) && declared > 0 ? declared : null;
  if (declaredSize !== null && declaredSize > maxBytes) {
    await res.body?.cancel();
    return { tooLarge: true, declaredSize };
  }
  if (!res.body) return { tooLarge: false, bytes: Buffer.alloc(0) };
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return { tooLarge: true, declaredSize };
    }
    chunks.push(Buffer.from(value));
  }
  return { tooLarge: false, bytes: Buffer.concat(chunks) };
}
