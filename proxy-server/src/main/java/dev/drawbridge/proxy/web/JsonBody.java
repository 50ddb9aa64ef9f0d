package dev.drawbridge.proxy.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Reads a bounded JSON request body into a record, with errors that name the offending field. */
public final class JsonBody {
    public static final int MAX_BYTES = 1024 * 1024;

    private JsonBody() {
    }

    public static <T> T read(Request request, Class<T> type) throws ValidationException, IOException {
        String ct = request.getHeaders().get("Content-Type");
        if (ct == null || !ct.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new ValidationException("body", "send the body as JSON with Content-Type: application/json");
        }
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
            body = in.readNBytes(MAX_BYTES + 1);
        }
        if (body.length > MAX_BYTES) {
            throw new ValidationException("body", "the body is larger than " + MAX_BYTES + " bytes");
        }
        if (body.length == 0) {
            throw new ValidationException("body", "a JSON object is required");
        }
        try {
            T value = Json.MAPPER.readValue(body, type);
            if (value == null) {
                throw new ValidationException("body", "a JSON object is required, not null");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new ValidationException(e.getPropertyName(), "unknown field '" + e.getPropertyName() + "'");
        } catch (InvalidFormatException e) {
            throw new ValidationException(path(e), "value " + e.getValue() + " is not valid here"
                    + (e.getTargetType().isEnum() ? "; use one of " + Arrays.toString(e.getTargetType().getEnumConstants()) : ""));
        } catch (MismatchedInputException e) {
            throw new ValidationException(path(e).isEmpty() ? "body" : path(e), "wrong JSON type: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new ValidationException("body", "malformed JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        }
    }

    private static String path(MismatchedInputException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
