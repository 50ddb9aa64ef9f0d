package dev.drawbridge.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drawbridge.console.api.Api;
import dev.drawbridge.console.api.ApiException;
import dev.drawbridge.console.api.Json;
import dev.drawbridge.model.api.Problem;

import java.lang.reflect.Type;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An {@link Api} answering canned JSON (or a failure: the last one set wins) per "METHOD path"; anything else is a 404 problem. Records the calls. */
public final class FakeApi implements Api {
    private final ObjectMapper json = Json.mapper();
    private final Map<String, Object> answers = new LinkedHashMap<>();
    private final Map<String, ApiException> failures = new LinkedHashMap<>();
    public final List<String> calls = new ArrayList<>();
    public final List<Object> bodies = new ArrayList<>();

    public FakeApi answer(String methodAndPath, Object body) {
        answers.put(methodAndPath, body);
        failures.remove(methodAndPath);
        return this;
    }

    public FakeApi fail(String methodAndPath, int status, String type, String detail, Problem.FieldError... errors) {
        answers.remove(methodAndPath);
        failures.put(methodAndPath, new ApiException(status, new Problem(type, "Problem", status, detail, List.of(errors)),
                methodAndPath.substring(methodAndPath.indexOf(' ') + 1), detail, null));
        return this;
    }

    @Override
    public <T> T call(String method, String path, Object body, Type type) throws ApiException {
        String key = method + " " + path;
        calls.add(key);
        bodies.add(body);
        Object a = answer(key, path);
        return a == null ? null : json.convertValue(a, json.constructType(type));
    }

    @Override
    public Binary exchange(String method, String path, String contentType, byte[] body) throws ApiException {
        String key = method + " " + path;
        calls.add(key + (contentType == null ? "" : " (" + contentType + ")"));
        bodies.add(body);
        return answer(key, path) instanceof Binary b ? b : new Binary("application/json", new byte[0]);
    }

    /** The failure set for {@code key}, else its answer, else 404. */
    private Object answer(String key, String path) throws ApiException {
        if (failures.containsKey(key)) {
            throw failures.get(key);
        }
        if (!answers.containsKey(key)) {
            throw new ApiException(404, new Problem("about:blank", "Not found", 404, "no such resource", List.of()), path,
                    "Not found", null);
        }
        return answers.get(key);
    }

    @Override
    public URI server() {
        return URI.create("https://admin.example.test");
    }
}
