package dev.stockroom.platform;

import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/** Runs a {@link Shed} endpoint inside the write bulkhead; outside it, the request is answered 503 at once. */
@Shed
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE)
public class SheddingInterceptor {

    private final WriteBulkhead bulkhead;

    SheddingInterceptor(WriteBulkhead bulkhead) {
        this.bulkhead = bulkhead;
    }

    @AroundInvoke
    Object guard(InvocationContext invocation) throws Exception {
        bulkhead.enter();
        try {
            return invocation.proceed();
        } finally {
            bulkhead.leave();
        }
    }
}
