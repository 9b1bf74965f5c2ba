// A file streamed to the browser as it is produced (exports, the triage log): chunks pulled one at
// a time, so a slow client holds back the reads instead of filling memory.

/** The response for a download named `<name>-<time>.<extension>`. */
export function downloadResponse(
  chunks: AsyncGenerator<string>,
  { name, contentType, extension }: { name: string; contentType: string; extension: string },
): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
  return new Response(body, {
    headers: {
      'content-type': contentType,
      'content-disposition': `attachment; filename="${name}-${stamp}.${extension}"`,
      'cache-control': 'no-store',
    },
  });
}
