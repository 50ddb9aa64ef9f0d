package dev.drawbridge.proxy.saml;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.sun.management.ThreadMXBean;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz tests of what a service provider (or anyone) sends the identity provider: AuthnRequest XML, the whole
 * HTTP-Redirect query, and service provider metadata. Like shared-model's frame fuzzers: in every build they replay the
 * committed corpus ({@code src/test/resources/dev/drawbridge/proxy/saml/SamlXmlFuzzTestInputs/<method>/}); with
 * {@code JAZZER_FUZZ=1} Jazzer mutates it. Each input must be read or refused with {@link SamlRefusal} (no other
 * exception: no parser error escapes as a 500), and reading may allocate only in proportion to the input (no entity
 * expansion, no inflating past the cap).
 */
class SamlXmlFuzzTest {
    /** DOM parsing costs objects per node; what matters is that nothing multiplies the input (entities, DEFLATE). */
    private static final long ALLOCATION_PER_INPUT_BYTE = 4 * 1024;
    private static final long ALLOCATION_BASE = 16L << 20;
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Any bytes as an inflated SAMLRequest. */
    @FuzzTest(maxDuration = "3m")
    void authnRequests(byte[] xml) {
        bounded(xml.length, () -> AuthnRequest.parse(xml));
    }

    /** Any bytes as the query string of a GET to the single sign-on service (decoding, inflating, parsing). */
    @FuzzTest(maxDuration = "3m")
    void redirectQueries(byte[] query) {
        String q = new String(query, StandardCharsets.ISO_8859_1);
        bounded(query.length, () -> {
            RedirectBinding.Received r = RedirectBinding.read(q);
            assertThat(r.xml().length).isLessThanOrEqualTo(RedirectBinding.MAX_XML);
            AuthnRequest a = AuthnRequest.parse(r.xml());
            assertThat(a.id()).isNotEmpty().hasSizeLessThanOrEqualTo(256);
            return a;
        });
    }

    /** Any bytes as a service provider's metadata posted by an administrator. */
    @FuzzTest(maxDuration = "3m")
    void spMetadata(byte[] xml) {
        bounded(xml.length, () -> SpMetadata.read(xml));
    }

    @FunctionalInterface
    interface Reading {
        Object read() throws SamlRefusal;
    }

    /** Reads twice (the first may load classes), checking the second's allocation; a refusal is a fine answer. */
    private static void bounded(int inputLength, Reading reading) {
        attempt(reading);
        long before = THREADS.getCurrentThreadAllocatedBytes();
        attempt(reading);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated reading %d input bytes", inputLength)
                .isLessThanOrEqualTo(ALLOCATION_BASE + ALLOCATION_PER_INPUT_BYTE * inputLength);
    }

    private static void attempt(Reading reading) {
        try {
            reading.read();
        } catch (SamlRefusal refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }
}
