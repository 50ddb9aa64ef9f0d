package dev.drawbridge.adminclient;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Implements a resource interface of {@link AdminApi} from its {@link Operation} annotations, as Retrofit does: each
 * call becomes an {@link OperationRequest} and goes through the {@link Transport}. The annotation that a test ties to
 * the server's route table is thus the very one that makes the request, so the two cannot drift apart.
 */
final class OperationInvoker implements InvocationHandler {
    private final Transport transport;
    private final String label;

    private OperationInvoker(Transport transport, String label) {
        this.transport = transport;
        this.label = label;
    }

    /** {@code type} implemented over {@code transport}. */
    static <T> T implement(Class<T> type, Transport transport, String server) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type},
                new OperationInvoker(transport, "HttpAdminApi." + type.getSimpleName() + "[" + server + "]")));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> label;
            };
        }
        if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        return transport.exchange(OperationRequest.of(method, args), method.getGenericReturnType());
    }
}
