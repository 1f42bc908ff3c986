package dev.userpipeline.source;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * An answer's body read into memory up to a limit: a Content-Length over it is refused before a byte is read, and
 * a body that grows past it is cut off there, so that a runaway answer costs the limit and no more.
 */
final class BoundedBody implements HttpResponse.BodyHandler<byte[]> {

    /** The answer is larger than the limit. */
    static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message);
        }
    }

    private final long limit;

    BoundedBody(long limit) {
        this.limit = limit;
    }

    @Override
    public HttpResponse.BodySubscriber<byte[]> apply(HttpResponse.ResponseInfo info) {
        long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1L);
        if (declared > limit) {
            return new Refusing(new TooLarge("an answer of " + describe(declared) + " (its Content-Length), over the limit of "
                    + describe(limit)));
        }
        return new Collecting(limit, declared);
    }

    static String describe(long bytes) {
        return bytes >= (1L << 20) ? String.format(java.util.Locale.ROOT, "%,.1f MiB", bytes / 1048576.0)
                : String.format(java.util.Locale.ROOT, "%,d bytes", bytes);
    }

    /** Cancels at once and fails with the reason. */
    private static final class Refusing implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();

        Refusing(TooLarge reason) {
            result.completeExceptionally(reason);
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.cancel();
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
        }

        @Override
        public void onError(Throwable throwable) {
        }

        @Override
        public void onComplete() {
        }
    }

    /** Collects the body, failing once it passes the limit. */
    private static final class Collecting implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final long limit;
        private final ByteArrayOutputStream bytes;
        private Flow.Subscription subscription;

        Collecting(long limit, long declared) {
            this.limit = limit;
            this.bytes = new ByteArrayOutputStream(declared > 0 ? (int) declared : 64 * 1024);
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                if (bytes.size() + (long) buffer.remaining() > limit) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge("an answer over the limit of " + describe(limit)
                            + " (read up to there, then cut off)"));
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }
}
