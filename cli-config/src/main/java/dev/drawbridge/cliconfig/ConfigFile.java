package dev.drawbridge.cliconfig;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A program's configuration file: one YAML mapping of option names (without their dashes) to values, e.g.
 * <pre>
 * port: 443
 * data-dir: /var/lib/drawbridge
 * trusted-proxy: [10.0.0.0/24, 192.0.2.7]
 * </pre>
 * Read with a streaming YAML parser so that every key keeps its line for messages. Each value is kept as the text
 * written (so {@code 0700} stays {@code 0700} and {@code C:\certs\ca.pem} keeps its backslashes); the program's option
 * types convert it. Nested mappings, empty values, repeated keys and YAML aliases ({@code *name}, which the streaming
 * parser would hand back as the anchor's name, not its value) are refused, naming the file and line. Only a regular file
 * of at most {@value #MAX_BYTES} bytes is read, checked before it is opened: {@code --config /dev/zero} or a FIFO gets
 * a sentence, not an out-of-memory error or a hang.
 */
public final class ConfigFile {
    /** The largest settings file read: far above any real one (a few hundred bytes). */
    public static final int MAX_BYTES = 1 << 20;
    private static final YAMLFactory YAML = new YAMLFactory();

    private final Path path;
    private final Map<String, Setting> settings;

    private ConfigFile(Path path, Map<String, Setting> settings) {
        this.path = path;
        this.settings = Map.copyOf(settings);
    }

    /**
     * One key of the file.
     *
     * @param values one value, or the items of a YAML list
     * @param list   whether the file wrote a list
     */
    public record Setting(String key, List<String> values, int line, boolean list) {
        public Setting {
            values = List.copyOf(values);
        }
    }

    /** Reads and checks {@code path}; throws {@link ConfigException} with a sentence naming the file (and line). */
    public static ConfigFile read(Path path) {
        String text;
        try {
            text = readBounded(path);
        } catch (NoSuchFileException e) {
            throw new ConfigException("the configuration file " + path + " does not exist: create it, or give another with --config");
        } catch (AccessDeniedException e) {
            throw new ConfigException("cannot read the configuration file " + path + " (permission denied): run as a user who may "
                    + "read it, or give another with --config");
        } catch (CharacterCodingException e) {
            throw new ConfigException("the configuration file " + path + " is not UTF-8 text: save it as UTF-8");
        } catch (IOException e) {
            throw new ConfigException("cannot read the configuration file " + path + " (" + oneLine(String.valueOf(e.getMessage()))
                    + "): give a readable file with --config");
        }
        try (JsonParser p = YAML.createParser(text)) {
            return new ConfigFile(path, parse(path, p));
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new ConfigException(where(path, line) + ": not valid YAML (" + firstLine(e.getOriginalMessage())
                    + "): write one 'key: value' per line");
        } catch (IOException e) {
            throw new ConfigException("cannot read the configuration file " + path + " (" + oneLine(String.valueOf(e.getMessage())) + ")");
        }
    }

    /** The file's text, if it is a regular file (a link to one is fine) of at most {@link #MAX_BYTES}, checked before opening. */
    private static String readBounded(Path path) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            throw new ConfigException("cannot read the configuration file " + path + ": it is " + (attributes.isDirectory()
                    ? "a folder" : "a device, pipe or socket") + ", not a regular file: give a file with --config");
        }
        if (attributes.size() > MAX_BYTES) {
            throw tooLarge(path);
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(MAX_BYTES + 1); // it may have grown since
        }
        if (bytes.length > MAX_BYTES) {
            throw tooLarge(path);
        }
        return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    }

    private static ConfigException tooLarge(Path path) {
        return new ConfigException("the configuration file " + path + " is larger than " + MAX_BYTES / 1024
                + " KiB: a settings file is a few 'key: value' lines");
    }

    private static Map<String, Setting> parse(Path path, JsonParser p) throws IOException {
        Map<String, Setting> out = new LinkedHashMap<>();
        JsonToken first = p.nextToken();
        if (first == null) {
            return out; // empty, or comments only
        }
        if (first != JsonToken.START_OBJECT) {
            throw new ConfigException(where(path, line(p)) + ": the file must be a list of 'key: value' lines, e.g. 'port: 8443'");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            int line = line(p);
            refuseAlias(path, p, key); // Jackson 2.x refuses an alias key itself (not valid YAML, with its line): kept in case
            Setting previous = out.get(key);
            if (previous != null) {
                throw new ConfigException(where(path, line) + ": '" + key + "' is set twice (also on line " + previous.line()
                        + "): keep one");
            }
            JsonToken t = p.nextToken();
            refuseAlias(path, p, key);
            if (t == JsonToken.START_ARRAY) {
                List<String> items = new ArrayList<>();
                for (JsonToken i = p.nextToken(); i != JsonToken.END_ARRAY; i = p.nextToken()) {
                    refuseAlias(path, p, key);
                    if (!i.isScalarValue() || i == JsonToken.VALUE_NULL) {
                        throw new ConfigException(where(path, line(p)) + ": '" + key + "' lists something that is not a plain value");
                    }
                    items.add(p.getText());
                }
                out.put(key, new Setting(key, items, line, true));
            } else if (t == JsonToken.VALUE_NULL) {
                throw new ConfigException(where(path, line) + ": '" + key + "' has no value: give one, or remove the line");
            } else if (t != null && t.isScalarValue()) {
                out.put(key, new Setting(key, List.of(p.getText()), line, false));
            } else {
                throw new ConfigException(where(path, line) + ": '" + key + "' must be a value or a list, not a mapping");
            }
        }
        if (p.nextToken() != null) {
            throw new ConfigException(where(path, line(p)) + ": one YAML document only");
        }
        return out;
    }

    /** A YAML alias ({@code *name}) at the parser's token: the streaming parser gives the anchor's name, never its value. */
    private static void refuseAlias(Path path, JsonParser p, String key) {
        if (p instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            throw new ConfigException(where(path, line(p)) + ": '" + key + "' refers to another value (*" + yaml.getCurrentAnchor()
                    + "): YAML aliases are not supported, write the value itself");
        }
    }

    /** The file's path. */
    public Path path() {
        return path;
    }

    /** Every key, in no particular order. */
    public Map<String, Setting> settings() {
        return settings;
    }

    /** The setting of {@code key}, if the file has one. */
    public Optional<Setting> get(String key) {
        return Optional.ofNullable(settings.get(key));
    }

    /** {@code file:line}, or the file alone when the line is unknown. */
    static String where(Path path, int line) {
        return line > 0 ? path + ":" + line : path.toString();
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }

    private static String firstLine(String s) {
        return oneLine(s == null ? "" : s.lines().findFirst().orElse(""));
    }

    static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }
}
