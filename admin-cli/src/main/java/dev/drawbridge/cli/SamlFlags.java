package dev.drawbridge.cli;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.SamlMetadata;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.SamlAttribute;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SamlSso.NameIdFormat;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The SAML flags of {@code apps sso set} and {@code apps sso preview}. The service provider's part (entity id, ACS URL,
 * signing certificate, NameID format) comes from its metadata ({@code --sp-metadata FILE}, read here within the
 * server's limit and read by the server, which stores nothing: {@code POST /apps/{id}/saml/sp-metadata}); without it,
 * from the app's stored SAML settings (to change the NameID or attributes only). What metadata does not say (the NameID's
 * source, the attributes, what is signed, the relay state) is kept from the stored settings unless a flag says otherwise.
 */
final class SamlFlags {
    /** The largest metadata the server reads (256 KiB): a larger file is refused here, not sent. */
    static final int MAX_METADATA = 256 * 1024;

    @Option(names = "--sp-metadata", paramLabel = "FILE", description = "SAML: the service provider's metadata (XML, at most 256 KiB;"
            + " - for standard input): its entity id, HTTP-POST ACS URL, signing certificate and NameID format (needed the first time)")
    String spMetadata;
    @Option(names = "--name-id-format", paramLabel = "FORMAT", converter = FormatConverter.class,
            description = "SAML: the NameID's format: unspecified, email-address, persistent or transient (default: the metadata's)")
    NameIdFormat nameIdFormat;
    @Option(names = "--name-id-source", paramLabel = "SOURCE", converter = SourceConverter.class,
            description = "SAML: the user attribute that is the NameID: " + HeaderRuleSyntax.SOURCES + " (but groups); default by"
                    + " format: email for email-address, object-id for persistent, else upn")
    HeaderSource nameIdSource;
    @Option(names = "--name-id-claim", paramLabel = "NAME", description = "SAML: the claim that is the NameID (with --name-id-source claim)")
    String nameIdClaim;
    @Option(names = "--attribute", paramLabel = "SPEC", description = "SAML: an attribute of the assertion, " + SamlAttributeSyntax.SYNTAX
            + ", e.g. 'email=email' or 'groups=groups'; SOURCE as for --header. Repeat for more; replaces the stored ones")
    List<String> attributes;
    @Option(names = "--no-attributes", description = "SAML: the assertion carries no attribute")
    boolean noAttributes;
    @Option(names = "--signing", paramLabel = "WHAT", converter = SigningConverter.class,
            description = "SAML: what Drawbridge signs: assertion (default), response or both")
    SamlSso.Signing signing;
    @Option(names = "--relay-state", paramLabel = "URL", description = "SAML: where the service provider sends the user after a sign-in"
            + " from My Apps (its RelayState, at most 80 bytes)")
    String relayState;

    /** The SAML flags given, by name, for messages and for choosing the method. */
    List<String> given() {
        List<String> g = new ArrayList<>();
        add(g, spMetadata != null, "--sp-metadata");
        add(g, nameIdFormat != null, "--name-id-format");
        add(g, nameIdSource != null, "--name-id-source");
        add(g, nameIdClaim != null, "--name-id-claim");
        add(g, attributes != null && !attributes.isEmpty(), "--attribute");
        add(g, noAttributes, "--no-attributes");
        add(g, signing != null, "--signing");
        add(g, relayState != null, "--relay-state");
        return g;
    }

    private static void add(List<String> to, boolean given, String flag) {
        if (given) {
            to.add(flag);
        }
    }

    /** The {@code --attribute} specs given. */
    List<String> attributeSpecs() {
        return attributes == null ? List.of() : attributes;
    }

    /** The attributes given, read; a usage error naming each that cannot be read, nothing sent then. */
    Optional<List<SamlAttribute>> parsedAttributes() throws CliException {
        if (noAttributes && !attributeSpecs().isEmpty()) {
            throw CliException.usage("--no-attributes and --attribute exclude each other");
        }
        if (noAttributes) {
            return Optional.of(List.of());
        }
        if (attributeSpecs().isEmpty()) {
            return Optional.empty();
        }
        List<SamlAttribute> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String spec : attributeSpecs()) {
            try {
                out.add(SamlAttributeSyntax.parse(spec));
            } catch (HeaderRuleSyntax.SyntaxException e) {
                problems.add("--attribute '" + spec + "': " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw CliException.usage("cannot read " + (problems.size() == 1 ? "an --attribute" : problems.size() + " --attribute options")
                    + ", nothing was sent:" + problems.stream().map(p -> "\n  " + p).collect(Collectors.joining())
                    + "\n  syntax: --attribute '" + SamlAttributeSyntax.SYNTAX + "'; sources: " + HeaderRuleSyntax.SOURCES);
        }
        return Optional.of(out);
    }

    /** The metadata file's text, read within {@link #MAX_METADATA}; empty without {@code --sp-metadata}. */
    Optional<String> metadata(InputStream stdin) throws CliException {
        if (spMetadata == null) {
            return Optional.empty();
        }
        byte[] bytes;
        try (InputStream in = spMetadata.equals("-") ? stdin : Files.newInputStream(Path.of(spMetadata))) {
            // At most one byte more than the server reads: a device or a huge file is never read to its end.
            bytes = in.readNBytes(MAX_METADATA + 1);
        } catch (IOException | RuntimeException e) {
            throw CliException.usage("--sp-metadata: cannot read " + spMetadata + ": " + e.getMessage());
        }
        if (bytes.length > MAX_METADATA) {
            throw CliException.usage("--sp-metadata: " + spMetadata + " is larger than " + MAX_METADATA / 1024 + " KiB, which is more than"
                    + " a service provider's metadata needs");
        }
        if (bytes.length == 0) {
            throw CliException.usage("--sp-metadata: " + spMetadata + " is empty");
        }
        return Optional.of(new String(bytes, StandardCharsets.UTF_8));
    }

    /**
     * The SAML settings for the app {@code appId}: the service provider's part from {@code metadata} (read by the server)
     * or else from the app's stored SAML settings, then the flags; the rest kept from the stored settings.
     */
    SamlSso compose(AdminApi api, String appId, Optional<String> metadata, Optional<List<SamlAttribute>> attrs) throws Exception {
        SsoSettings stored = api.apps().sso(appId);
        SamlSso kept = stored.method() == SsoMethod.SAML ? stored.saml() : null;
        SamlSso base = metadata.isPresent() ? api.apps().readSpMetadata(appId, new SamlMetadata(metadata.get())) : kept;
        if (base == null) {
            throw CliException.usage("--method SAML needs --sp-metadata FILE, the service provider's metadata: the app has no SAML"
                    + " settings to change yet");
        }
        NameIdFormat format = nameIdFormat != null ? nameIdFormat : base.nameIdFormat();
        HeaderSource source;
        String claim;
        if (nameIdSource != null || nameIdClaim != null) {
            source = nameIdSource != null ? nameIdSource : HeaderSource.CLAIM;
            claim = nameIdClaim;
        } else if (kept != null && kept.nameIdFormat() == format) {
            source = kept.nameIdSource();
            claim = kept.nameIdClaim();
        } else {
            // The format's default (SamlSso fills it in; none for TRANSIENT).
            source = null;
            claim = null;
        }
        SamlSso from = kept != null ? kept : base;
        return new SamlSso(base.spEntityId(), base.acsUrl(), base.spCertificate(), format, source, claim,
                attrs.orElse(from.attributes()), signing != null ? signing : from.signing(),
                relayState != null ? relayState : from.relayState());
    }

    /** How the flags spell a NameID format: {@code email-address}. */
    static String spell(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static <E extends Enum<E>> E convert(Class<E> type, String value) {
        String name = value.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        return Arrays.stream(type.getEnumConstants()).filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new TypeConversionException("expected one of " + Arrays.stream(type.getEnumConstants())
                        .map(SamlFlags::spell).collect(Collectors.joining(", ")) + " but was '" + value + "'"));
    }

    /** {@code --name-id-format} values, in any case, {@code _} for {@code -}. */
    static final class FormatConverter implements ITypeConverter<NameIdFormat> {
        @Override
        public NameIdFormat convert(String value) {
            return SamlFlags.convert(NameIdFormat.class, value);
        }
    }

    /** {@code --name-id-source} values, spelt as the sources of {@code --header}. */
    static final class SourceConverter implements ITypeConverter<HeaderSource> {
        @Override
        public HeaderSource convert(String value) {
            return SamlFlags.convert(HeaderSource.class, value);
        }
    }

    /** {@code --signing} values. */
    static final class SigningConverter implements ITypeConverter<SamlSso.Signing> {
        @Override
        public SamlSso.Signing convert(String value) {
            return SamlFlags.convert(SamlSso.Signing.class, value);
        }
    }
}
